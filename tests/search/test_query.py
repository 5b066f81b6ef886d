"""The search entry point: web-search syntax, stemming, accents, filters, sorting and counts."""

import pytest

from councilarchive.search.query import InvalidSearch, search

pytestmark = pytest.mark.django_db


def titles(params, **kwargs):
    return [row.title for row in search(params, **kwargs).rows]


def test_phrase_needs_the_words_side_by_side(archive):
    found = titles({"q": '"greenhithe ferry link"'})
    assert found and all("Ferry Link" in t for t in found)
    # "Greenhithe car park" and "in Greenhithe." mention the place but not the phrase
    assert "12. Motion: Climate Emergency" in titles({"q": "greenhithe"})
    assert "12. Motion: Climate Emergency" not in found


def test_or_finds_either_word(archive):
    found = titles({"q": "ferry OR café", "kind": "resolution"})
    assert sorted(found) == [
        "Greenhithe Café Culture Fund (1)",
        "Greenhithe Ferry Link: Business Case (2)",
    ]


def test_minus_excludes_a_word(archive):
    found = titles({"q": "greenhithe -ferry"})
    assert "13. Greenhithe Café Culture Fund" in found
    assert not [t for t in found if "Ferry" in t]


def test_words_match_in_any_form_and_without_accents(archive):
    assert "Greenhithe Café Culture Fund (1)" in titles({"q": "cafe", "kind": "resolution"})
    # "expanding" in the report summary is found by "expansion"'s stem
    assert "Oakwood Primary School expansion: consultation outcome" in titles(
        {"q": "expanding oakwood", "kind": "report"}
    )


def test_title_matches_rank_above_body_matches(archive):
    rows = search({"q": "oakwood", "kind": ["minutes", "agenda"]}).rows
    # both titles name Oakwood; the agenda item has no text, so its title match is denser
    assert {r.title for r in rows[:2]} == {
        "5. Oakwood Primary School: consultation outcome",
        "8. Oakwood Primary School: expansion",
    }
    assert rows[0].rank >= rows[1].rank > 0


def test_only_excluded_words_explain_themselves(archive):
    results = search({"q": "-greenhithe"})
    assert results.count == 0 and "Add a word" in results.message
    assert "too common" in search({"q": "the and of"}).message


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"committee": "cabinet"}, {"report", "agenda", "page"}),
        ({"committee": "county-council"}, {"resolution", "minutes"}),
        ({"kind": "page"}, {"page"}),
        ({"kind": ["report", "agenda"]}, {"report", "agenda"}),
    ],
)
def test_committee_and_kind_filters(archive, params, expected):
    results = search({"q": "oakwood", **params})
    assert {row.kind for row in results.rows} == expected


def test_date_range_filter(archive):
    dates = {r.date.isoformat() for r in search({"q": "greenhithe", "since": "2020-01-01"}).rows}
    assert dates == {"2020-02-13"}
    dates = {r.date.isoformat() for r in search({"q": "greenhithe", "until": "2019-12-31"}).rows}
    assert dates == {"2019-03-14"}


def test_pages_take_committee_and_date_from_their_item(archive):
    row = search({"q": "bold respondent", "kind": "page"}).rows[0]
    assert row.title == "cabinet-pack-2019-06-24, page 2"
    assert (row.committee.name, row.date.isoformat()) == ("Cabinet", "2019-06-24")
    assert row.pdf_url.endswith(f"/documents/{archive.pack.pk}.pdf#page=2")


@pytest.mark.parametrize(
    "role, expected",
    [
        (
            "voted",
            {
                "7. Greenhithe Ferry Link: Business Case",
                "12. Motion: Climate Emergency",
                "8. Oakwood Primary School: expansion",
            },
        ),
        ("moved", {"12. Motion: Climate Emergency"}),
        ("declared", {"8. Oakwood Primary School: expansion"}),
        (
            "attended",
            {"7. Greenhithe Ferry Link: Business Case", "8. Oakwood Primary School: expansion"},
        ),
    ],
)
def test_councillor_filter_by_role(archive, role, expected):
    params = {"q": "greenhithe", "councillor": "oliver-dunmore", "role": role, "kind": "minutes"}
    assert set(titles(params)) == expected


def test_apologies_are_not_attendance(archive):
    assert titles({"q": "greenhithe", "councillor": "jane-penfold", "role": "attended"}) == []


def test_topic_outcome_and_recorded_vote_filters(archive):
    assert set(titles({"q": "oakwood", "topic": "schools-search-tests"})) == {
        "Oakwood Primary School: expansion (1)",
        "8. Oakwood Primary School: expansion",
        "Oakwood Primary School expansion: consultation outcome",
    }
    assert titles({"q": "climate", "outcome": "lost", "kind": "resolution"}) == [
        "Motion: Climate Emergency"
    ]
    assert titles({"q": "climate", "outcome": "carried", "kind": "resolution"}) == []
    assert titles({"q": "greenhithe", "has_vote": "no", "kind": "resolution"}) == [
        "Greenhithe Café Culture Fund (1)"
    ]
    assert titles({"q": "greenhithe", "has_vote": "yes", "kind": "resolution"}) == [
        "Greenhithe Ferry Link: Business Case (2)"
    ]


