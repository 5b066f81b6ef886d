"""Recorded votes: Kent named votes (000, County Council 13 July 2017) and Bristol tallies."""

from functools import cache

import pytest

from councilarchive.ingest.parse.text import Line, lines_of
from councilarchive.ingest.parse.votes import find_votes
from tests.ingest.conftest import EXTERNAL, kent_lines, kent_pack


def _item(first: str, stop: str) -> list[Line]:
    """The lines of one minute of 000 (pages 7-10), from its heading to the next heading."""
    lines = kent_lines("000", 3, 10)
    start = next(k for k, x in enumerate(lines) if x.text.startswith(first))
    end = next((k for k in range(start + 1, len(lines)) if lines[k].text.startswith(stop)), None)
    return lines[start:end]


@cache
def _minute_23():
    return find_votes(_item("23. Local Transport Plan 4", "24. Cultural Strategy"))


@cache
def _minute_26():
    return find_votes(_item("26. Member Remuneration Panel", "(5) RESOLVED"))


# Transcribed from 000 pp 7-8: "For (62)" …
LTP4_FOR = (
    "Mrs A Allen, Mr M Angell, Mr P Barrington-King, Mr P Bartlett, Mrs C Bell, Mrs R Binks, "
    "Mr R Bird, Mr T Bond, Mr A Bowles, Mr D Butler, Miss S Carey, Mr P Carter, Mrs S Chandler, "
    "Mr N Chard, Mr I Chittenden, Mrs P Cole, Mr N Collor, Mr A Cook, Mr G Cooke, Mr P Cooper, "
    "Mrs M Crabtree, Mr D Daley, Mr M Dance, Miss E Dawson, Mrs T Dean, Mrs L Game, Mrs S Gent, "
    "Mr G Gibbens, Mr R Gough, Mr K Gregory, Ms S Hamilton, Mr M Hill, Mr T Hills, Mrs S Hohler, "
    "Mr S Holden, Mr P Homewood, Mr M Horwood, Mr E Hotson, Mr J Kite, Mr G Koowaree, Mr P Lake, "
    "Mr R Long, Mr R Love, Mr G Lymer, Mr A Marsh, Mr J McInroy, Mr P Messenger, Mr D Murphy, "
    "Mr M Northey, Mr P Oakford, Mr J Ozog, Mr D Pascoe, Mr M Payne, Mrs S Prendergast, "
    "Mr K Pugh, Mr H Rayner, Mr C Simkins, Mr J Simmonds, Mrs P Stockell, Mr I Thomas, "
    "Mr M Whiting, Mr J Wright"
).split(", ")
LTP4_AGAINST = (
    "Ms K Constantine, Mr T Dhesi, Mr A Hook, Mr B Lewis, Ms D Marsh, Mr A Ridgers, "
    "Dr L Sullivan, Mr B Sweetland, Mr M Whybrow"
).split(", ")

# 000 p9: the amendment to minute 26, "For (7)" / "Against (57)" / "Abstain (6)"
AMENDMENT_FOR = (
    "Mr R Bird, Mr I Chittenden, Mr D Daley, Mrs T Dean, Mr A Hook, Mr G Koowaree, Mr G Lymer"
).split(", ")
AMENDMENT_AGAINST = (
    "Mrs A Allen, Mr M Angell, Mr P Barrington-King, Mr T Bond, Mr A Bowles, Miss S Carey, "
    "Mr P Carter, Mr N Chard, Mrs P Cole, Mr N Collor, Ms K Constantine, Mr A Cook, Mr G Cooke, "
    "Mr P Cooper, Mrs M Crabtree, Mr M Dance, Miss E Dawson, Mr T Dhesi, Mr D Farrell, "
    "Mrs L Game, Mrs S Gent, Mr G Gibbens, Mr R Gough, Mr K Gregory, Ms S Hamilton, Mr M Hill, "
    "Mr T Hills, Mrs S Hohler, Mr S Holden, Mr P Homewood, Mr E Hotson, Mr P Lake, Mr B Lewis, "
    "Mr R Long, Mr R Love, Mr A Marsh, Ms D Marsh, Mr J McInroy, Mr P Messenger, Mr D Murphy, "
    "Mr M Northey, Mr P Oakford, Mr J Ozog, Mr D Pascoe, Mrs S Prendergast, Mr K Pugh, "
    "Mr H Rayner, Mr A Ridgers, Mr C Simkins, Mr J Simmonds, Mrs P Stockell, Dr L Sullivan, "
    "Mr B Sweetland, Mr I Thomas, Mr M Whiting, Mr M Whybrow, Mr J Wright"
).split(", ")
AMENDMENT_ABSTAIN = (
    "Mrs C Bell, Mrs R Binks, Mr D Butler, Mrs S Chandler, Mr M Horwood, Mr J Kite"
).split(", ")


