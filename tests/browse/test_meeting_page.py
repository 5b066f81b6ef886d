"""The meeting page: everything recorded about a meeting, in agenda order, linked to the PDF."""

import re

import pytest
from django.urls import reverse

from tests.browse.conftest import SCRIPT


def get(client, meeting):
    response = client.get(reverse("archive:meeting", args=[meeting.pk]), secure=True)
    assert response.status_code == 200
    return response.content.decode()


def section(html, heading_id):
    """The HTML of the <section> labelled by `heading_id` (first of its labels)."""
    start = re.search(f'aria-labelledby="{heading_id}[" ]', html).start()
    return html[start : html.index("</section>", start)]


def test_meeting_shows_date_time_venue_and_one_h1(client, browse):
    html = get(client, browse.may)
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert "Thursday 9 May 2019" in html
    assert "10.00 a.m." in html
    assert "Council Chamber, Quillfield Hall" in html


def test_items_in_agenda_order_with_pdf_page_ranges(client, browse):
    html = get(client, browse.may)
    contents = html[html.index('id="contents-heading"') :]
    assert contents.index("Apologies and Substitutes") < contents.index("Quillfield Bypass: Busi")
    pdf = reverse("archive:document_pdf", args=[browse.pack.pk])
    assert f'href="{pdf}#page=7">PDF page 7–16' in html
    assert "Pack pages 7-16." in html


def test_resolution_with_reason_and_link_to_its_page(client, browse):
    html = get(client, browse.may)
    assert "RESOLVED that the Quillfield bypass business case be approved." in html
    assert "<strong>Reason:</strong> To relieve congestion in Quillfield town centre." in html
    assert reverse("archive:resolution", args=[browse.resolution.pk]) in html


def test_recorded_vote_lists_every_name_by_side_with_outcome(client, browse):
    html = get(client, browse.may)
    vote = section(html, f"vote-{browse.vote.pk}-heading")
    groups = re.findall(r'class="vote-group vote-(\w+)">(.*?)</div>', vote, re.S)
    names = {option: re.findall(r'<a href="[^"]+">([^<]+)</a>', body) for option, body in groups}
    assert names["for"] == ["Mr Peregrine Ashcombe", "Mrs Rowena Birchwood"]
    assert names["against"] == ["Miss Tamsin Cobbleigh"]
    assert names["abstain"] == ["Mr Xavier &lt;script&gt;alert(1)&lt;/script&gt;"]
    assert "Carried" in vote
    assert "For 2, against 1, abstained 1." in vote


def test_attendance_groups_present_substitutes_and_apologies(client, browse):
    html = get(client, browse.may)
    attendance = section(html, "attendance-heading")
    assert "Present (3)" in attendance
    assert "Mr Peregrine Ashcombe</a> (Chairman)" in attendance
    assert re.search(r"Substitutes \(1\).*Cobbleigh</a> for <a[^>]*>Dr Evander Dunnock", attendance)
    assert re.search(r"Apologies \(1\).*Dr Evander Dunnock", attendance, re.S)


def test_declaration_shown_on_its_item(client, browse):
    html = get(client, browse.may)
    item = html[html.index(f'id="item-{browse.bypass.pk}"') :]
    assert "Mrs Birchwood</a> (item 7): Her husband owns land beside the bypass route." in item


def test_report_considered_with_header_fields_and_summary(client, browse):
    html = get(client, browse.may)
    report = section(html, f"report-{browse.report.pk}-heading")
    for field, value in [
        ("From", "Corporate Director, Growth and Roads"),
        ("To", "Full Council – 9 May 2019"),
        ("Classification", "Unrestricted"),
        ("Past pathway", "Cabinet, 1 April 2019"),
        ("Electoral division", "Quillfield North"),
    ]:
        assert f"<dt>{field}</dt><dd>{value}</dd>" in report
    assert "The bypass business case." in report


def test_previous_and_next_meetings_of_the_committee(client, browse):
    html = get(client, browse.may)
    assert f'rel="prev" href="/meetings/{browse.earlier.pk}/"' in html
    assert f'rel="next" href="/meetings/{browse.later.pk}/"' in html
    assert f"/meetings/{browse.april.pk}/" not in html.split("Agenda and minutes")[0]


def test_same_matter_linked_both_ways_across_meetings(client, browse):
    full_council = get(client, browse.may)
    assert f'href="/meetings/{browse.april.pk}/#item-{browse.cab_item.pk}"' in full_council
    cabinet = get(client, browse.april)
    assert f'href="/meetings/{browse.may.pk}/#item-{browse.bypass.pk}"' in cabinet
    assert "This matter at other meetings" in cabinet


def test_minute_text_is_escaped(client, browse):
    html = get(client, browse.may)
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; and &lt;b&gt;stop&lt;/b&gt;" in html


def test_unknown_meeting_is_404(client, db):
    assert client.get("/meetings/999999/", secure=True).status_code == 404