def test_facets_count_committee_year_kind_and_topic(archive):
    facets = search({"q": "oakwood"}).facets
    assert [(c.name, n) for c, n in facets["committee"]] == [("Cabinet", 4), ("County Council", 2)]
    assert [(year, n) for year, _, _, n in facets["year"]] == [(2019, 6)]
    assert {kind: n for kind, _, n in facets["kind"]} == {
        "page": 2,
        "report": 1,
        "agenda": 1,
        "minutes": 1,
        "resolution": 1,
    }
    # pages count the topics of the item they belong to (the agenda item has none)
    assert [(t.slug, n) for t, n in facets["topic"]] == [("schools-search-tests", 3)]


def test_sort_orders(archive):
    newest = [r.date.isoformat() for r in search({"q": "greenhithe", "sort": "newest"}).rows]
    oldest = [r.date.isoformat() for r in search({"q": "greenhithe", "sort": "oldest"}).rows]
    assert newest == sorted(newest, reverse=True) and newest[0] == "2020-02-13"
    assert oldest == sorted(oldest) and oldest[0] == "2019-03-14"
    ranks = [r.rank for r in search({"q": "greenhithe"}).rows]
    assert ranks == sorted(ranks, reverse=True) and ranks[0] > ranks[-1]


def test_pagination_is_stable_and_complete(archive, many_pages):
    first = search({"q": "oakwood school run"})
    second = search({"q": "oakwood school run", "page": 2})
    third = search({"q": "oakwood school run", "page": 3})
    assert first.count == 45 and not first.estimated and first.num_pages == 3
    assert [len(p.rows) for p in (first, second, third)] == [20, 20, 5]
    seen = [r.record.pk for p in (first, second, third) for r in p.rows]
    assert len(set(seen)) == 45
    assert [r.record.pk for r in search({"q": "oakwood school run", "page": 2}).rows] == [
        r.record.pk for r in second.rows
    ]


def test_counts_above_the_candidate_cap_are_estimates(archive, many_pages):
    results = search({"q": "oakwood school run"}, limit=10)
    assert results.estimated and results.count > 10 and results.capped
    assert len(results.hits) == 10 and results.num_pages == 1


@pytest.mark.parametrize(
    "params",
    [
        {"since": "not-a-date"},
        {"committee": "no-such-committee"},
        {"kind": "memo"},
        {"sort": "random"},
        {"page": "0"},
        {"has_vote": "maybe"},
        {"since": "2020-01-01", "until": "2019-01-01"},
        {"role": "voted"},
    ],
)
def test_bad_input_is_invalid_search(archive, params):
    with pytest.raises(InvalidSearch):
        search({"q": "oakwood", **params})


JOINED = "the capital/reserve fund and cross-party working on the Kent/Medway border"


def _in_pack(archive, params) -> list:
    """The pks of the pages of this test's pack among every hit, best first (a database shared
    with other tests' archives may hold other pages with these words, more than a page of
    results)."""
    from councilarchive.archive.models import Page

    ours = set(Page.objects.filter(document=archive.pack).values_list("pk", flat=True))
    return [hit.pk for hit in search(params).hits if hit.source == "page" and hit.pk in ours]


@pytest.mark.parametrize(
    "query",
    ["capital", "reserve", "capital/reserve", "capital reserve", '"capital reserve"', "medway"],
)
def test_words_joined_by_a_slash_are_found_by_each_word(archive, query):
    from councilarchive.archive.models import Page

    page = Page.objects.create(document=archive.pack, number=3, text=JOINED)
    Page.objects.create(document=archive.pack, number=4, text="the capital of a reserve")
    found = _in_pack(archive, {"q": query, "kind": "page"})
    if query in ("capital", "reserve", "capital reserve"):  # words, not a phrase: both pages
        assert page.pk in found
    else:
        assert found == [page.pk]


@pytest.mark.parametrize("query", ["cross-party", "cross party", '"cross party"', "party"])
def test_a_hyphenated_word_is_found_whole_or_by_its_parts(archive, query):
    from councilarchive.archive.models import Page

    page = Page.objects.create(document=archive.pack, number=3, text=JOINED)
    Page.objects.create(document=archive.pack, number=4, text="a crossroads and a partition")
    assert _in_pack(archive, {"q": query, "kind": "page"}) == [page.pk]


def test_a_hyphenated_query_finds_the_words_written_apart_side_by_side(archive):
    from councilarchive.archive.models import Page

    apart = Page.objects.create(document=archive.pack, number=3, text="a cross party group")
    Page.objects.create(document=archive.pack, number=4, text="party lines cross here")
    found = _in_pack(archive, {"q": "cross-party", "kind": "page"})
    assert found == [apart.pk]  # the phrase: "party ... cross" is not it
    assert _in_pack(archive, {"q": "capital/reserve", "kind": "page"}) == []