def test_every_recorded_vote_of_13_july_2017_counts_and_flags():
    got = [
        (v.kind, v.count_for, v.count_against, v.count_abstain, v.outcome, v.count_mismatch)
        for v in (*_minute_23(), *_minute_26())
    ]
    assert got == [
        # minute 23: no outcome line, but "(3) RESOLVED that the Local Transport Plan 4 … be
        # adopted" follows the lists
        ("motion", 62, 9, 1, "carried", False),
        ("amendment", 7, 57, 6, "lost", False),  # "Amendment lost"
        ("motion", 48, 13, 9, "carried", False),  # "Motion carried"
    ]


def test_ltp4_vote_names_in_full_across_the_page_break():
    (vote,) = _minute_23()
    assert list(vote.names_for) == LTP4_FOR
    # "Against (9)" is the last line of p7; its names are on p8, ending "Mr M Whybrow,"
    assert list(vote.names_against) == LTP4_AGAINST
    assert vote.names_abstain == ("Mr D Farrell",)
    assert vote.page == 7


def test_vote_names_rejoin_split_commas():
    (vote,) = _minute_23()
    # "Homewood, Mr M, Horwood, Mr E Hotson" / "Mr A Marsh, , Mr J McInroy" /
    # "Mr M Payne, Mrs S, Prendergast, Mr K Pugh" / "Mr I\nChittenden"
    for name in ("Mr M Horwood", "Mrs S Prendergast", "Mr I Chittenden", "Mr J McInroy"):
        assert name in vote.names_for
    assert "Mr M" not in vote.names_for and "Horwood" not in vote.names_for
    assert "" not in vote.names_for


def test_amendment_vote_names_in_full():
    amendment, _ = _minute_26()
    assert list(amendment.names_for) == AMENDMENT_FOR
    assert list(amendment.names_against) == AMENDMENT_AGAINST
    assert list(amendment.names_abstain) == AMENDMENT_ABSTAIN


def test_substantive_motion_vote_after_the_amendment():
    _, motion = _minute_26()
    # "Oakford, Mr D Pascoe, Mrs S, Prendergast, Mr K Pugh" in the For list, p9
    assert "Mrs S Prendergast" in motion.names_for
    # "Against (13)" opens p10
    assert motion.names_against[:2] == ("Mr R Bird", "Mr I Chittenden")
    assert motion.names_abstain[-1] == "Mr J Ozog"  # "Love, Mr J Ozog," — trailing comma
    assert motion.page == 9


def test_question_is_the_text_of_the_motion_or_amendment_voted_on():
    (ltp4,) = _minute_23()
    assert ltp4.question.startswith(
        "The County Council is asked to approve and adopt Local Transport Plan 4"
    )
    amendment, motion = _minute_26()
    # "put the amendment set out in paragraph (2) above to the vote"
    assert amendment.question.startswith("The County Council is asked to note this report")
    # "put the motion set out in paragraph (1) above to the vote"
    assert motion.question.startswith("To apply a global increase of 15% to all current allowances")


