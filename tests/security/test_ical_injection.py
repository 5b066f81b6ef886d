"""iCalendar injection (issue 16, item 9): a lone carriage return in a venue ended the VEVENT and
began one of the attacker's. The committee's calendar, read by a calendar library, holds exactly
one event per meeting, and the venue comes back as it was typed."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from councilarchive.archive.models import Committee, Council, Meeting

pytestmark = pytest.mark.django_db

EVIL = "Hall\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:evil"


@pytest.mark.parametrize("venue", [EVIL, EVIL.replace("\r", "\n"), EVIL.replace("\r", "\r\n")])
def test_a_line_break_in_a_venue_cannot_add_an_event(client, venue):
    council, _ = Council.objects.get_or_create(name="Kent County Council")
    committee = Committee.objects.create(council=council, name="Ical Committee", slug="ical-c")
    Meeting.objects.create(committee=committee, date=dt.date(2019, 5, 9), venue=venue)
    Meeting.objects.create(
        committee=committee, date=dt.date(2019, 6, 13), time=dt.time(10), venue="Sessions House"
    )
    response = client.get("/committees/ical-c/meetings.ics")
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    assert [str(e["SUMMARY"]) for e in events] == ["Ical Committee", "Ical Committee"]
    assert str(events[0]["LOCATION"]).splitlines() == venue.splitlines()
    assert str(events[1]["DTSTART"].to_ical(), "ascii") == "20190613T090000Z"
    # Every physical line a line-oriented reader sees is a property or a folded continuation.
    lines = response.content.decode().split("\r\n")
    assert lines[-1] == "" and all("\r" not in line and "\n" not in line for line in lines)
    assert sum(line == "BEGIN:VEVENT" for line in lines) == 2
