"""Resolutions in every form the papers print, and none in ordinary prose."""

from councilarchive.ingest.parse.resolutions import find_resolutions
from councilarchive.ingest.parse.text import Line
from tests.ingest.conftest import kent_pack


def by_minute(prefix, set_index=0):
    return {i.minute_number: i.resolutions for i in kent_pack(prefix).minutes[set_index].items}


def lines(*texts):
    return [Line(1, t) for t in texts]


def test_county_council_resolutions_per_minute():
    res = by_minute("000")
    counts = {n: len(r) for n, r in res.items() if r}
    assert counts == {"18": 1, "22": 1, "23": 1, "24": 1, "25": 3, "26": 4}
    # "RESOLVED that the minutes of the meeting held on 25 May 2017 be approved as a correct record."
    assert res["18"][0].text == (
        "the minutes of the meeting held on 25 May 2017 be approved as a correct record."
    )
    assert res["18"][0].form == "RESOLVED that"
    # "(3) RESOLVED that the Cultural Strategy be adopted."
    assert (res["24"][0].number, res["24"][0].text) == ("(3)", "the Cultural Strategy be adopted.")
    # "(3) RESOLVED that;" / "(a) the appointment and offer made to the two new Corporate Director …"
    assert [r.number for r in res["25"]] == ["(3)(a)", "(3)(b)", "(3)(c)"]
    assert res["25"][0].text.startswith("the appointment and offer made to the two new Corporate")
    assert (
        res["26"][3].text == "Appendix 7 of the Constitution be amended to reflect these changes."
    )


def test_agreed_without_a_formal_vote_is_a_resolution_not_a_vote():
    # "(2) Following the debate the motion set out above was agreed without a formal vote."
    # "(3) RESOLVED that the Cultural Strategy be adopted."
    item = kent_pack("000").minutes[0].items[8]
    assert item.title == "Cultural Strategy"
    assert len(item.resolutions) == 1
    assert all(v.kind != "motion" or v.names_for for v in item.votes)


def test_cabinet_decision_table_fills_reason_alternatives_conflicts_dispensations():
    # "It was RESOLVED" then the table read column by column: "1." "2." "REASON" "1." "2." …
    res = by_minute("001")
    budget = res["18"]
    assert [r.number for r in budget] == ["1", "2"]
    assert budget[0].text.startswith("That the forecast revenue budget monitoring position for")
    assert budget[1].text == (
        "That the changes to the capital programme as detailed in section 6.4 of the report be agreed."
    )
    assert (
        budget[0].reason
        == "In order that Cabinet could properly conduct its monitoring activities."
    )
    assert budget[1].reason.startswith("In order that the Capital budget accurately reflected")
    assert (budget[0].alternatives, budget[0].conflicts, budget[0].dispensations) == (
        "None.",
        "None.",
        "None.",
    )
    ltp = res["20"]
    assert (
        ltp[0].text
        == "That the Local Transport Plan 4 be recommended to County Council for adoption."
    )
    assert ltp[1].text.startswith(
        "In addition, Cabinet endorsed for approval by the County Council"
    )
    assert ltp[0].reason.startswith("In order to meet the statutory duty to publish")
    company = res["23"]
    assert [r.text[:24] for r in company] == [
        "The creation of a compan",
        "The legal structure of t",
        "That the implementation ",
    ]
    assert company[0].reason.startswith("In order that proposed company may be created")
    assert res["19"][0].text == "the performance monitoring report for the third quarter be noted."
    assert res["21"][0].text.startswith("under Section 100A of the Local Government Act 1972")
    assert {n for n, r in res.items() if r} == {"18", "19", "20", "21", "23"}


def test_cabinet_table_without_reason_column_and_it_was_resolved_colon():
    res = by_minute("003")
    # "That the changes to the capital programme as detailed in section 5.4 of" / "the report be AGREED"
    assert [r.text[-6:] for r in res["38"]] == ["AGREED", "NOTED."]
    assert res["38"][0].reason == ""
    assert res["38"][0].alternatives == "None."
    # "It was RESOLVED:" / "That further consideration of the new information and proposed …"
    assert res["40"][0].text.startswith("That further consideration of the new information")
    assert "[A Cabinet Member decision" not in res["40"][0].text


def test_sentence_case_resolved_with_lettered_parts():
    res = by_minute("004")
    # "(4) Resolved that:" / "(a) A short briefing on the process …" … "(d) …"
    assert [r.number for r in res["181"]] == ["(4)(a)", "(4)(b)", "(4)(c)", "(4)(d)"]
    assert res["180"][0].text.startswith("the minutes of the meeting held on 16 September 2015")
    assert res["180"][0].form == "Resolved that"
    assert [len(res[n]) for n in ("182", "183", "184", "185", "186", "187", "188")] == [
        3, 2, 3, 2, 2, 1, 1,
    ]  # fmt: skip
    assert res["188"][0].text.endswith("West Kent – 15 September 2015")


def test_west_kent_numbered_paragraph_resolutions():
    # "4.2.4 RESOLVED: That the Board accept the recommendations outlined at 4.2.2 and explore"
    west_kent = kent_pack("004").minutes[6]
    res = {i.minute_number: i.resolutions for i in west_kent.items}
    assert res["4"][0].form == "RESOLVED that"
    assert res["4"][0].text.startswith("the Board accept the recommendations outlined at 4.2.2")
    assert res["10"][0].text.startswith("the Board note the report and re-visit the outcome")


def test_prose_resolved_is_not_a_resolution():
    prose = lines(
        "Adult Social Care – Contacts resolved at first point of contact fell in the quarter",
        "issue has been resolved through contract management and performance is expected",
        "the matter was resolved. Resolution of the dispute followed.",
    )
    assert find_resolutions(prose) == []