def test_amendment_keeps_its_mover_seconder_and_text_as_printed():
    # 000 p 8: "(2) Mr Bird proposed and Mrs Dean seconded the following amendment:" / "“The
    # County Council is asked to note this report, …”" / "(3) Following the debate the Chairman
    # put the amendment set out in paragraph (2) above to the vote and the voting was as follows:"
    amendment, motion = _minute_26()
    assert (amendment.kind, amendment.mover, amendment.seconder) == (
        "amendment",
        "Mr Bird",
        "Mrs Dean",
    )
    assert amendment.question.startswith("The County Council is asked to note this report")
    assert amendment.question.endswith("No other recommended changes to the allowances.")
    assert "Following the debate" not in amendment.question
    assert "voting was as follows" not in amendment.question
    assert not amendment.question_unclear
    # "(1) Mr Hotson moved and Mr Gregory seconded the following motion"
    assert (motion.mover, motion.seconder, motion.question_unclear) == (
        "Mr Hotson",
        "Mr Gregory",
        False,
    )


@pytest.mark.skipif(not EXTERNAL.is_dir(), reason="../shared/external not present")
def test_todays_template_names_an_untitled_proposer():
    # cc-2024-12-19 p 13: "10)    Jenni Hawkins proposed, and Mr Stepto seconded the motion that"
    from councilarchive.ingest.extract import extract
    from councilarchive.ingest.parse import parse

    pdf = EXTERNAL / "kent-county-council-2024-25" / "cc-2024-12-19-minutes.pdf"
    (minutes,) = parse(extract(pdf, workers=1)).minutes
    votes = [v for i in minutes.items for v in i.votes]
    assert [(v.mover, v.seconder) for v in votes] == [
        ("Mr Baker", "Mr Robey"),
        ("Mr Brady", "Ms Meade"),
        ("Mr Streatfeild", "Mr Hook"),
        ("Mr Meade", "Mr Cannon"),
        ("Jenni Hawkins", "Mr Stepto"),
    ]
    assert not any(v.question_unclear for v in votes)


def test_without_the_printed_amendment_the_announcement_stands_in_and_says_so():
    # 000's minute 26 with paragraph (2) (the amendment as moved) taken out: only "(3) Following
    # the debate the Chairman put the amendment set out in paragraph (2) above to the vote" is left
    lines = _item("26. Member Remuneration Panel", "(5) RESOLVED")
    start = next(k for k, x in enumerate(lines) if x.text.startswith("(2) Mr Bird proposed"))
    end = next(k for k, x in enumerate(lines) if x.text.startswith("(3) Following the debate"))
    amendment = find_votes(lines[:start] + lines[end:])[0]
    assert amendment.kind == "amendment"
    assert amendment.question_unclear
    assert amendment.question.startswith("(3) Following the debate the Chairman put the amendment")
    assert (amendment.mover, amendment.seconder) == ("", "")


def test_count_mismatch_is_flagged_never_accepted():
    lines = [
        Line(1, "(2) The Chairman put the motion to the vote and the voting was as follows:"),
        Line(1, "For (3)"),
        Line(1, "Mr A Allen, Mr B Brown"),
        Line(1, "Against (1)"),
        Line(1, "Mrs C Cole"),
        Line(1, "Motion carried"),
    ]
    (vote,) = find_votes(lines)
    assert (vote.count_for, vote.names_for) == (3, ("Mr A Allen", "Mr B Brown"))
    assert vote.count_mismatch is True
    assert (vote.kind, vote.outcome) == ("motion", "carried")


def test_agreed_without_a_formal_vote_is_not_a_vote():
    # 000 p7: "(2) Following the debate the motion set out above was agreed without a formal vote."
    lines = _item("24. Cultural Strategy", "25. County Council Directorate")
    assert find_votes(lines) == []


def test_prose_is_not_a_vote():
    lines = [
        Line(1, "Against this background the Council agreed to proceed."),
        Line(1, "The grant for (a) roads and (b) bridges was noted; for (2) years the"),
        Line(1, "For (a) the first year the scheme was carried forward."),
        Line(1, "Three trees would be lost within the scheme."),
        # numbers beside a verdict word, but no vote
        Line(1, "Admissions fell by 5 for the third year running."),
        Line(1, "Numbers fell (2 for each school, 3 against target) last year."),
        Line(1, "Income fell with 4 for the year."),
        Line(1, "The work staff had carried out (over 12 months) was noted."),
    ]
    assert find_votes(lines) == []


