"""One function per browse page: everything the page shows, in a small fixed number of queries.

Each function returns a plain dict for the template. The number of queries does not grow with
the size of a meeting or a councillor's record: related rows come in one query per relation
(`prefetch_related`, or one query grouped in Python), never one per row. The tests hold each page
to its budget (`tests/browse/test_query_counts.py`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from councilarchive.archive.models import (
    Attendance,
    Committee,
    Councillor,
    CouncillorVote,
    Document,
    Item,
    Meeting,
    Report,
    Resolution,
    Topic,
    Vote,
)
from councilarchive.archive.party_votes import mark_party_line, party_majorities, party_tallies
from councilarchive.archive.provenance import other_sources

Option = CouncillorVote.Option
Role = Attendance.Role
# Roles that count as attending; "in attendance" (a visiting member) is neither present nor absent.
ATTENDED = (Role.PRESENT, Role.SUBSTITUTE)
EXPECTED = (Role.PRESENT, Role.SUBSTITUTE, Role.APOLOGIES)
# The searchable columns are large tsvectors no page shows: never fetch them.
NO_VECTOR = ("search_vector",)


# -- votes ----------------------------------------------------------------------------------------


def majority_option(vote: Vote) -> str | None:
    """The side that won: For when the motion was carried, Against when lost; from the counts
    (printed, else the names) when the minutes give no outcome; None on a tie or no data."""
    if vote.outcome == Vote.Outcome.CARRIED:
        return Option.FOR
    if vote.outcome == Vote.Outcome.LOST:
        return Option.AGAINST
    for_, against = vote.count_for, vote.count_against
    if for_ is None or against is None:
        names = getattr(vote, "_prefetched_objects_cache", {}).get("councillor_votes")
        if names is None:
            return None
        for_ = sum(cv.option == Option.FOR for cv in names)
        against = sum(cv.option == Option.AGAINST for cv in names)
    if for_ == against:
        return None
    return Option.FOR if for_ > against else Option.AGAINST


def with_majority(vote: Vote, option: str) -> bool | None:
    """True/False whether `option` was the winning side; None for an abstention or no winner."""
    if option == Option.ABSTAIN:
        return None
    winner = majority_option(vote)
    return None if winner is None else option == winner


@dataclass
class VoteGroup:
    label: str
    option: str
    printed_count: int | None
    names: list = field(default_factory=list)  # CouncillorVote rows, councillor selected

    @property
    def listed(self) -> int:
        return len(self.names)


def vote_groups(vote: Vote) -> list[VoteGroup]:
    """For / Against / Abstain with every named councillor (needs councillor_votes prefetched).

    Also sets `vote.parties` (how each party voted) and each row's `with_party`."""
    rows = vote.councillor_votes.all()
    vote.parties = party_tallies(rows)
    mark_party_line(rows, vote.parties)
    groups = {
        Option.FOR: VoteGroup("For", Option.FOR, vote.count_for),
        Option.AGAINST: VoteGroup("Against", Option.AGAINST, vote.count_against),
        Option.ABSTAIN: VoteGroup("Abstain", Option.ABSTAIN, vote.count_abstain),
    }
    for cv in rows:
        groups[cv.option].names.append(cv)
    for group in groups.values():
        group.names.sort(key=lambda cv: (cv.councillor.surname, cv.councillor.forenames))
    return list(groups.values())


def councillor_votes_prefetch(prefix: str = "") -> Prefetch:
    return Prefetch(
        f"{prefix}councillor_votes",
        queryset=CouncillorVote.objects.select_related("councillor").order_by(),
    )


# -- home and indexes -----------------------------------------------------------------------------


def home_page(limit: int = 10, coming: int = 5, today: dt.date | None = None) -> dict:
    """The latest meetings held whose papers are in (a date alone is no news), the next few to
    come (each saying whether its agenda is published), committees, recent resolutions, topics."""
    with_papers = Exists(Item.objects.filter(meeting=OuterRef("pk")))
    return {
        "committees": Committee.objects.select_related("council")
        .annotate(meeting_count=Count("meetings"))
        .order_by("name"),
        "meetings": Meeting.objects.past(today)
        .filter(with_papers)
        .select_related("committee")[:limit],
        "coming_up": Meeting.objects.upcoming(today)
        .annotate(agenda_published=with_papers)
        .select_related("committee")[:coming],
        "resolutions": Resolution.objects.defer(*NO_VECTOR)
        .select_related("item__meeting__committee")
        .only(
            "text",
            "item__title",
            "item__meeting__date",
            "item__meeting__committee__name",
        )
        .order_by("-item__meeting__date", "-item__meeting_id", "item__position", "position")[
            :limit
        ],
        "topics": Topic.objects.only("name", "slug").order_by("name"),
    }


