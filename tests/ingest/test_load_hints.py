"""The officer's upload choices (committee, meeting date) as hints to load."""

import dataclasses
import datetime as dt

import pytest

from councilarchive.archive.files import sha256_of
from councilarchive.archive.models import Committee, Document, Item, Meeting, Report
from councilarchive.ingest.load import load
from councilarchive.ingest.parse import parse
from councilarchive.ingest.pipeline import default_council, store
from tests.conftest import PACKS
from tests.ingest.conftest import dump_pages

pytestmark = pytest.mark.django_db


def fresh_document(prefix: str, *, committee=None, date=None) -> Document:
    """The sample pack `prefix` as a new upload (the session's committed copy set aside)."""
    (path,) = PACKS.glob(f"{prefix}_*.pdf")
    Document.objects.filter(sha256=sha256_of(path)).delete()
    document, _ = store(path, committee=committee)
    document.meeting_date_hint = date
    document.save()
    return document


def committee(name: str) -> Committee:
    council = default_council()
    found, _ = Committee.objects.get_or_create(
        council=council, slug=name.lower().replace(" ", "-"), defaults={"name": name}
    )
    return found


def test_a_standalone_report_goes_to_the_meeting_the_officer_named(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # 002 is the Safeguarding Board's annual report: no header, no meeting, no date in the papers
    board = committee("Children's Social Care and Health Cabinet Committee")
    document = fresh_document("002", committee=board, date=dt.date(2018, 11, 21))
    pages = dump_pages("002")
    load(parse(pages), document, pages)
    report = Report.objects.get(document=document)
    assert report.subject == "Kent Safeguarding Children Board Annual Report 2017/18"
    assert (report.meeting.committee, report.meeting.date) == (board, dt.date(2018, 11, 21))


def test_without_hints_a_standalone_report_has_no_meeting(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = fresh_document("002")
    pages = dump_pages("002")
    load(parse(pages), document, pages)
    assert Report.objects.get(document=document).meeting is None


def test_the_officers_committee_is_preferred_for_the_packs_own_meetings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    chosen = committee("Kent Health and Wellbeing Board")
    document = fresh_document("004", committee=chosen)
    pages = dump_pages("004")
    load(parse(pages), document, pages)
    meetings = {
        (m.committee.name, str(m.date))
        for m in Meeting.objects.filter(items__document=document).select_related("committee")
    }
    # the agenda (27 January 2016) and the board's own minutes (18 November 2015) use the
    # officer's committee; the other boards' minutes appended to the pack keep their own
    assert ("Kent Health and Wellbeing Board", "2016-01-27") in meetings
    assert ("Kent Health and Wellbeing Board", "2015-11-18") in meetings
    assert ("Thanet Health and Wellbeing Board", "2015-11-19") in meetings
    assert ("Health and Wellbeing Board", "2016-01-27") not in meetings


def test_the_officers_date_is_used_when_the_front_sheet_has_none(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = fresh_document("003", date=dt.date(2017, 12, 11))
    pages = dump_pages("003")
    pack = parse(pages)
    undated = dataclasses.replace(pack, agenda=dataclasses.replace(pack.agenda, date=None))
    load(undated, document, pages)
    item = Item.objects.get(document=document, number="6")
    assert item.title == "Corporate Risk Register - Annual Report"
    assert (item.meeting.committee.name, item.meeting.date) == ("Cabinet", dt.date(2017, 12, 11))
    assert not [p for p in document.problems if p["kind"] == "upload_date_differs"]


def test_a_date_hint_that_disagrees_with_the_papers_is_reported_not_used(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = fresh_document("003", date=dt.date(2017, 12, 12))
    pages = dump_pages("003")
    load(parse(pages), document, pages)
    item = Item.objects.get(document=document, number="6")
    assert item.meeting.date == dt.date(2017, 12, 11)
    assert [p["message"] for p in document.problems if p["kind"] == "upload_date_differs"] == [
        "The meeting date given at upload (12 December 2017) differs from the papers' "
        "(11 December 2017); the papers' date is used."
    ]