def test_amendment_then_substantive_motion_with_glued_and_split_names():
    # the Kent form as printed elsewhere in the County Council's minutes: "The amendment was put
    # to the vote", a bare "Lost"/"Carried", names glued ("Mr B BrownMrs C Cole") or split over
    # lines by a stray comma ("Mrs E" / ", Evans"), honours kept ("Mr P B Carter, CBE")
    lines = [
        Line(4, "(5) The amendment was put to the vote and the voting was as follows:"),
        Line(4, "For (3)"),
        Line(4, "Mr A Allen, Mr B BrownMrs C Cole,"),
        Line(5, "Against (2)"),
        Line(5, "Mr D Dance, Mrs E"),
        Line(5, ", Evans"),
        Line(5, "Lost"),
        Line(5, "(6) The substantive motion was put to the vote and the voting was as follows:"),
        Line(5, "For (4)"),
        Line(5, "Mr A Allen, Mr B Brown, Mrs C Cole, Mr P B Carter, CBE"),
        Line(5, "Against (1)"),
        Line(5, "Mr D Dance"),
        Line(5, "Abstain (1)"),
        Line(5, "Mrs E Evans"),
        Line(5, "Carried"),
    ]
    amendment, motion = find_votes(lines)
    assert (amendment.kind, amendment.outcome, amendment.page) == ("amendment", "lost", 4)
    assert amendment.names_for == ("Mr A Allen", "Mr B Brown", "Mrs C Cole")
    assert amendment.names_against == ("Mr D Dance", "Mrs E Evans")
    assert not amendment.count_mismatch
    assert (motion.kind, motion.outcome, motion.page) == ("substantive motion", "carried", 5)
    assert motion.names_for[-1] == "Mr P B Carter, CBE"
    assert (motion.count_for, motion.count_against, motion.count_abstain) == (4, 1, 1)
    assert motion.question.startswith("(6) The substantive motion was put to the vote")


def test_votes_reach_the_minute_items_through_parse():
    (minutes,) = [m for m in kent_pack("000").minutes]
    by_number = {i.minute_number: i for i in minutes.items}
    assert [len(by_number[n].votes) for n in ("22", "23", "24", "25", "26")] == [0, 1, 0, 0, 2]
    assert sum(len(i.votes) for i in minutes.items) == 3


def test_the_whole_of_packs_without_votes_yield_none():
    for prefix in ("001", "002", "003", "004"):
        assert find_votes(kent_lines(prefix, 1, 999)) == [], prefix


# --- Bristol tallies (real PDFs under ../shared/external) --------------------------------------


@pytest.fixture(scope="module")
def bristol_votes():
    if not EXTERNAL.is_dir():
        pytest.skip("../shared/external not present (a user's own clone)")
    from councilarchive.ingest.extract import extract

    done = {}

    def get(name_part: str):
        if name_part not in done:
            (path,) = [
                p for p in EXTERNAL.glob("bristol-city-council/*.pdf") if name_part in p.name
            ]
            done[name_part] = find_votes(lines_of(extract(path)))
        return done[name_part]

    return get


def _tallies(votes):
    return [
        (v.kind, v.count_for, v.count_against, v.count_abstain, v.outcome)
        for v in votes
        if v.count_for is not None
    ]


def test_bristol_tally_carried_five_for_four_against(bristol_votes):
    votes = bristol_votes("src-bcc-0024")
    # "On being put to the vote the recommendations were CARRIED (5 voting FOR, 4 voting AGAINST)."
    # (twice) and "CARRIED (5 voting FOR, 4 AGAINST)."
    assert _tallies(votes) == [("motion", 5, 4, None, "carried")] * 3
    assert all(v.tally_only and not v.names_for for v in votes)
    assert votes[0].question == (
        "On being put to the vote the recommendations were CARRIED (5 voting FOR, 4 voting AGAINST)"
    )