def committee_index() -> dict:
    """Committees A–Z with how many meetings each has and the dates of the first and last."""
    return {
        "committees": Committee.objects.annotate(
            meeting_count=Count("meetings"), first=Min("meetings__date"), last=Max("meetings__date")
        ).order_by("name")
    }


MEETINGS_PER_PAGE = 50


def meeting_index(number: int) -> dict:
    """One page of every meeting, newest first, with how many items and recorded votes each has."""
    meetings = (
        Meeting.objects.select_related("committee")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("-date", "-time", "-pk")
    )
    start = (number - 1) * MEETINGS_PER_PAGE
    rows = list(meetings[start : start + MEETINGS_PER_PAGE + 1])
    if not rows and number > 1:
        raise Http404("No such page of meetings")
    return {
        "meetings": rows[:MEETINGS_PER_PAGE],
        "number": number,
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if len(rows) > MEETINGS_PER_PAGE else None,
    }


def councillor_index(council_filter: str = "", today: dt.date | None = None) -> dict:
    """Current members A–Z with party and division, former members apart; with a filter, only
    those whose name or a printed form contains it, and the attendees (officers, people from
    other bodies) who match it. One query, two with a filter."""
    today = today or dt.date.today()
    people = Councillor.objects.select_related("council").order_by("surname", "forenames", "pk")
    if council_filter:
        people = people.filter(
            Q(name__icontains=council_filter) | Q(aliases__printed__icontains=council_filter)
        ).distinct()
    members = list(people.members())
    current = [c for c in members if c.served_to is None or c.served_to >= today]
    former = [c for c in members if c.served_to is not None and c.served_to < today]
    letters = [
        (letter, list(group))
        for letter, group in groupby(current, key=lambda c: (c.surname[:1] or "?").upper())
    ]
    attendees = list(people.attendees()[:200]) if council_filter else []
    return {
        "letters": letters,
        "count": len(current),
        "former": former,
        "attendees": attendees,
    }


def topic_index() -> dict:
    topics = Topic.objects.annotate(
        resolution_count=Count("resolutions", distinct=True),
        report_count=Count("reports", distinct=True),
    ).order_by("name")
    return {"topics": topics}


# -- committee ------------------------------------------------------------------------------------


def committee_page(slug: str, today=None) -> dict:
    committee = get_object_or_404(Committee.objects.select_related("council"), slug=slug)
    meetings = list(
        Meeting.objects.for_committee(committee)
        .annotate(item_count=Count("items"))
        .order_by("-date", "-time")
    )
    today = today or dt.date.today()
    upcoming = sorted((m for m in meetings if m.date >= today), key=lambda m: m.date)
    past = [m for m in meetings if m.date < today]
    by_year = [(year, list(group)) for year, group in groupby(past, key=lambda m: m.date.year)]
    members = (
        Councillor.objects.filter(
            attendance__meeting__committee=committee, attendance__role__in=ATTENDED
        )
        .annotate(meetings_attended=Count("attendance__meeting", distinct=True))
        .order_by("surname", "forenames")
    )
    return {
        "committee": committee,
        "upcoming": upcoming,
        "past_by_year": by_year,
        "members": members,
    }


# -- meeting --------------------------------------------------------------------------------------