def test_no_resolutions_in_reports_or_prose_pages_of_the_packs():
    for prefix in ("000", "001", "003"):
        for minutes in kent_pack(prefix).minutes:
            for item in minutes.items:
                for r in item.resolutions:
                    assert "resolved at first" not in r.text


def test_bristol_approved_numbered_and_markdown_forms():
    got = find_resolutions(
        lines(
            "On being put to the vote the recommendations were CARRIED (5 voting FOR, 4 voting AGAINST).",
            "It was APPROVED that;",
            "1. That the Transport and Connectivity Committee approved the undertaking of development and",
            "implementation work for the RPS areas.",
            "2. Authorised the Executive Director Growth and Regeneration.",
        )
    )
    assert [(r.number, r.form) for r in got] == [
        ("(1)", "It was APPROVED that"),
        ("(2)", "It was APPROVED that"),
    ]
    assert got[0].text.endswith("implementation work for the RPS areas.")
    md = find_resolutions(lines("**RESOLVED:** That the report be noted."))
    assert [(r.form, r.text) for r in md] == [("RESOLVED that", "the report be noted.")]
    split = find_resolutions(
        lines("CARRIED unanimously. It was", "APPROVED that;", "That X be done.")
    )
    assert [r.text for r in split] == ["That X be done."]


def test_each_that_under_a_decimal_numbered_resolved_is_a_decision():
    from tests.ingest.conftest import kent_pack

    (west_kent,) = [m for m in kent_pack("004").minutes if m.body.startswith("West Kent")]
    by_number = {i.minute_number: [r.text for r in i.resolutions] for i in west_kent.items}
    # p 104: "4.2.4 RESOLVED: That the Board accept …" ends at "4.3 Update on Alcohol Summit"
    # (its "ACTION: …" note kept with it)
    assert by_number["4"][0].endswith("for use by Board Member partner agencies.")
    assert "Alcohol Summit" not in by_number["4"][0]
    # p 107: "6.2.6 RESOLVED: That the Swale approach be applied …" / "That the Board notes …"
    assert [t[:30] for t in by_number["6"]] == [
        "the Swale approach be applied ",
        "the Board notes the joint work",
    ]
    # p 108: "7.5 RESOLVED: That the WK HWB members duly note the report. That the WK HWB encourage"
    assert by_number["7"][0] == "the WK HWB members duly note the report."
    # p 109: "8.3 RESOLVED:" / "8.3.1 That the Chair, …" / "8.3.2 That …" / "8.3.3 That …"
    assert [t[:22] for t in by_number["8"]] == [
        "That the Chair, will h",
        "the Board explores opp",
        "the Board notes the NH",
    ]


def test_decision_list_numbered_as_the_reports_recommendations():
    # Bristol numbers decisions as the report did: "4." then "6." when recommendation 5 was lost,
    # and minute 10 of 12 Sep 2024 approves "3." to "6." under its stem
    res = find_resolutions(
        lines(
            "It was APPROVED;",
            "That the Committee for Transport and Connectivity",
            "3.   Approved, subject to suitable resource being available, the progression to Stage One",
            "4. Stage One Development and OBC costs to be funded through CAZ funding.",
            "Contractual:",
            "6.  Authorised the Executive Director Growth and Regeneration to procure the contract.",
        )
    )
    assert [r.number for r in res] == ["(3)", "(4)", "(6)"]
    assert res[1].text.endswith("through CAZ funding.")  # "Contractual:" heads the next ones
    assert res[2].text.startswith("Authorised the Executive Director")


def test_no_space_after_the_number():
    # "1.That the Transport and Connectivity Committee approved the undertaking of …"
    res = find_resolutions(
        lines(
            "It was APPROVED that;",
            "1.That the Committee approved the undertaking of development work.",
            "2. That the Committee approved the total allocation of £7,502,000.",
        )
    )
    assert [r.text[:25] for r in res] == ["That the Committee approv"] * 2


def test_recommendation_not_approved_ends_the_decision():
    # "Recommendation 3 was not approved:" then the text of recommendation 3 (2 For, 7 Against)
    res = find_resolutions(
        lines(
            "It was APPROVED that;",
            "That the Committee for Transport and Connectivity:",
            "1. Noted the outcomes of the review of evidence.",
            "2. Approved launching a six-week public engagement.",
            "Recommendation 3 was not approved:",
            "3. Authorise the Executive Director for Growth & Regeneration to consider the outcomes.",
        )
    )
    assert [r.number for r in res] == ["(1)", "(2)"]


def test_decision_stem_without_resolving_words():
    # "On being put to the vote the recommendations were CARRIED (unanimously)." /
    # "That the Committee for Transport and Connectivity:" / "1. Noted …" (no RESOLVED, no APPROVED)
    res = find_resolutions(
        lines(
            "On being put to the vote the recommendations were CARRIED (unanimously).",
            "That the Transport and Connectivity Committee:",
            "1. noted this report and accept that Bristol is entering a period of works.",
            "2. noted that the CRSTS schemes follow the Bristol transport policy.",
        )
    )
    assert [(r.number, r.form) for r in res] == [("(1)", "That"), ("(2)", "That")]


def test_a_motion_quoted_after_the_following_is_no_decision():
    # "Councillor Self moved an amendment … The amendment text as follows:" / "That the Committee
    # for Transport and Connectivity" / "1. In order to ensure …": proposed, not decided
    res = find_resolutions(
        lines(
            "Councillor Self moved the following amendment:",
            "That the Committee for Transport and Connectivity:",
            "1. In order to ensure money is not spent unnecessarily, the process would be split.",
        )
    )
    assert res == []
