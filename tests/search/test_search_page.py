"""The rendered search page: results, snippets, facets, sorting, paging, help and suggestions."""

import datetime as dt
import re

import pytest

from councilarchive.search.suggest import respelt, suggestions

pytestmark = pytest.mark.django_db


def page(client, **params):
    response = client.get("/search/", params)
    return response, response.content.decode()


def test_results_show_title_meeting_kind_snippet_and_links(client, archive):
    response, html = page(client, q='"greenhithe ferry link"', kind="resolution")
    assert response.status_code == 200
    assert "1 result" in html
    assert f'href="/resolutions/{archive.ferry_resolution.pk}/"' in html
    assert "Greenhithe Ferry Link: Business Case (2)" in html
    assert "County Council, 14 March 2019" in html
    assert f'href="/documents/{archive.minutes_2019.pk}.pdf#page=4"' in html
    assert "RESOLVED that the <mark>Greenhithe</mark> <mark>ferry</mark> <mark>link</mark>" in html


def test_document_text_is_escaped_before_it_is_marked(client, archive):
    response, html = page(client, q="respondent bold")
    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;<mark>bold</mark>&lt;/b&gt;" in html
    assert "<script>alert" not in html and "<b>bold" not in html


def test_facet_links_narrow_the_search(client, archive):
    _, html = page(client, q="oakwood")
    assert re.search(
        r'href="\?q=oakwood&amp;committee=cabinet">Cabinet</a> <span class="count">4', html
    )
    assert 'href="?q=oakwood&amp;since=2019-01-01&amp;until=2019-12-31">2019</a>' in html
    assert 'href="?q=oakwood&amp;kind=page">PDF page</a> <span class="count">2' in html
    assert 'Schools (search tests)</a> <span class="count">3' in html


def test_sort_links_and_sorted_rows(client, archive):
    _, html = page(client, q="greenhithe", sort="oldest", kind="resolution")
    assert "<strong>oldest</strong>" in html and 'href="?q=greenhithe&amp;sort=newest' in html
    assert html.index("Greenhithe Ferry Link: Business Case (2)") < html.index(
        "Greenhithe Café Culture Fund (1)"
    )


def test_pages_of_results_link_to_each_other(client, archive, many_pages):
    _, html = page(client, q="school run", page=2)
    assert "Page 2 of 3" in html and "showing 21–40" in html
    assert 'rel="prev" href="?q=school+run&amp;page=1"' in html
    assert 'rel="next" href="?q=school+run&amp;page=3"' in html


def test_help_text_and_empty_form(client, archive):
    response, html = page(client)
    assert response.status_code == 200
    assert "&quot;local transport plan&quot;" in html and "budget -capital" in html


def test_no_match_suggests_a_close_councillor_name(client, archive):
    _, html = page(client, q="Hazlegrove")
    assert "No records match <strong>Hazlegrove</strong>" in html
    assert '<a href="?q=Hazelgrove">Mrs Philippa Hazelgrove</a>' in html


def test_no_match_suggests_the_query_with_its_misspelt_word_put_right(client, archive):
    _, html = page(client, q="grenhithe ferry")
    assert "No records match <strong>grenhithe ferry</strong>" in html
    assert '<li><a href="?q=greenhithe+ferry">greenhithe ferry</a></li>' in html
    assert [s.query for s in suggestions("grenhithe ferry")][:1] == ["greenhithe ferry"]
    assert respelt("ferry greenhithe") == ""  # words spelt right are left alone


def test_a_spelling_fix_keeps_the_filters_and_sort_in_use(client, archive):
    _, html = page(
        client, q="grenhithe ferry", kind="resolution", committee="county-council", sort="oldest"
    )
    assert "No records match <strong>grenhithe ferry</strong>" in html
    fixed = "?q=greenhithe+ferry&amp;kind=resolution&amp;committee=county-council&amp;sort=oldest"
    assert f'<li><a href="{fixed}">greenhithe ferry</a></li>' in html
    # the link, followed, finds the ferry resolution with the filters still applied
    response, followed = page(
        client, q="greenhithe ferry", kind="resolution", committee="county-council", sort="oldest"
    )
    assert f'href="/resolutions/{archive.ferry_resolution.pk}/"' in followed
    assert "1 result" in followed
    assert "/search/export.csv?q=greenhithe+ferry&amp;kind=resolution&amp;committee=" in followed
    assert "without filters" not in followed


def test_bad_filter_input_is_a_400_with_the_form(client, archive):
    response, html = page(client, q="oakwood", since="yesterday", committee="nope")
    assert response.status_code == 400
    assert "Enter a valid date." in html and "Select a valid choice" in html


def test_links_to_exports_and_feed(client, archive):
    _, html = page(client, q="oakwood", committee="cabinet")
    assert 'href="/search/export.csv?q=oakwood&amp;committee=cabinet"' in html
    assert 'href="/search/export.json?q=oakwood&amp;committee=cabinet"' in html
    assert 'type="application/atom+xml"' in html and "/search/feed/?q=oakwood" in html


def test_empty_query_lists_the_newest_records(client, archive):
    response, html = page(client)
    assert response.status_code == 200
    assert "Newest records" in html and "<strong>newest</strong>" in html
    assert '<option value="newest" selected>' in html  # the Sort by box agrees
    assert "relevance" not in html[html.index("result-count") :]
    dates = [d for d in re.findall(r'<a href="/meetings/\d+/">[^<]*, (\d+ \w+ \d{4})</a>', html)]
    parsed = [dt.datetime.strptime(d, "%d %B %Y") for d in dates]
    assert parsed and parsed == sorted(parsed, reverse=True)


def test_no_match_with_filters_offers_the_search_without_them(client, archive):
    _, html = page(client, q="oakwood", since="2099-01-01", kind="report", sort="oldest", page=2)
    assert "No records match <strong>oakwood</strong> with the filters chosen" in html
    assert '<a href="?q=oakwood">Search for <strong>oakwood</strong> without filters</a>' in html


def test_too_long_a_query_says_so(client, archive):
    response, html = page(client, q="budget " * 80)
    assert response.status_code == 400
    assert "Your search is too long: use at most 500 characters." in html
    assert "Ensure this value" not in html  # said once, in words a reader uses
    assert '<details class="filters">' in html  # the filters stay shut: nothing wrong there


def test_minute_and_report_results_carry_citations(client, archive):
    _, html = page(client, q="oakwood", kind=["minutes", "report"])
    cites = re.findall(r"<cite>(Kent County Council, [^<]*)</cite>", html)
    assert any(", minute " in c for c in cites) and any(", report “" in c for c in cites)


def test_export_links_say_how_many_rows(client, archive):
    _, html = page(client, q="oakwood")
    count = int(re.search(r"(\d+) results?, showing", html).group(1))
    assert f"Export these {count} result" in html
