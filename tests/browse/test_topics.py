"""The topic rule engine (archive/topics.py) and the starting taxonomy."""

import importlib

from django.core.management import call_command

from councilarchive.archive.models import Topic
from councilarchive.archive.topics import Rule, assign_topics, evidence, matches, parse_rules

TAXONOMY = importlib.import_module("councilarchive.archive.migrations.0003_topics").TAXONOMY


def test_word_rule_matches_whole_words_and_plurals():
    rules = parse_rules("school")
    assert matches(rules, "Oakhill School expansion", "")
    assert matches(rules, "New schools for Ashford", "")
    assert not matches(rules, "Preschooling review", "")


def test_prefix_and_phrase_rules():
    rules = parse_rules("recycl*\nspecial educational needs")
    assert matches(rules, "Household recycling centres", "")
    assert matches(rules, "Special  Educational\nNeeds strategy", "")


def test_comments_and_blank_lines_are_ignored():
    assert parse_rules("# finance words\n\nbudget\n") == [Rule.parse("budget")]


def test_title_only_rule_ignores_the_body():
    rules = parse_rules("title: minutes")
    assert matches(rules, "Minutes of the meeting held on 13 July 2017", "")
    assert not matches(rules, "Apologies", "minutes minutes minutes minutes")


def test_body_needs_repeated_mentions_scaled_by_length():
    rules = parse_rules("budget")
    assert not matches(rules, "Quarterly Performance Report", "within budget. " * 2)
    assert matches(rules, "Quarterly Performance Report", "within budget. " * 3)
    long_body = "word " * 4000 + "budget " * 5  # 4,005 words need 11 mentions
    assert evidence(rules, "Report", long_body).body_needed == 11
    assert not matches(rules, "Report", long_body)


def test_exclusion_vetoes_the_topic():
    rules = parse_rules("parking\n-parking enforcement contract")
    assert matches(rules, "Parking charges", "")
    assert not matches(rules, "Parking charges", "The parking enforcement contract ends.")


def test_taxonomy_covers_council_business_with_rules():
    slugs = {slug for _, slug, _, _ in TAXONOMY}
    assert {
        "budget-and-finance",
        "childrens-services-and-safeguarding",
        "education-and-send",
        "adult-social-care-and-health",
        "transport-and-highways",
        "environment-and-waste",
        "planning-and-growth",
        "governance-and-constitution",
        "housing",
        "community-safety",
        "economy-and-skills",
    } <= slugs
    for _name, slug, description, rules in TAXONOMY:
        assert description and parse_rules(rules), slug


def test_taxonomy_files_real_titles_from_the_sample_packs():
    topics = {slug: parse_rules(rules) for _, slug, _, rules in TAXONOMY}
    # report subjects and item titles as printed in fixtures/packs
    assert matches(topics["budget-and-finance"], "REVENUE & CAPITAL BUDGET OUTTURN 2016-17", "")
    assert matches(topics["transport-and-highways"], "Local Transport Plan 4", "")
    assert matches(
        topics["education-and-send"],
        "Special Educational Needs and Disability (SEND) Strategy 2017-2019",
        "",
    )
    assert matches(
        topics["childrens-services-and-safeguarding"],
        "Kent Safeguarding Children Board Annual Report 2017/18",
        "",
    )
    assert not matches(topics["housing"], "Apologies and Substitutes", "")


def test_assign_topics_files_items_reports_and_resolutions(browse):
    browse.report.topics.clear()
    browse.resolution.topics.clear()
    counts = assign_topics([browse.finance])
    assert set(browse.finance.items.all()) == {browse.bypass, browse.cab_item}
    assert list(browse.finance.reports.all()) == [browse.report]
    assert list(browse.finance.resolutions.all()) == [browse.resolution]
    assert counts == {"items": 2, "reports": 1, "resolutions": 1}


def test_assign_topics_command_recomputes_after_rules_change(browse):
    call_command("assign_topics", "browse-roads")
    Topic.objects.filter(pk=browse.finance.pk).update(rules="title: apologies")
    call_command("assign_topics", "browse-roads")
    filed = set(browse.finance.items.all())
    assert browse.apologies in filed and browse.bypass not in filed
    assert browse.report not in browse.finance.reports.all()


def test_assign_topics_for_one_document_leaves_other_documents_alone(browse):
    """What an ingest does for the file it has just loaded: only that file's records change."""
    browse.finance.items.clear()
    counts = assign_topics([browse.finance], documents=[browse.cab_item.document])
    assert set(browse.finance.items.all()) == {browse.cab_item}
    assert counts["items"] == 1