def meeting_page(pk: int) -> dict:
    """A meeting with its items in order and, per item, minute text, resolutions, recorded votes
    (every name), declarations, reports, the same matter at other meetings and the other papers
    that print the item or report. 11 queries."""
    meeting = get_object_or_404(Meeting.objects.select_related("committee__council"), pk=pk)
    items = list(
        meeting.items.defer(*NO_VECTOR)
        .select_related("document")
        .prefetch_related(
            Prefetch("resolutions", queryset=Resolution.objects.defer(*NO_VECTOR).order_by()),
            Prefetch(
                "votes",
                queryset=Vote.objects.order_by("position").prefetch_related(
                    councillor_votes_prefetch()
                ),
            ),
            Prefetch(
                "related",
                queryset=Item.objects.defer(*NO_VECTOR, "text")
                .select_related("meeting__committee")
                .order_by("meeting__date"),
            ),
        )
        .order_by("position", "pk")
    )
    declarations = defaultdict(list)
    for declaration in meeting.declarations.select_related("councillor").order_by("pk"):
        declarations[declaration.item_id].append(declaration)
    reports = defaultdict(list)
    report_rows = (
        Report.objects.defer(*NO_VECTOR, "body")
        .filter(Q(meeting=meeting) | Q(item__meeting=meeting))
        .select_related("document")
        .order_by("page_start", "pk")
    )
    sources = other_sources(
        Q(item__meeting=meeting) | Q(report__meeting=meeting) | Q(report__item__meeting=meeting)
    )
    for report in report_rows:
        report.source_list = sources.get(("report", report.pk), [])
        reports[report.item_id].append(report)
    for item in items:
        item.declaration_list = declarations.pop(item.pk, [])
        item.report_list = reports.pop(item.pk, [])
        item.source_list = sources.get(("item", item.pk), [])
        for vote in item.votes.all():
            vote.groups = vote_groups(vote)
    attendance = list(
        meeting.attendance.select_related("councillor", "substitute_for").order_by(
            "councillor__surname", "councillor__forenames"
        )
    )
    by_role = {role: [a for a in attendance if a.role == role] for role in Role.values}
    siblings = Meeting.objects.for_committee(meeting.committee).only("date", "committee_id")
    previous = siblings.filter(date__lt=meeting.date).order_by("-date").first()
    following = siblings.filter(date__gt=meeting.date).order_by("date").first()
    sources = {item.document_id: item.document for item in items}
    decided = [item for item in items if item.resolutions.all() or item.votes.all()]
    return {
        "meeting": meeting,
        "items": items,
        "decided": decided,
        "sources": sorted(sources.values(), key=lambda d: (d.kind != "agenda_pack", d.pk)),
        "agenda_only": bool(items) and not any(item.minute_number for item in items),
        "meeting_declarations": declarations.pop(None, [])
        + [d for ds in declarations.values() for d in ds],
        "unlinked_reports": [r for rs in reports.values() for r in rs],
        "present": by_role[Role.PRESENT],
        "substitutes": by_role[Role.SUBSTITUTE],
        "apologies": by_role[Role.APOLOGIES],
        "in_attendance": by_role[Role.IN_ATTENDANCE],
        "previous": previous,
        "next": following,
    }


# -- councillor -----------------------------------------------------------------------------------

HONORIFIC = r"(?:Mr|Mrs|Miss|Ms|Dr|Cllr|Councillor|Sir|Dame|Lady|Lord)\.?"
# A printed name in running text: "Mr Gough", "Mrs Hohler", "Mr P B Carter"
NAME_IN_TEXT = rf"{HONORIFIC} (?:[A-Z]\.? ){{0,3}}[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?"
# "Mr Gough moved and Mr Oakford seconded the following motion:" /
# "Mr Bird proposed and Mrs Dean seconded the following amendment:"
MOVED_AND_SECONDED = re.compile(
    rf"(?P<mover>{NAME_IN_TEXT}) (?:moved|proposed) and (?P<seconder>{NAME_IN_TEXT}) "
    r"seconded the following (?P<kind>motion|amendment)"
)
# "Proposed by Mr Hook and seconded by Mr Bird"
PROPOSED_BY = re.compile(
    rf"(?:Proposed|Moved) by (?P<mover>{NAME_IN_TEXT}),? and seconded by (?P<seconder>{NAME_IN_TEXT})"
)
# A trailing honour or role in an alias: "Mr P B Carter, CBE (Chairman)" -> "Mr P B Carter"
ALIAS_TAIL = re.compile(r"\s*(?:,.*|\(.*)$")


def name_forms(councillor: Councillor, aliases) -> set[str]:
    """How running text names this councillor: each alias without honours or role, and the
    short form 'Mr Carter'. Lower-cased for comparison."""
    forms = {ALIAS_TAIL.sub("", a.printed).strip() for a in aliases}
    forms.add(ALIAS_TAIL.sub("", councillor.name).strip())
    if councillor.title and councillor.surname:
        forms.add(f"{councillor.title} {councillor.surname}")
    return {" ".join(f.split()).lower() for f in forms if f}