def test_bristol_amendment_fell_and_substantive_carried_with_abstentions(bristol_votes):
    votes = bristol_votes("src-bcc-0036")
    # "On being put to the vote the amendment FELL with 2 voting FOR and 7 AGAINST."
    # "…the substantive recommendations were CARRIED with 4 members voting FOR, 1\nAGAINST and 4
    # ABSTAINING."; "CARRIED with 7 members voting FOR, 1 AGAINST and\nno ABSTAINING."
    assert _tallies(votes) == [
        ("amendment", 2, 7, None, "lost"),
        ("motion", 4, 1, 4, "carried"),
        ("motion", 7, 1, 0, "carried"),
    ]


def test_bristol_recommendation_fell(bristol_votes):
    votes = bristol_votes("src-bcc-0026")
    # "On being put to the vote, recommendation 3 FELL (2 voting for, 7 voting against)"
    assert _tallies(votes) == [("motion", 2, 7, None, "lost")]
    assert "recommendation 3 FELL" in votes[1].question


def test_bristol_decision_notice_not_approved_tally(bristol_votes):
    # "Recommendations 3 was not approved (2 For, 7 Against with 0 Abstention.)"
    assert _tallies(bristol_votes("src-bcc-0025")) == [("motion", 2, 7, 0, "lost")]


def test_bristol_members_voting_in_favour_none_against(bristol_votes):
    votes = bristol_votes("src-bcc-0022")
    assert _tallies(votes) == [
        # "CARRIED (6 members voting in favour, none against with 3\nabstentions)"
        ("motion", 6, 0, 3, "carried"),
        # "the amendment was CARRIED (5 members voting in favour and 1 against.  There\nwere 3
        # abstentions)"
        ("amendment", 5, 1, 3, "carried"),
        # "CARRIED (8 members voting in favour, 0 against with 1 abstention." — bracket unclosed
        ("motion", 8, 0, 1, "carried"),
        # "the recommendation was LOST (4 members voting in favour, 5 against)"
        ("motion", 4, 5, None, "lost"),
        ("amendment", 2, 7, None, "lost"),  # "the amendment was LOST (2 … and 7 against)"
        ("motion", 4, 5, None, "lost"),
        ("amendment", 7, 0, 2, "carried"),
        ("motion", 8, 1, None, "carried"),  # "CARRIED (8\nvoting FOR, 1 against)"
    ]


def test_bristol_carried_unanimously_is_a_vote_without_counts(bristol_votes):
    votes = bristol_votes("src-bcc-0022")
    unanimous = [v for v in votes if v.count_for is None]
    # "On being put to the vote the recommendation was CARRIED unanimously." (11 times)
    assert len(unanimous) == 11
    assert all(v.outcome == "carried" and v.tally_only for v in unanimous)
    assert unanimous[0].question.endswith("was CARRIED unanimously")


def test_bristol_decision_notices_without_tallies_have_no_votes(bristol_votes):
    for name in ("src-bcc-0004", "src-bcc-0023", "src-bcc-0035"):
        assert bristol_votes(name) == [], name


def test_decision_notice_unanimous_approval_is_the_vote_the_minutes_record(bristol_votes):
    # The notice's "2. Approved (Unanimously) launching a six-week public engagement" and
    # "That the Committee … (Unanimously APPROVED):" are the minutes' "recommendation 2 was
    # CARRIED unanimously" and "the recommendations were CARRIED (unanimously)" (0026): the
    # same votes, so both papers give them
    votes = bristol_votes("src-bcc-0025")
    unanimous = [v for v in votes if v.count_for is None]
    assert [(v.kind, v.outcome, v.tally_only) for v in unanimous] == [
        ("motion", "carried", True)
    ] * 2
    assert unanimous[0].question.endswith("Approved (Unanimously)")
    assert unanimous[1].question.endswith("(Unanimously APPROVED)")


def test_unanimously_elsewhere_in_a_decision_is_no_vote():
    text = ["The Committee noted that the petition was unanimously approved by the residents."]
    assert find_votes([Line(1, t) for t in text]) == []