def test_snippets_mark_both_joined_words_and_keep_the_slash(archive):
    from councilarchive.archive.models import Page

    page = Page.objects.create(document=archive.pack, number=3, text=JOINED)

    def snippet(query: str) -> str:
        (row,) = [r for r in search({"q": query, "kind": "page"}).rows if r.record.pk == page.pk]
        return row.snippet

    assert "\x02capital\x03/\x02reserve\x03" in snippet("capital/reserve")
    assert "capital/\x02reserve\x03" in snippet("reserve medway")  # words of this page only


def test_slashed_words_in_the_sample_packs_are_found_by_each_word(sample_archive, db):
    """The Kent packs print "District/Borough" on four pages (e.g. 000_…pdf page 56): each
    word finds them, and the pair as typed finds them as a phrase."""
    from councilarchive.archive.models import Page, search_query

    printed = Page.objects.filter(text__contains="District/Borough")
    assert printed.count() == 4
    for word in ("district", "borough", "District/Borough"):
        assert printed.filter(search_vector=search_query(word)).count() == 4, word
    found = search({"q": '"district/borough"', "kind": "page"})
    assert set(printed.values_list("pk", flat=True)) <= {row.record.pk for row in found.rows}
    # dates and years are not split: "2019/20" stays one token both ways
    assert Page.objects.filter(search_vector=search_query("2019/20")).exists() == (
        Page.objects.filter(text__contains="2019/20").exists()
    )


@pytest.fixture
def amended(archive):
    """The ferry minute also records a lost amendment, after the motion's vote, which the loader
    links to the minute's one resolution (as it does every vote of a minute with one resolution)."""
    from councilarchive.archive.models import Vote
    from tests.search.conftest import _vote

    amendment = _vote(
        archive.ferry,
        archive.ferry_resolution,
        archive.minutes_2019,
        Vote.Outcome.LOST,
        (18, 50, 0),
        [],
        kind=Vote.Kind.AMENDMENT,
    )
    # printed after the motion's vote: results list a record's votes in minutes order, and two
    # votes at the same position have none
    amendment.position = 1
    amendment.save(update_fields=["position"])
    return amendment


def test_outcome_is_each_votes_own_a_lost_amendment_loses_no_resolution(archive, amended):
    lost = {"q": "greenhithe OR climate", "outcome": "lost"}
    assert titles({**lost, "kind": "resolution"}) == ["Motion: Climate Emergency"]
    assert set(titles({**lost, "kind": "minutes"})) == {
        "7. Greenhithe Ferry Link: Business Case",  # its amendment was lost
        "12. Motion: Climate Emergency",
    }
    assert titles({**lost, "vote": "amendment"}) == ["7. Greenhithe Ferry Link: Business Case"]
    assert titles({**lost, "vote": "motion", "kind": "minutes"}) == [
        "12. Motion: Climate Emergency"
    ]
    carried = {"q": "greenhithe", "outcome": "carried"}
    assert "Greenhithe Ferry Link: Business Case (2)" in titles(carried)
    assert titles({"q": "greenhithe", "vote": "amendment"}) == [
        "7. Greenhithe Ferry Link: Business Case"
    ]


def test_each_result_says_which_vote_matched(archive, amended):
    rows = {r.title: r.matched_votes for r in search({"q": "greenhithe OR climate"}).rows}
    assert rows["7. Greenhithe Ferry Link: Business Case"] == ["Motion carried", "Amendment lost"]
    assert rows["Greenhithe Ferry Link: Business Case (2)"] == ["Motion carried"]
    assert rows["Motion: Climate Emergency"] == ["Motion lost"]
    assert rows["13. Greenhithe Café Culture Fund"] == []
    rows = {r.title: r.matched_votes for r in search({"q": "greenhithe", "outcome": "lost"}).rows}
    assert rows == {
        "7. Greenhithe Ferry Link: Business Case": ["Amendment lost"],
        "12. Motion: Climate Emergency": ["Motion lost"],
    }


def test_vote_facet_counts_records_by_each_votes_outcome_and_kind(archive, amended):
    facets = search({"q": "greenhithe"}).facets
    # items 7 and 8 and the ferry resolution carried a motion; item 7's amendment and the
    # climate motion (item 12) were lost; the café minute and resolution had no vote
    assert [(label, n) for _, _, label, n in facets["outcome"]] == [
        ("Motion carried", 3),
        ("Amendment lost", 1),
        ("Motion lost", 1),
    ]
    assert [(outcome, kind) for outcome, kind, _, _ in facets["outcome"]] == [
        ("carried", "motion"),
        ("lost", "amendment"),
        ("lost", "motion"),
    ]


def test_results_page_shows_the_vote_facet_and_the_matched_vote(client, archive, amended):
    html = client.get("/search/", {"q": "greenhithe", "outcome": "lost"}).content.decode()
    assert 'Found by its vote: <span class="vote-outcome">Amendment lost</span>' in html
    assert "?q=greenhithe&amp;outcome=lost&amp;vote=amendment" in html  # the facet's link
    assert '<option value="amendment">Amendment</option>' in html