def motions_moved(items, forms: set[str]) -> list[dict]:
    """Motions and amendments this councillor moved or seconded, where the minutes say so."""
    found = []
    for item in items:
        text = " ".join(item.text.split())
        for pattern in (MOVED_AND_SECONDED, PROPOSED_BY):
            for match in pattern.finditer(text):
                kind = match.groupdict().get("kind") or "motion"
                for role in ("mover", "seconder"):
                    if match.group(role).lower() in forms:
                        found.append({"item": item, "role": role, "kind": kind})
    return found


def mentions(item: Item, forms: set[str]) -> bool:
    text = " ".join(item.text.split()).lower()
    return any(re.search(rf"\b{re.escape(form)}\b", text) for form in forms)


def short_form_meetings(councillor: Councillor, attendance) -> set[int]:
    """The meetings where 'Mr Thomas' can only be this councillor: they sat there and no one
    else of the same surname did (one query)."""
    seated = {a.meeting_id for a in attendance if a.role in ATTENDED}
    if not seated:
        return set()
    shared = (
        Attendance.objects.filter(
            meeting_id__in=seated, role__in=ATTENDED, councillor__surname__iexact=councillor.surname
        )
        .exclude(councillor=councillor)
        .values_list("meeting_id", flat=True)
    )
    return seated - set(shared)


def councillor_page(slug: str) -> dict:
    """Aliases, committees, attendance, every recorded vote (with/against the majority),
    motions moved or seconded, declarations and meetings whose minutes name them; votes against
    their party's majority where the party is known. 8 queries (7 without a party)."""
    councillor = get_object_or_404(Councillor.objects.select_related("council"), slug=slug)
    aliases = list(councillor.aliases.all())
    attendance = list(
        councillor.attendance.select_related("meeting__committee").order_by("-meeting__date")
    )
    attended = [a for a in attendance if a.role in ATTENDED]
    expected = [a for a in attendance if a.role in EXPECTED]
    committees = sorted({a.meeting.committee for a in attended}, key=lambda c: c.name)
    votes = list(
        councillor.votes.select_related("vote__item__meeting__committee")
        .defer("vote__item__search_vector", "vote__item__text")
        .order_by("-vote__item__meeting__date", "vote__item__position", "vote__position")
    )
    majorities = {}
    if councillor.party and votes:
        majorities = party_majorities([cv.vote_id for cv in votes], councillor.party)
    for cv in votes:
        cv.with_majority = with_majority(cv.vote, cv.option)
        party_side = majorities.get(cv.vote_id)
        cv.with_party = None if party_side is None else cv.option == party_side
    declarations = list(
        councillor.declarations.select_related("meeting__committee", "item").order_by(
            "-meeting__date", "pk"
        )
    )
    forms = name_forms(councillor, aliases)
    # "Mr Thomas moved": the short form is this councillor only at meetings where they sat and
    # no one else of that surname did (issue 14: the meeting's attendance decides, never a guess).
    short = f"{councillor.title} {councillor.surname}".lower()
    sure = short_form_meetings(councillor, attendance)

    def forms_at(item: Item) -> set[str]:
        return forms if item.meeting_id in sure else forms - {short}

    spoken = []
    if councillor.surname:
        spoken = [
            item
            for item in Item.objects.filter(text__icontains=councillor.surname)
            .defer(*NO_VECTOR)
            .select_related("meeting__committee")
            .order_by("-meeting__date", "position")
            if mentions(item, forms_at(item))
        ]
    moved = [found for item in spoken for found in motions_moved([item], forms_at(item))]
    spoke_at = []
    for item in spoken:
        if not spoke_at or spoke_at[-1]["meeting"] != item.meeting:
            spoke_at.append({"meeting": item.meeting, "items": []})
        spoke_at[-1]["items"].append(item)
    rate = round(100 * len(attended) / len(expected)) if expected else None
    return {
        "councillor": councillor,
        "aliases": aliases,
        "committees": committees,
        "attendance": attendance,
        "attended_count": len(attended),
        "expected_count": len(expected),
        "apologies_count": sum(a.role == Role.APOLOGIES for a in attendance),
        "attendance_rate": rate,
        "votes": votes,
        "with_majority_count": sum(cv.with_majority is True for cv in votes),
        "against_majority_count": sum(cv.with_majority is False for cv in votes),
        "rebellions": [cv for cv in votes if cv.with_party is False],
        "declarations": declarations,
        "moved": moved,
        "spoke_at": spoke_at,
    }


