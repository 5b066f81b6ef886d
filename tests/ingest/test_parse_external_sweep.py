"""Every file in ../shared/external parses without an exception, and yields what a reader finds."""

import datetime as dt

import pytest

from tests.ingest.conftest import EXTERNAL

PDFS = sorted(p.name for p in EXTERNAL.glob("*/*.pdf")) if EXTERNAL.is_dir() else []

# file part -> (body, date, number of minute items) of the one set of minutes a reader finds there
MINUTES = {
    "bcc-0004": ("Transport and Connectivity Policy Committee", dt.date(2024, 9, 12), 6),
    # 0022: twelve items; "5" / "Chair's Announcements" / "There were none." at the foot of p1 is
    # minute 5, not a page number
    "bcc-0022": ("Transport and Connectivity Policy Committee", dt.date(2024, 9, 12), 12),
    "bcc-0023": ("Transport & Connectivity Policy Committee", dt.date(2025, 10, 23), 10),
    "bcc-0024": ("Transport & Connectivity Policy Committee", dt.date(2025, 10, 23), 16),
    "bcc-0025": ("Transport & Connectivity Policy Committee", dt.date(2026, 3, 19), 5),
    "bcc-0026": ("Transport & Connectivity Policy Committee", dt.date(2026, 3, 19), 11),
    "bcc-0035": ("Transport & Connectivity Policy Committee", dt.date(2025, 5, 15), 14),
    "bcc-0036": ("Transport & Connectivity Policy Committee", dt.date(2025, 5, 15), 20),
}
REPORTS = {
    "bcc-0003": "Workplace Parking Levy",
    "bcc-0014": "Workplace Parking Levy Update",
    "weca-0024": "TRANSPORT",
}


@pytest.mark.skipif(not PDFS, reason="../shared/external not present (a user's own clone)")
@pytest.mark.parametrize("name", PDFS)
def test_every_external_pdf_parses_cleanly_into_what_a_reader_finds(external_pack, name):
    pack = external_pack(name)
    assert [p for p in pack.problems if p["kind"] == "section_unreadable"] == []
    part = next((k for k in [*MINUTES, *REPORTS] if k in name), None)
    if part in MINUTES:
        body, date, count = MINUTES[part]
        (minutes,) = pack.minutes
        assert (minutes.body, minutes.date, len(minutes.items)) == (body, date, count)
        assert sum(len(i.resolutions) for i in minutes.items) > 0
    elif part in REPORTS:
        assert [r.subject for r in pack.reports] == [REPORTS[part]]
        assert pack.minutes == [] or pack.minutes == ()
    elif "audit-committee" in name:  # Merton: 22 October 2009, the 24 September minutes in it
        assert (pack.agenda.body, pack.agenda.date) == ("Audit Committee", dt.date(2009, 10, 22))
        assert pack.minutes[0].date == dt.date(2009, 9, 24)


def test_bristol_15_may_2025_minutes_every_vote_tally(external_pack):
    minutes = external_pack("bcc-0036").minutes[0]
    votes = {
        i.minute_number: [
            (v.kind, v.count_for, v.count_against, v.count_abstain, v.outcome) for v in i.votes
        ]
        for i in minutes.items
        if i.votes
    }
    assert votes == {
        # "On being put to the vote the recommendation was CARRIED unanimously."
        "9": [("motion", None, None, None, "carried")],
        # "… the amendment FELL with 2 voting FOR and 7 AGAINST." / "… the substantive
        # recommendations were CARRIED with 4 members voting FOR, 1 AGAINST and 4 ABSTAINING."
        "10": [("amendment", 2, 7, None, "lost"), ("motion", 4, 1, 4, "carried")],
        "11": [("motion", None, None, None, "carried")],
        "12": [("motion", None, None, None, "carried")],
        # "… CARRIED with 7 members voting FOR, 1 AGAINST and no ABSTAINING."
        "13": [("motion", 7, 1, 0, "carried")],
        "14": [("motion", None, None, None, "carried")],
        "15": [("motion", None, None, None, "carried")],
        "16": [("motion", None, None, None, "carried")],
    }
