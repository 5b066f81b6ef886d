"""Home, committee, topic, report, resolution, vote and document pages."""

import datetime as dt
import re

from django.urls import reverse

from councilarchive.archive.models import Vote
from tests.browse.conftest import SCRIPT


def get(client, url):
    response = client.get(url, secure=True)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content.decode()
    assert len(re.findall(r"<h1[ >]", html)) == 1, url
    assert 'class="skip-link" href="#main"' in html
    return html


def test_home_has_search_box_posting_q_to_search(client, browse):
    html = get(client, "/")
    assert re.search(r'<form[^>]*method="get" action="/search/"', html)
    assert '<label for="home-q">' in html and 'id="home-q" name="q"' in html
    assert "Browse Full Council" in html
    assert "RESOLVED that the Quillfield bypass business case be approved." in html


def test_home_lists_meetings_held_with_papers_apart_from_those_coming_up(client, browse):
    from tests.browse.conftest import make_document

    html = get(client, "/")
    latest = html[html.index('id="meetings-heading"') : html.index('id="coming-heading"')]
    coming = html[html.index('id="coming-heading"') : html.index('id="committees-heading"')]
    # held, papers in: newest first; held without papers (14 February, 18 July) are left out
    assert latest.index("9 May 2019") < latest.index("1 April 2019")
    assert "18 July 2019" not in latest and "14 February 2019" not in latest
    assert "2099" not in latest
    assert 'Browse Full Council, <time datetime="2099-01-15">' in coming
    assert "agenda published" not in coming
    # its agenda arrives: the meeting says so
    future = browse.full.meetings.get(date=dt.date(2099, 1, 15))
    future.items.create(
        document=make_document(browse.council, browse.full, "browse-fc-2099-01-15"),
        position=1,
        number="1",
        title="Apologies",
    )
    html = get(client, "/")
    coming = html[html.index('id="coming-heading"') : html.index('id="committees-heading"')]
    assert '2099</time></a> <span class="tag tag-quiet">agenda published</span>' in coming


def test_committee_meetings_by_year_upcoming_and_members(client, browse):
    html = get(client, browse.full.get_absolute_url())
    upcoming = html[html.index("upcoming-heading") : html.index("past-heading")]
    assert "15 January 2099" in upcoming
    past = html[html.index("past-heading") : html.index("members-heading")]
    assert "<h3>2019</h3>" in past
    assert past.index("18 July 2019") < past.index("9 May 2019") < past.index("14 February 2019")
    members = html[html.index("members-heading") :]
    # Ashcombe attended two meetings; Dunnock only sent apologies, so is not listed.
    assert 'Mr Peregrine Ashcombe</a> <span class="muted">(2)</span>' in members
    assert "Dunnock" not in members


def test_topic_lists_resolutions_and_reports_newest_first(client, browse):
    html = get(client, browse.finance.get_absolute_url())
    assert "1 resolution and 1 report, newest first." in html
    assert '<h2 id="year-2019">2019</h2>' in html
    assert "<pre>bypass\ntitle: roads</pre>" in html


def test_topics_index_counts(client, browse):
    html = get(client, reverse("archive:topics"))
    assert re.search(r"Browse roads</a> <span class=\"muted\">\(1 resolution, 1 report\)", html)


def test_report_page_recovers_headings_lists_and_page_anchors(client, browse):
    html = get(client, browse.report.get_absolute_url())
    pdf = reverse("archive:document_pdf", args=[browse.pack.pk])
    assert f'<p class="page-marker" id="page-7"><a href="{pdf}#page=7">PDF page 7</a>' in html
    assert 'id="page-8"' in html
    assert "<h3>1.0 Introduction</h3>" in html
    assert "<h3>2.0 Options</h3>" in html
    assert "<li>Do nothing, leaving the town centre congested every weekday morning.</li>" in html
    assert "<li>Build the bypass.</li>" in html
    assert SCRIPT not in html
    assert "A consultee wrote &lt;script&gt;alert(1)&lt;/script&gt; in the response form." in html
    assert "Page 7</" not in html  # the printed footer is dropped
    cite = "Wessex Browse Test Council, Browse Full Council, 9 May 2019, report “Quillfield Bypass"
    assert f'<p class="cite"><strong>Cite:</strong> <cite>{cite}' in html
    assert f"<cite>{browse.report.citation()}</cite>" in html


def test_edited_report_renders_its_corrected_body(client, browse):
    browse.report.edited = True
    browse.report.save()
    html = get(client, browse.report.get_absolute_url())
    assert "<h3>2.0 Costs It costs money.</h3>" not in html
    assert "2.0 Costs It costs money." in html
    assert 'id="page-7"' not in html


def test_resolution_page(client, browse):
    html = get(client, browse.resolution.get_absolute_url())
    assert "<dt>Reason</dt><dd>To relieve congestion in Quillfield town centre.</dd>" in html
    assert "Mrs Rowena Birchwood" in html  # the vote on it
    assert "#page=9" in html
    assert "Browse roads" in html


def test_vote_page_groups_names(client, browse):
    html = get(client, browse.vote.get_absolute_url())
    assert "<dt>Names listed</dt><dd>4</dd>" in html
    assert "<strong>Against</strong> (1)" in html
    assert "Mr Xavier &lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_document_page_links_pdf(client, browse):
    html = get(client, browse.pack.get_absolute_url())
    assert reverse("archive:document_pdf", args=[browse.pack.pk]) in html
    assert "Quillfield Bypass: Business Case" in html


def test_upcoming_meeting_without_records(client, browse):
    html = get(client, browse.future.get_absolute_url())
    assert "No items have been recorded for this meeting." in html
    assert browse.future.date > dt.date.today()


def test_vote_names_who_moved_it_and_says_when_its_text_is_not_the_motion(client, browse):
    vote = browse.vote
    vote.mover, vote.seconder, vote.kind = "Mr <b>Bird</b>", "Mrs Dean", Vote.Kind.AMENDMENT
    vote.save()
    html = get(client, vote.get_absolute_url())
    assert "Amendment moved by Mr &lt;b&gt;Bird&lt;/b&gt;, seconded by Mrs Dean:" in html
    assert "was not found in the minutes" not in html
    vote.question_unclear = True
    vote.save()
    html = get(client, vote.get_absolute_url())
    assert (
        "The text of the amendment was not found in the minutes; above is the sentence that "
        "announced the vote." in html
    )
