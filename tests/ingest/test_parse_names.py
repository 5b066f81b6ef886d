"""Printed names: lists, attendees, name parts and which printed forms can be one person."""

import pytest

from councilarchive.ingest.parse.model import Attendee
from councilarchive.ingest.parse.names import (
    NameParts,
    compatible,
    name_parts,
    parse_attendee,
    split_names,
)


def test_split_names_rejoins_a_name_split_by_a_stray_comma():
    # 000 p7: "Oakford, Mr J Ozog, Mr D Pascoe, Mr M Payne, Mrs S, Prendergast, Mr K Pugh"
    assert split_names("Mr M Payne, Mrs S, Prendergast, Mr K Pugh") == [
        "Mr M Payne",
        "Mrs S Prendergast",
        "Mr K Pugh",
    ]
    # 000 p7: "Homewood, Mr M, Horwood, Mr E Hotson"
    assert split_names("Mr P Homewood, Mr M, Horwood, Mr E Hotson") == [
        "Mr P Homewood",
        "Mr M Horwood",
        "Mr E Hotson",
    ]


def test_split_names_drops_an_empty_entry_between_double_commas():
    # 000 p7: "Love, Mr G Lymer, Mr A Marsh, , Mr J McInroy, Mr P Messenger"
    assert split_names("Mr A Marsh, , Mr J McInroy") == ["Mr A Marsh", "Mr J McInroy"]


def test_split_names_keeps_honours_with_the_name():
    assert split_names("Mr P B Carter, CBE, Mr M C Dance") == ["Mr P B Carter, CBE", "Mr M C Dance"]
    assert split_names("Mrs A Smith, OBE, JP, Mr B Jones, DL") == [
        "Mrs A Smith, OBE, JP",
        "Mr B Jones, DL",
    ]


def test_split_names_handles_and_before_the_last_name():
    # 000 p3 (apologies): "… Mr Booth, Mr Harman, … and Miss Rankin"
    assert split_names("Mrs Beresford, Mr Balfour and Miss Rankin") == [
        "Mrs Beresford",
        "Mr Balfour",
        "Miss Rankin",
    ]
    assert split_names("Gill Rigg and Andrew Ireland") == ["Gill Rigg", "Andrew Ireland"]


def test_split_names_does_not_split_a_body_on_and():
    assert split_names("Health and Wellbeing Board") == ["Health and Wellbeing Board"]


def test_split_names_joins_a_name_broken_across_lines():
    # 000 p7: "Mr T Bond, … Mr I\nChittenden, Mrs P Cole"
    assert split_names("Mr N Chard, Mr I\nChittenden, Mrs P Cole") == [
        "Mr N Chard",
        "Mr I Chittenden",
        "Mrs P Cole",
    ]


def test_split_names_keeps_bracketed_roles_and_their_commas():
    # 004 p4: "Mr G Lymer (Substitute for Mr P J Oakford), Dr T Martin, … Dr M Philpott
    # (Substitute for Dr F Armstrong), Cllr K Pugh, … and Cllr L Weatherly"
    text = (
        "Dr N Kumta, Mr G Lymer (Substitute for Mr P J Oakford), Dr T Martin, Dr M Philpott\n"
        "(Substitute for Dr F Armstrong), Cllr K Pugh and Cllr L Weatherly"
    )
    assert split_names(text) == [
        "Dr N Kumta",
        "Mr G Lymer (Substitute for Mr P J Oakford)",
        "Dr T Martin",
        "Dr M Philpott (Substitute for Dr F Armstrong)",
        "Cllr K Pugh",
        "Cllr L Weatherly",
    ]


def test_split_names_separates_a_role_from_the_next_name_without_a_comma():
    assert split_names("Mr D L Brazier (Chairman) Mr M J Angell (Vice-Chairman)") == [
        "Mr D L Brazier (Chairman)",
        "Mr M J Angell (Vice-Chairman)",
    ]


def test_split_names_separates_glued_names():
    assert split_names("Mr P B CarterMrs S Chandler, Mr A Marsh Mr J McInroy") == [
        "Mr P B Carter",
        "Mrs S Chandler",
        "Mr A Marsh",
        "Mr J McInroy",
    ]


def test_attendee_role_comes_from_brackets():
    assert parse_attendee("Mr P B Carter, CBE (Chairman)") == Attendee(
        name="Mr P B Carter, CBE", role="Chairman"
    )
    assert parse_attendee("Mr M J Angell (Vice-Chairman)").role == "Vice-Chairman"


def test_attendee_substitute_for():
    assert parse_attendee("Mr G Lymer (Substitute for Mr P J Oakford)") == Attendee(
        name="Mr G Lymer", role="", substitute_for="Mr P J Oakford"
    )
    # "(substitute)" without whom: a substitute, for someone not printed
    assert parse_attendee("Mrs L Game (substitute)") == Attendee(
        name="Mrs L Game", role="Substitute", substitute_for=""
    )


