"""iCalendar and Atom feeds, and the sitemap."""

from xml.etree import ElementTree

ATOM = "{http://www.w3.org/2005/Atom}"


def test_committee_calendar_lists_meetings(client, browse):
    response = client.get("/committees/browse-fc/meetings.ics", secure=True)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.count("BEGIN:VEVENT") == 4
    # 10.00 on 9 May 2019, London summer time, is 09:00 UTC
    assert "DTSTART:20190509T090000Z" in body
    assert "DTSTART;VALUE=DATE:20190214" in body  # no time printed: an all-day event
    assert "LOCATION:Council Chamber\\, Quillfield Hall" in body
    assert f"UID:meeting-{browse.may.pk}@" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))  # folded


def test_committee_atom_feed_has_resolutions_and_votes(client, browse):
    response = client.get("/committees/browse-fc/feed/", secure=True)
    feed = ElementTree.fromstring(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert "Resolved: RESOLVED that the Quillfield bypass business case be approved." in titles
    assert "Carried (2 for, 1 against): That the Quillfield bypass be approved." in titles
    ids = [e.findtext(f"{ATOM}id") for e in feed.iter(f"{ATOM}entry")]
    assert f"tag:testserver,2019-05-09:/votes/{browse.vote.pk}/" in ids
    assert all(i.startswith("tag:testserver,") for i in ids) and len(set(ids)) == len(ids)
    assert feed.findtext(f"{ATOM}title").startswith("Browse Full Council, Kent County Council")


def test_councillor_atom_feed_says_how_they_voted(client, browse):
    response = client.get(f"/councillors/{browse.cobb.slug}/feed/", secure=True)
    feed = ElementTree.fromstring(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert "Voted against: That the Quillfield bypass be approved." in titles


def test_sitemap_lists_pages(client, browse):
    response = client.get("/sitemap.xml", secure=True)
    assert response.status_code == 200
    body = response.content.decode()
    for url in [
        browse.may.get_absolute_url(),
        browse.ash.get_absolute_url(),
        browse.finance.get_absolute_url(),
        browse.report.get_absolute_url(),
        "/councillors/",
    ]:
        assert f"{url}</loc>" in body
    ElementTree.fromstring(response.content)  # well-formed
