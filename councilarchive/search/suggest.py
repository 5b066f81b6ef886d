"""Close spellings for a query that matched nothing: the query with each misspelt word put right
("safeguardng board" -> "safeguarding board", the words taken from record titles), councillor
names and record titles, all by trigram word similarity (pg_trgm; titles through the `%>`
operator, threshold 0.6, served by GIN trigram indexes)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.contrib.postgres.search import TrigramWordSimilarity

from councilarchive.archive.models import Councillor, Item, Report

# "budget OR savings -capital" -> the words "budget", "savings" (operators and exclusions dropped)
# Councillors are few (a scan is cheap) and a misspelt surname is one short word in a long name:
# "Hazlegrove" is 0.47 like "Mrs Philippa Hazelgrove".
NAME_THRESHOLD = 0.4
WORD = re.compile(r"(?<![-\w])[\w'’]+")


@dataclass(frozen=True)
class Suggestion:
    label: str  # what the user may have meant
    query: str  # the search to run instead


def words_of(text: str) -> str:
    return " ".join(w for w in WORD.findall(text) if w != "OR")


SPELLING_RATIO = 0.75  # how alike (difflib) a title's word must be to stand for a query word


def respelt(text: str) -> str:
    """The query's words with each one no title spells put right by the most alike word of the
    titles closest to it ("budgett" -> "budget"); "" when no word changes."""
    words, changed = WORD.findall(text), False
    for n, word in enumerate(words):
        if len(word) < 4 or word == "OR":
            continue
        titles = Item.objects.filter(title__trigram_word_similar=word).values_list(
            "title", flat=True
        )[:20]
        candidates = {t for title in titles for t in WORD.findall(title) if len(t) >= 3}
        if any(c.lower() == word.lower() for c in candidates):
            continue
        best = max(
            candidates,
            key=lambda c: (SequenceMatcher(None, word.lower(), c.lower()).ratio(), c),
            default="",
        )
        if best and SequenceMatcher(None, word.lower(), best.lower()).ratio() >= SPELLING_RATIO:
            words[n], changed = best.lower(), True
    return " ".join(w for w in words if w != "OR") if changed else ""


def suggestions(text: str, limit: int = 5) -> list[Suggestion]:
    words = words_of(text)
    if len(words) < 3:
        return []
    found: list[Suggestion] = []
    spelt = respelt(text)
    if spelt:
        found.append(Suggestion(spelt, spelt))
    people = (
        Councillor.objects.annotate(similarity=TrigramWordSimilarity(words, "name"))
        .filter(similarity__gte=NAME_THRESHOLD)
        .order_by("-similarity", "surname")[:limit]
    )
    found += [Suggestion(p.name, p.surname) for p in people]
    for model, column in ((Item, "title"), (Report, "subject")):
        titles = (
            model.objects.filter(**{f"{column}__trigram_word_similar": words})
            .annotate(similarity=TrigramWordSimilarity(words, column))
            .order_by("-similarity", column)
            .values_list(column, flat=True)
            .distinct()[:limit]
        )
        found += [Suggestion(t, t) for t in titles]
    seen, unique = set(), []
    for suggestion in found:
        if suggestion.label.lower() not in seen:
            seen.add(suggestion.label.lower())
            unique.append(suggestion)
    return unique[:limit]