def test_name_parts_of_the_printed_forms_of_one_person():
    assert name_parts("Mr P B Carter, CBE (Chairman)") == NameParts(
        title="Mr", forenames="P B", surname="Carter", honours="CBE", role="Chairman"
    )
    assert name_parts("Paul Carter, Leader of the Council") == NameParts(
        title="", forenames="Paul", surname="Carter", role="Leader of the Council"
    )
    assert name_parts("Mr Carter") == NameParts(title="Mr", surname="Carter")
    assert name_parts("Councillor Ed Plowden").title == "Cllr"
    assert name_parts("Mr P Barrington-King").surname == "Barrington-King"
    assert name_parts("Mr A Scott-Clark") == NameParts("Mr", "A", "Scott-Clark")
    assert name_parts("Cllr Roger Gough") == NameParts("Cllr", "Roger", "Gough")
    assert name_parts("Dr F Armstrong") == NameParts("Dr", "F", "Armstrong")
    assert name_parts("Miss S J Carey") == NameParts("Miss", "S J", "Carey")
    assert name_parts("Mr P Carter") == NameParts("Mr", "P", "Carter")
    # 000 p3: "Mr R L H Long, TD" / "Mrs A D Allen, MBE"
    assert name_parts("Mr R L H Long, TD") == NameParts("Mr", "R L H", "Long", "TD")
    assert name_parts("Roger Gough – Cabinet Member for Education and Health Reform") == (
        NameParts(
            forenames="Roger",
            surname="Gough",
            role="Cabinet Member for Education and Health Reform",
        )
    )


CARTER_FORMS = [
    "Mr P B Carter, CBE (Chairman)",
    "Mr P Carter",
    "Mr Carter",
    "Paul Carter, Leader of the Council",
]


@pytest.mark.parametrize("a", CARTER_FORMS)
@pytest.mark.parametrize("b", CARTER_FORMS)
def test_forms_of_one_person_are_compatible(a, b):
    assert compatible(name_parts(a), name_parts(b))


@pytest.mark.parametrize(
    "a, b",
    [
        ("Mr P Carter", "Mrs P Carter"),  # titles contradict
        ("Mr P Carter", "Mr B Carter"),  # initials contradict
        ("Paul Carter", "Peter Carter"),  # forenames contradict
        ("Mr P B Carter", "Mr J Carter"),  # an initial that is none of the other's
        ("Mr P B Carter", "Mr B P Carter"),  # initials out of order
        ("Paul Carter", "Mr B Carter"),  # a full forename fixes the first initial
        ("Miss S J Carey", "Mr S Carey"),
        ("Mr A Marsh", "Ms D Marsh"),  # 000: two Marshes in the same vote
        ("Mr P Carter", "Mr P Cartwright"),  # different surname
    ],
)
def test_contradicting_forms_are_not_compatible(a, b):
    assert not compatible(name_parts(a), name_parts(b))


@pytest.mark.parametrize(
    "a, b",
    [
        ("Dr L Sullivan", "Mr L Sullivan"),  # Dr / Cllr / Sir / no title say nothing of sex
        ("Dr F Armstrong", "Mrs F Armstrong"),
        ("Cllr Roger Gough", "Mr R W Gough"),
        ("Sir Paul Carter", "Mr P B Carter, CBE"),
        ("Mr A Scott-Clark", "Andrew Scott-Clark"),
        ("MR P CARTER", "Mr P Carter"),  # case-insensitive surname
        # 000 p3 present "Mr P M Hill, OBE", p7 votes "Mr M Hill": known by a middle name
        ("Mr M Hill", "Mr P M Hill, OBE"),
    ],
)
def test_forms_that_can_be_one_person(a, b):
    assert compatible(name_parts(a), name_parts(b))
    assert compatible(name_parts(b), name_parts(a))


def test_every_voter_of_13_july_2017_matches_exactly_one_member_present():
    from tests.ingest.conftest import kent_pack

    (minutes, *_) = kent_pack("000").minutes
    present = [name_parts(a.name) for a in minutes.present]
    voters = {n for i in minutes.items for v in i.votes for n in v.names_for + v.names_against}
    voters |= {n for i in minutes.items for v in i.votes for n in v.names_abstain}
    unmatched = {n for n in voters if sum(compatible(name_parts(n), p) for p in present) != 1}
    # The paper itself disagrees with itself here: present "Miss S J Carev" (sic), "Mr A R Hills",
    # "Mr R A Pascoe"; voting "Miss S Carey", "Mr T Hills", "Mr D Pascoe". Not merged: correct.
    assert unmatched == {"Miss S Carey", "Mr T Hills", "Mr D Pascoe"}
    assert len(voters) == 72  # everyone present voted on LTP4: 62 + 9 + 1


def test_a_form_without_surname_is_compatible_with_nothing():
    assert not compatible(NameParts(title="Mr"), name_parts("Mr Carter"))


def test_split_names_splits_and_between_people_with_roles():
    # Bristol 19 March 2026: "John Smith (Executive Director: Growth & Regeneration), Patsy Mellor
    # (Director, Management of Place)" / "and Adam Crowther (Head of City Transport)"
    text = (
        "John Smith (Executive Director: Growth & Regeneration), Patsy Mellor (Director, "
        "Management of Place)\nand Adam Crowther (Head of City Transport)"
    )
    assert split_names(text) == [
        "John Smith (Executive Director: Growth & Regeneration)",
        "Patsy Mellor (Director, Management of Place)",
        "Adam Crowther (Head of City Transport)",
    ]
    # Merton: "Apologies for absence were received from Councillors Rod Scott and Diane Neil mills"
    assert split_names("Rod Scott and Diane Neil mills") == ["Rod Scott", "Diane Neil mills"]