def test_decisions_and_votes_come_first_with_sources_and_citations(client, browse):
    html = get(client, browse.may)
    decided = html.index('id="decisions-heading"')
    assert decided < html.index('id="contents-heading"') < html.index('id="attendance-heading"')
    assert "What was decided" in html
    # The contents mark the item with a recorded vote.
    contents = html[html.index('id="contents-heading"') : html.index('id="attendance-heading"')]
    assert f'href="#item-{browse.bypass.pk}">' in contents and '<span class="tag">vote</span>' in (
        contents
    )
    pdf = reverse("archive:document_pdf", args=[browse.pack.pk])
    assert f'<a href="{pdf}">Agenda pack, 20 pages (PDF)</a>' in html
    assert "<cite>Wessex Browse Test Council, Browse Full Council, 9 May 2019</cite>" in html
    assert f"<cite>{browse.resolution.citation()}</cite>" in html
    # each minute cites itself under its heading
    item = html[html.index(f'id="item-{browse.bypass.pk}"') :]
    assert item.index(f"<cite>{browse.bypass.citation()}</cite>") < item.index("Resolved")
    assert browse.bypass.citation().endswith(", 9 May 2019, minute 22")


def test_previous_and_next_meeting_say_how_far_apart(client, browse):
    html = get(client, browse.may)
    assert "(2\xa0months, 3\xa0weeks earlier)" in html  # 14 February -> 9 May 2019
    assert "(2\xa0months, 1\xa0week later)" in html  # -> 18 July 2019


@pytest.mark.parametrize("stored", ["7", "Item 7", "item 7", "item  7"])
def test_declaration_item_reference_is_not_doubled(client, browse, stored):
    """Minutes print "Item 7", decision notices just "7"; loaded or typed by an officer, either
    reads "(item 7)" once."""
    browse.declaration.item_ref = stored
    browse.declaration.save()
    html = get(client, browse.may)
    assert "Mrs Birchwood</a> (item 7):" in html and "item item" not in html.lower()


def test_stored_item_references_are_relabelled_by_the_migration(browse):
    """Migration 0018 brings rows loaded before the loader's item_reference() to its label."""
    import importlib

    from django.apps import apps

    from councilarchive.archive.models import Declaration

    migration = importlib.import_module(
        "councilarchive.archive.migrations.0018_search_pages_declaration_item_ref"
    )
    Declaration.objects.filter(pk=browse.declaration.pk).update(item_ref="Agenda  Item 7")
    migration.relabel(apps, None)
    browse.declaration.refresh_from_db()
    assert browse.declaration.item_ref == "agenda item 7"


def test_minutes_keep_their_paragraphs_and_numbered_sub_paragraphs(client, browse):
    browse.bypass.text = (
        "(1) Mr Ashcombe moved the following motion: That the bypass be approved. "
        "(2) The motion was put <b>to the vote</b>.\n\nA second paragraph\nwith a line break."
    )
    browse.bypass.save()
    html = get(client, browse.may)
    assert "<p>(1) Mr Ashcombe moved the following motion: That the bypass be approved.</p>" in html
    assert "<p>(2) The motion was put &lt;b&gt;to the vote&lt;/b&gt;.</p>" in html
    assert "<p>A second paragraph<br>with a line break.</p>" in html


def test_long_name_lists_and_minutes_fold_under_their_counts(client, browse, council):
    from councilarchive.browse.templatetags.browse_tags import MINUTE_SHOWN, NAMES_SHOWN
    from tests.browse.conftest import build_meeting

    crowded = build_meeting(council, 1, 30, "folded")  # 20 present, 10 apologies; 30 voted for
    item = crowded.items.get()
    item.text = "The Council debated the bypass at length. " * 40
    item.save()
    assert len(item.text) > MINUTE_SHOWN and 20 > NAMES_SHOWN >= 10
    html = get(client, crowded)
    attendance = section(html, "attendance-heading")
    # 20 present fold under their count; every name is still in the page
    assert '<h3>Present (20)</h3><details class="fold"><summary>All 20 names</summary>' in (
        attendance
    )
    assert attendance.count(">Mr N") == 30
    # ten apologies stay open
    assert re.search(r"<h3>Apologies \(10\)</h3><ul class=\"names\">", attendance)
    vote = section(html, f"vote-{item.votes.get().pk}-heading")
    assert re.search(
        r'<details class="fold"><summary class="group-label"><strong>For</strong> \(30\)</summary>'
        r'\s*<ul class="names">',
        vote,
    )
    assert vote.count(">Mr N") == 30
    assert '<p class="group-label"><strong>Against</strong> (0)</p>' in vote  # none: no fold
    # the minute's text folds with its length said; its resolutions and vote stay in view
    words = len(item.text.split())
    text = html[html.index(f'id="item-{item.pk}"') :]
    assert f'<summary>Full minute text <span class="muted">({words} words)</span></summary>' in (
        text
    )
    assert text.index("</details>") < text.index("<h4>Resolved</h4>")
    assert text.index("The Council debated the bypass") < text.index("</details>")
    # the vote's own page never folds its names
    page = client.get(item.votes.get().get_absolute_url(), secure=True).content.decode()
    assert page.count(">Mr N") == 30 and '<details class="fold">' not in page


def test_each_vote_and_related_section_is_named_with_its_item(client, browse):
    html = get(client, browse.may)
    vote, item = browse.vote.pk, browse.bypass.pk
    assert f'aria-labelledby="vote-{vote}-heading item-{item}-heading"' in html
    assert f'aria-labelledby="related-{item} item-{item}-heading"' in html


def test_a_short_meeting_folds_nothing(client, browse):
    html = get(client, browse.may)
    assert 'class="fold' not in html