# -- topic, report, resolution, vote, document ----------------------------------------------------


def topic_page(slug: str) -> dict:
    """A topic's resolutions and reports, newest first, grouped by year. 3 queries."""
    topic = get_object_or_404(Topic, slug=slug)
    resolutions = list(
        topic.resolutions.defer(*NO_VECTOR)
        .select_related("item__meeting__committee")
        .defer("item__text", "item__search_vector")
        .order_by("-item__meeting__date", "item__position", "position")
    )
    reports = list(
        topic.reports.defer(*NO_VECTOR, "body")
        .select_related("meeting__committee", "document")
        .order_by("-meeting__date", "-document__created_at", "page_start")
    )
    entries = [(r.item.meeting.date, "resolution", r) for r in resolutions]
    entries += [
        (r.meeting.date if r.meeting else r.document.created_at.date(), "report", r)
        for r in reports
    ]
    entries.sort(key=lambda e: e[0], reverse=True)
    by_year = [(year, list(group)) for year, group in groupby(entries, key=lambda e: e[0].year)]
    return {
        "topic": topic,
        "by_year": by_year,
        "resolution_count": len(resolutions),
        "report_count": len(reports),
    }


def report_page(pk: int) -> dict:
    """A report, its document's pages over the report's page range (for the accessible text
    with page anchors), and the other occurrences of its item. 4 queries."""
    report = get_object_or_404(
        Report.objects.defer(*NO_VECTOR).select_related(
            "document__council", "meeting__committee__council", "item__meeting"
        ),
        pk=pk,
    )
    pages = []
    if report.page_start and not report.edited:
        end = report.page_end or report.page_start
        pages = list(
            report.document.pages.filter(number__gte=report.page_start, number__lte=end)
            .defer(*NO_VECTOR)
            .order_by("number")
        )
    related = []
    if report.item_id:
        related = list(
            report.item.related.select_related("meeting__committee")
            .defer(*NO_VECTOR, "text")
            .order_by("meeting__date")
        )
    topics = list(report.topics.all())
    return {"report": report, "pages": pages, "related": related, "topics": topics}


def resolution_page(pk: int) -> dict:
    resolution = get_object_or_404(
        Resolution.objects.defer(*NO_VECTOR).select_related(
            "item__meeting__committee__council", "document"
        ),
        pk=pk,
    )
    votes = list(
        resolution.votes.prefetch_related(councillor_votes_prefetch()).order_by("position")
    )
    for vote in votes:
        vote.groups = vote_groups(vote)
    return {
        "resolution": resolution,
        "sources": other_sources(Q(resolution=resolution)).get(("resolution", resolution.pk), []),
        "votes": votes,
        "topics": list(resolution.topics.all()),
        "related": list(
            resolution.item.related.select_related("meeting__committee")
            .defer(*NO_VECTOR, "text")
            .order_by("meeting__date")
        ),
    }


def vote_page(pk: int) -> dict:
    vote = get_object_or_404(
        Vote.objects.select_related("item__meeting__committee", "document", "resolution")
        .defer("item__search_vector", "resolution__search_vector")
        .prefetch_related(councillor_votes_prefetch()),
        pk=pk,
    )
    vote.groups = groups = vote_groups(vote)
    listed = sum(g.listed for g in groups)
    return {"vote": vote, "groups": groups, "listed": listed, "winner": majority_option(vote)}


def document_page(pk: int, user) -> dict:
    """A document the user may see (the public: published ones only) with its meetings."""
    documents = Document.objects.visible_to(user).select_related("committee", "council")
    document = get_object_or_404(documents, pk=pk)
    meetings = (
        Meeting.objects.filter(items__document=document)
        .select_related("committee")
        .distinct()
        .order_by("-date")
    )
    reports = document.reports.defer(*NO_VECTOR, "body").order_by("page_start")
    return {"document": document, "meetings": meetings, "reports": reports}
