"""The members register from a CSV: preview, errors per bad row, the command and its --dry-run."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from councilarchive.archive.models import Councillor
from councilarchive.ingest.councillors import CouncillorIndex
from councilarchive.ingest.members import apply_register, parse_date, read_register
from councilarchive.ingest.pipeline import default_council

pytestmark = pytest.mark.django_db

CSV = """Name,Party,Division,Start,End,Email
Mr R W Gough,Conservative,Sevenoaks Rural South,2017-05-04,,rg@example.org
Miss S J Carey,Conservative,Elham Valley,04/05/2017,,
Mr A J Hook,Liberal Democrat,Faversham,4 May 2017,6 May 2021,
Ms Rowan Newcomer,Green,Canterbury City South,2021-05-06,,
Ms Nobody,Green,Canterbury,not a date,,
,Labour,Dover,,,
Mr P Carter,Conservative,Tunbridge Wells Rural,2017-05-04,2017-01-01,
Mr Thomas,Conservative,Canterbury,,,
Mr R W Gough,Conservative,Sevenoaks,,,
"""


@pytest.fixture
def council(db):
    council = default_council()
    index = CouncillorIndex(council)
    for printed in ("Mr R W Gough", "Miss S J Carey", "Mr A J Hook", "Mr P B Carter, CBE"):
        index.resolve(printed)
    index.resolve("Mr R J Thomas")
    index.resolve("Mr I Thomas")
    return council


def test_preview_says_what_changes_and_why_each_bad_row_fails(council):
    plan = read_register(council, CSV)
    by_line = {row.line: row for row in plan.rows}
    gough = by_line[2]
    assert gough.action == "update" and gough.councillor.name == "Mr R W Gough"
    assert gough.changes["party"] == ("", "Conservative")
    assert gough.changes["served_from"] == (None, dt.date(2017, 5, 4))
    assert by_line[3].changes["served_from"] == (None, dt.date(2017, 5, 4))  # 04/05/2017
    assert by_line[4].changes["served_to"] == (None, dt.date(2021, 5, 6))
    assert by_line[5].action == "add" and by_line[5].councillor is None
    errors = dict(plan.errors)
    assert errors[6] == "start: “not a date” is not a date (write 2021-05-06 or 06/05/2021)"
    assert errors[7] == "No name."
    assert errors[8] == "The end (1 January 2017) is before the start (4 May 2017)."
    assert errors[9].startswith("“Mr Thomas” could be any of: Mr I Thomas; Mr R J Thomas.")
    assert errors[10] == "“Mr R W Gough” is already on line 2."
    assert plan.summary() == "1 to add, 3 to update, 0 unchanged, 5 rows with errors"
    assert not Councillor.objects.filter(party="Conservative").exists(), "a preview writes nothing"


def test_import_writes_the_good_rows_as_register_members(council):
    done = apply_register(read_register(council, CSV))
    assert done == {"added": 1, "updated": 3}
    hook = Councillor.objects.get(name="Mr A J Hook")
    assert (hook.party, hook.division, hook.served_to) == (
        "Liberal Democrat",
        "Faversham",
        dt.date(2021, 5, 6),
    )
    assert hook.is_member and hook.in_register
    new = Councillor.objects.get(surname="Newcomer")
    assert new.is_member and new.slug == "rowan-newcomer"
    assert list(new.aliases.values_list("printed", flat=True)) == ["Ms Rowan Newcomer"]
    again = read_register(council, CSV)
    assert again.summary().startswith("0 to add, 0 to update, 4 unchanged")


def test_dates(council):
    assert parse_date("2021-05-06") == dt.date(2021, 5, 6)
    assert parse_date("06/05/2021") == dt.date(2021, 5, 6)
    assert parse_date("") is None
    with pytest.raises(ValueError):
        parse_date("31/02/2021")


def test_a_file_without_a_name_column_is_refused(council):
    plan = read_register(council, "who,party\nMr X,Green\n")
    assert plan.errors == [(1, "The first row must name the columns, among them “name”.")]


def test_command_dry_run_writes_nothing_and_reports_bad_rows(council, tmp_path, capsys):
    path = tmp_path / "members.csv"
    path.write_text(CSV, encoding="utf-8")
    with pytest.raises(CommandError, match="5 row"):
        call_command("import_members", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "line 2: update Mr R W Gough: party: — → Conservative" in out
    assert "line 5: add Ms Rowan Newcomer: new record; party Green" in out
    assert "line 7: error: No name." in out
    assert not Councillor.objects.filter(party="Conservative").exists()
    with pytest.raises(CommandError):
        call_command("import_members", str(path))
    assert Councillor.objects.get(name="Mr R W Gough").party == "Conservative"
