"""The topic rule engine: which items, reports and resolutions belong to which topics.

Each Topic's `rules` field (edited in the admin) holds one rule per line:

    school                  a word, matched whole and case-insensitively, with or without a
                            plural ending: School, schools (not "schooling": use a prefix)
    school*                 a prefix: school, schools, schooling
    special educational needs   a phrase: its words in this order, any spacing or line breaks
    title: budget           match only in the record's title (an item's title, a report's subject,
                            a resolution's text) — each title hit is strong evidence
    -parking enforcement    an exclusion: a record that matches it never gets this topic
    # a comment             ignored, as are blank lines

Scoring: a record gets the topic when no exclusion matches it and either a rule matches its
title (an item's title, a report's subject, a resolution's text) or the rules match its body
(minute text; a report's summary, recommendations and body; a resolution's reason) often enough:
at least MIN_BODY_HITS times, and at least once per BODY_WORDS_PER_HIT words of body. So a long
report needs its subject to run through it: a passing "budget" or "school" in forty pages of a
performance report does not make it a finance or an education report.

`assign_topics()` recomputes every record's topics from the rules (it replaces earlier automatic
assignments); `manage.py assign_topics` runs it. `score()` and `Rule` are pure and unit-tested.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from councilarchive.archive import versioning
from councilarchive.archive.models import Item, Report, Resolution, Topic

MIN_BODY_HITS = 3
BODY_WORDS_PER_HIT = 400
# "title: budget" — a rule restricted to the title
TITLE_PREFIX = re.compile(r"^title:\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    text: str
    pattern: re.Pattern
    title_only: bool = False
    exclude: bool = False
    # the rule's first word, lower-cased, when plain ASCII: a text whose lower-cased form lacks
    # it cannot match, so the regular expression is not run (most rules miss most records)
    needle: str | None = None

    def count(self, text: str, lowered: str) -> int:
        if self.needle is not None and self.needle not in lowered:
            return 0
        return len(self.pattern.findall(text))

    @classmethod
    def parse(cls, line: str) -> Rule | None:
        """One line of a topic's rules, or None for a blank or comment line."""
        line = line.strip()
        if not line or line.startswith("#"):
            return None
        exclude = line.startswith("-")
        line = line.lstrip("-").strip()
        title_only = bool(TITLE_PREFIX.match(line))
        line = TITLE_PREFIX.sub("", line).strip()
        prefix = line.endswith("*")
        words = line.rstrip("*").split()
        if not words:
            return None
        body = r"\s+".join(re.escape(w) for w in words)
        tail = r"\w*" if prefix else r"(?:s|es)?\b"
        # \b only where the rule starts with a word character ("£", "0-25" still work)
        head = r"\b" if re.match(r"\w", words[0]) else ""
        pattern = re.compile(f"{head}{body}{tail}", re.IGNORECASE)
        first = words[0].lower()
        needle = first if first.isascii() and first.isalnum() else None
        return cls(line, pattern, title_only, exclude, needle)


def parse_rules(text: str) -> list[Rule]:
    return [rule for rule in map(Rule.parse, text.splitlines()) if rule is not None]


@dataclass(frozen=True)
class Evidence:
    title_hits: int = 0
    body_hits: int = 0
    body_words: int = 0
    excluded: bool = False

    @property
    def body_needed(self) -> int:
        return max(MIN_BODY_HITS, math.ceil(self.body_words / BODY_WORDS_PER_HIT))

    @property
    def matches(self) -> bool:
        return not self.excluded and (self.title_hits > 0 or self.body_hits >= self.body_needed)


def _lower(text: str) -> str:
    # "ſ" (long s) matches "s" under re.IGNORECASE but is its own lower case
    return text.lower().replace("ſ", "s")


@dataclass(frozen=True)
class Texts:
    """A record's title and body, with what every topic's rules need of them, computed once."""

    title: str
    body: str
    title_lower: str
    body_lower: str
    body_words: int

    @classmethod
    def of(cls, title: str, body: str) -> Texts:
        return cls(title, body, _lower(title), _lower(body), len(body.split()))


def evidence(rules: list[Rule], title: str | Texts, body: str = "") -> Evidence:
    """How often the rules match a record's title and body (and whether an exclusion does)."""
    texts = title if isinstance(title, Texts) else Texts.of(title, body)
    title_hits = body_hits = 0
    for rule in rules:
        in_title = rule.count(texts.title, texts.title_lower)
        in_body = 0 if rule.title_only else rule.count(texts.body, texts.body_lower)
        if rule.exclude and (in_title or in_body):
            return Evidence(excluded=True)
        if not rule.exclude:
            title_hits += in_title
            body_hits += in_body
    return Evidence(title_hits, body_hits, texts.body_words)


def matches(rules: list[Rule], title: str | Texts, body: str = "") -> bool:
    return evidence(rules, title, body).matches


# What counts as title and body for each kind of record.
FIELDS = {
    Item: (("title",), ("text",)),
    Report: (("subject",), ("summary", "recommendations", "body")),
    Resolution: (("text",), ("reason",)),
}


def _texts(record, names: Iterable[str]) -> str:
    return "\n".join(getattr(record, name) or "" for name in names)


def topics_for(record, compiled: dict[int, list[Rule]]) -> list[int]:
    """The ids of the topics `record` (an Item, Report or Resolution) belongs to."""
    title_fields, body_fields = FIELDS[type(record)]
    texts = Texts.of(_texts(record, title_fields), _texts(record, body_fields))
    return [topic_id for topic_id, rules in compiled.items() if matches(rules, texts)]


@transaction.atomic
def assign_topics(
    topics: Iterable[Topic] | None = None, batch: int = 500, documents=None
) -> dict[str, int]:
    """Recompute the topics of every item, report and resolution from the rules of `topics`
    (default: all); with `documents`, only the records parsed from those documents (what an
    ingest does for the file it has just loaded). Returns how many assignments of each kind."""
    topics = list(Topic.objects.all() if topics is None else topics)
    compiled = {t.pk: parse_rules(t.rules) for t in topics}
    compiled = {pk: rules for pk, rules in compiled.items() if rules}
    topic_ids = [t.pk for t in topics]
    counts = {}
    for model, (title_fields, body_fields) in FIELDS.items():
        through = model.topics.through
        owner = f"{model._meta.model_name}_id"
        records = model.objects.only(*title_fields, *body_fields).order_by("pk")
        stale = through.objects.filter(topic_id__in=topic_ids)
        if documents is not None:
            records = records.filter(document__in=documents)
            stale = stale.filter(**{f"{owner}__in": records.values("pk")})
        stale.delete()
        rows = []
        for record in records.iterator(chunk_size=batch):
            for topic_id in topics_for(record, compiled):
                rows.append(through(**{owner: record.pk, "topic_id": topic_id}))
        through.objects.bulk_create(rows, batch_size=batch)
        counts[model._meta.verbose_name_plural] = len(rows)
    versioning.changed()  # bulk writes send no signals
    return counts
