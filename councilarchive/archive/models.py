"""The archive's domain: councils, committees, meetings, the documents they publish and what
ingest recovers from them (items, reports, resolutions, recorded votes, attendance, declarations).

Every record recovered from a PDF points at its Document, so deleting or re-ingesting a document
removes exactly its records; and at the PDF pages it came from, for deep links (`pdf#page=N`).
A record printed in several documents (minutes, and again in the next agenda pack) is one record:
its `document` is the most authoritative of them, the others are RecordSources, and it passes to
one of those when its document goes (archive/provenance.py).
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchQuery,
    SearchVector,
    SearchVectorField,
)
from django.db import models
from django.db.models import F, Func, Q, TextField, Value
from django.db.models.lookups import Exact
from django.urls import reverse

from councilarchive.archive.counters import Counter  # noqa: F401  (rate limits, login throttle)
from councilarchive.archive.slugs import slug_for

# -- search (issue #4) ----------------------------------------------------------------------------
# English stemming over accent-folded words: a text search configuration made in migration 0004.
SEARCH_CONFIG = "council_english"


# Words joined by a slash or a hyphen are found by each word, both sides agreeing:
# - "cross-party": the configuration indexes a hyphenated word as its parts only, side by side
#   ('cross':1 'parti':2; migration 0017 dropped the whole word's 'cross-parti'), and a query
#   "cross-party" asks for them side by side: it finds "cross-party" and "cross party", "party"
#   finds it;
# - "capital/reserve", "District/Borough": the parser reads letters joined by "/" as one file
#   path ('capital/reserve', found by neither word), so the stored text and every query put a
#   hyphen there first (search_text() in Python, split_slashes() in SQL) and it is a hyphenated
#   word like the other. "2019/20" and "13/07/2017" are left alone (digits on either side).
SLASHED_SQL = "(?<=[[:alpha:]])/(?=[[:alpha:]])"  # a "/" with a letter either side
SLASHED = re.compile(r"(?<=[^\W\d_])/(?=[^\W\d_])")  # the same, in Python
JOINER = "-"


def search_text(text: str) -> str:
    """The query text as the stored vectors read their text: "capital/reserve" ->
    "capital-reserve"."""
    return SLASHED.sub(JOINER, text)


def split_slashes(expression, joiner: str = JOINER) -> Func:
    """SQL: the text `expression` with each "/" between two letters replaced by `joiner`."""
    return Func(
        expression,
        Value(SLASHED_SQL),
        Value(joiner),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def search_vector(**weights: str) -> models.GeneratedField:
    """A stored tsvector of these fields at these weights (A titles > B summaries > C body)."""
    parts = [
        SearchVector(split_slashes(F(f)), weight=w, config=SEARCH_CONFIG)
        for f, w in weights.items()
    ]
    expression = parts[0]
    for part in parts[1:]:
        expression = expression + part
    return models.GeneratedField(
        expression=expression, output_field=SearchVectorField(), db_persist=True, editable=False
    )


# The tier indexes of relevance search (councilarchive/search/ranking.py explains them and holds
# their constants and the SQL of these two functions): `search_impact(search_vector)` holds
# "lexeme~t" for each lexeme of a record, t the tier of its share of the record's rank;
# `search_pairs(search_vector)` holds "a b~t" for words standing together. GIN indexes on them
# find the records where a word (or pair) weighs most without ranking every record with it.
IMPACT_FUNCTION = "search_impact"
PAIRS_FUNCTION = "search_pairs"


def search_impact() -> Func:
    """The impact tiers of the stored vector (the expression the `*_impact` indexes are on)."""
    return Func(F("search_vector"), function=IMPACT_FUNCTION, output_field=SearchVectorField())


def impact_index(name: str) -> GinIndex:
    return GinIndex(search_impact(), name=name)


def search_pairs() -> Func:
    """The pair tiers of the stored vector (the expression the `*_pairs` indexes are on)."""
    return Func(F("search_vector"), function=PAIRS_FUNCTION, output_field=SearchVectorField())


def pairs_index(name: str) -> GinIndex:
    return GinIndex(search_pairs(), name=name)


def search_query(text: str) -> SearchQuery:
    """Web-search syntax: "a phrase", either OR other, -excluded."""
    return SearchQuery(search_text(text), search_type="websearch", config=SEARCH_CONFIG)


class Council(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=~Q(slug=""), name="council_slug_not_empty")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slug_for(self.name, "council")
        super().save(*args, **kwargs)


class Committee(models.Model):
    """A council body: County Council, Cabinet, a board or a committee."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="committees")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "slug"], name="committee_unique_slug"),
            models.CheckConstraint(condition=~Q(slug=""), name="committee_slug_not_empty"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slug_for(self.name, "committee")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("archive:committee", args=[self.slug])


class MeetingQuerySet(models.QuerySet):
    def for_committee(self, committee):
        return self.filter(committee=committee)

    def upcoming(self, today: dt.date | None = None):
        return self.filter(date__gte=today or dt.date.today()).order_by("date", "time")

    def past(self, today: dt.date | None = None):
        return self.filter(date__lt=today or dt.date.today()).order_by("-date", "-time")


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    time = models.TimeField(null=True, blank=True)
    venue = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    edited = models.BooleanField(
        default=False, help_text="Corrected by an officer; re-ingest keeps it."
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-time"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "date"], name="meeting_unique_per_day"),
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.committee.name}, {self.date:%d %B %Y}"

    def get_absolute_url(self):
        return reverse("archive:meeting", args=[self.pk])

    def citation(self) -> str:
        """'Kent County Council, County Council, 13 July 2017': how a reference to it opens."""
        committee = self.committee
        return f"{committee.council}, {committee}, {self.date:%-d %B %Y}"


def document_upload_to(instance, filename):
    # Stored by content hash, never by the uploader's name: no collisions, nothing executable.
    return f"documents/{instance.sha256[:2]}/{instance.sha256}.pdf"


class DocumentQuerySet(models.QuerySet):
    def public(self):
        """Documents the public may see: loaded ones, and those an officer published. A queued or
        failed upload is not public: its page and PDF answer 404 to anyone but staff."""
        return self.filter(published=True)

    def visible_to(self, user):
        return self if user.is_staff else self.public()

    def delete(self):
        """Records another document also prints pass to it first (archive/provenance.py)."""
        from councilarchive.archive.provenance import release

        release(list(self))
        return super().delete()


class Document(models.Model):
    """One uploaded PDF (an agenda pack, printed minutes, a decision notice or a report)."""

    class Kind(models.TextChoices):
        AGENDA_PACK = "agenda_pack", "Agenda pack"
        MINUTES = "minutes", "Minutes"
        REPORT = "report", "Report"
        DECISIONS = "decisions", "Decision notice"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        EXTRACTING = "extracting", "Extracting text"
        PARSING = "parsing", "Parsing"
        LOADING = "loading", "Loading"
        LOADED = "loaded", "Loaded"
        NEEDS_OCR = "needs_ocr", "No text layer (needs OCR)"
        FAILED = "failed", "Failed"

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="documents")
    committee = models.ForeignKey(
        Committee, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    file = models.FileField(upload_to=document_upload_to, max_length=300)
    original_name = models.CharField(max_length=300, blank=True)
    title = models.CharField(max_length=500, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField(default=0)
    page_count = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True, help_text="One-line reason when ingest failed.")
    problems = models.JSONField(
        default=list,
        blank=True,
        help_text="What to check: the parser's doubts and kept corrections, each "
        "{kind, page, message, where}.",
    )
    counts = models.JSONField(default=dict, blank=True)
    pages_done = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    meeting_date_hint = models.DateField(null=True, blank=True)
    published = models.BooleanField(
        default=False,
        help_text="Shown to the public. Set when the document loads; an officer may publish "
        "one that did not (e.g. a scan awaiting OCR).",
    )
    issued = models.DateField(
        null=True, blank=True, help_text="The papers' own date (the agenda's, else the minutes')."
    )
    preferred = models.BooleanField(
        default=False,
        help_text="Where papers printing the same record differ, this document's text is used.",
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["sha256"], name="document_unique_sha256"),
        ]

    def __str__(self):
        return self.title or self.original_name or self.sha256[:12]

    def save(self, *args, **kwargs):
        if self.status == self.Status.LOADED and not self.published:
            self.published = True  # a document that loaded is public from then on
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "published"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("archive:document", args=[self.pk])

    def pdf_url(self, page: int | None = None) -> str:
        url = reverse("archive:document_pdf", args=[self.pk])
        return f"{url}#page={page}" if page else url

    def delete(self, *args, **kwargs):
        """Records another document also prints pass to it first (archive/provenance.py)."""
        from councilarchive.archive.provenance import release

        release([self])
        return super().delete(*args, **kwargs)


class Page(models.Model):
    """The text of one PDF page: for full-text search and deep links."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    search_vector = search_vector(text="C")

    class Meta:
        ordering = ["document", "number"]
        indexes = [
            GinIndex(fields=["search_vector"], name="page_search"),
            impact_index("page_impact"),
            pairs_index("page_pairs"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="page_unique_per_document"),
        ]

    def __str__(self):
        return f"{self.document} p.{self.number}"

    def get_absolute_url(self):
        return reverse("document_page", args=[self.document_id, self.number])

    def citation(self) -> str:
        """'Kent County Council, Agenda pack: Cabinet 5 March 2018, page 12'."""
        return f"{self.document.council}, {self.document}, page {self.number}"


class Topic(models.Model):
    """A subject of council business. Items, reports and resolutions are assigned to topics by
    the topic's rules (stored here, editable in the admin); see archive/topics.py."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    rules = models.TextField(
        blank=True,
        help_text="One rule per line: words or phrases that assign a record to this topic.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=~Q(slug=""), name="topic_slug_not_empty")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("archive:topic", args=[self.slug])


class CouncillorQuerySet(models.QuerySet):
    def members(self):
        return self.filter(is_member=True)

    def attendees(self):
        return self.filter(is_member=False)

    def current(self, today: dt.date | None = None):
        today = today or dt.date.today()
        return self.filter(Q(served_to__isnull=True) | Q(served_to__gte=today))

    def former(self, today: dt.date | None = None):
        return self.filter(served_to__lt=today or dt.date.today())


class Councillor(models.Model):
    """One person, within a council; the forms their name is printed in are Aliases."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="councillors")
    name = models.CharField(max_length=200, help_text="Canonical name, e.g. 'Mr P B Carter'.")
    title = models.CharField(max_length=30, blank=True)
    forenames = models.CharField(max_length=100, blank=True, help_text="Forenames or initials.")
    surname = models.CharField(max_length=100)
    honours = models.CharField(max_length=100, blank=True, help_text="e.g. 'CBE'")
    slug = models.SlugField(max_length=220)
    # Members vs attendees (issue 14): everyone named in the papers has a record; only members
    # (who sit on the council and vote) fill the councillors index and have a votes page.
    is_member = models.BooleanField(
        "member of the council",
        default=False,
        help_text="A member of the council; others named in the papers (officers, board "
        "members from other bodies, guests) are attendees.",
    )
    in_register = models.BooleanField(
        "in the members register",
        default=False,
        help_text="Kept by an officer (or a CSV import): the papers no longer decide whether "
        "this is a member.",
    )
    party = models.CharField(max_length=100, blank=True)
    division = models.CharField("electoral division", max_length=200, blank=True)
    served_from = models.DateField(null=True, blank=True)
    served_to = models.DateField(null=True, blank=True, help_text="Empty while serving.")

    objects = CouncillorQuerySet.as_manager()

    class Meta:
        ordering = ["surname", "forenames"]
        constraints = [
            models.UniqueConstraint(fields=["council", "slug"], name="councillor_unique_slug"),
            models.CheckConstraint(condition=~Q(slug=""), name="councillor_slug_not_empty"),
        ]
        indexes = [
            models.Index(fields=["council", "surname"]),
            GinIndex(
                fields=["surname"], opclasses=["gin_trgm_ops"], name="councillor_surname_trgm"
            ),
        ]

    def __str__(self):
        return f"{self.name}, {self.honours}" if self.honours else self.name

    def get_absolute_url(self):
        return reverse("archive:councillor", args=[self.slug])

    def serving_on(self, day: dt.date) -> bool:
        """Served on `day` (unknown dates do not rule it out)."""
        return (self.served_from is None or self.served_from <= day) and (
            self.served_to is None or day <= self.served_to
        )


class FormerSlug(models.Model):
    """A councillor URL that no longer names a record (merged away or renamed): it redirects."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField(max_length=220)
    councillor = models.ForeignKey(
        Councillor, on_delete=models.CASCADE, related_name="former_slugs"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "slug"], name="former_slug_unique"),
        ]

    def __str__(self):
        return f"{self.slug} → {self.councillor.slug}"

    @classmethod
    def survivor(cls, slug: str) -> Councillor | None:
        """The record an old councillor URL now belongs to."""
        former = cls.objects.select_related("councillor").filter(slug=slug).first()
        return former.councillor if former else None


class Alias(models.Model):
    """A name as printed in the papers, e.g. 'Mr P B Carter, CBE (Chairman)' or 'Mr Carter'."""

    councillor = models.ForeignKey(Councillor, on_delete=models.CASCADE, related_name="aliases")
    printed = models.CharField(max_length=300)

    class Meta:
        ordering = ["printed"]
        verbose_name_plural = "aliases"
        constraints = [
            models.UniqueConstraint(fields=["councillor", "printed"], name="alias_unique"),
        ]

    def __str__(self):
        return self.printed


class Item(models.Model):
    """An agenda item and/or the minute that records it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0, help_text="Order within the meeting.")
    number = models.CharField(max_length=20, blank=True, help_text="Agenda item number.")
    minute_number = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=1000)
    text = models.TextField(blank=True)
    pack_pages = models.CharField(max_length=30, blank=True, help_text="As printed: '7-16'.")
    page_start = models.PositiveIntegerField(null=True, blank=True)
    page_end = models.PositiveIntegerField(null=True, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="items")
    related = models.ManyToManyField(
        "self", blank=True, help_text="The same matter at other meetings."
    )
    edited = models.BooleanField(default=False)
    search_vector = search_vector(title="A", text="C")

    class Meta:
        ordering = ["meeting", "position"]
        indexes = [
            models.Index(fields=["meeting", "position"]),
            GinIndex(fields=["search_vector"], name="item_search"),
            impact_index("item_impact"),
            pairs_index("item_pairs"),
            GinIndex(fields=["title"], opclasses=["gin_trgm_ops"], name="item_title_trgm"),
        ]

    def __str__(self):
        label = self.minute_number or self.number
        return f"{label}. {self.title}" if label else self.title

    def citation(self) -> str:
        """'Kent County Council, County Council, 13 July 2017, minute 23'."""
        if self.minute_number:
            where = f"minute {self.minute_number}"
        elif self.number:
            where = f"agenda item {self.number}"
        else:
            where = f"“{self.title}”"
        return f"{self.meeting.citation()}, {where}"


class Report(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="reports")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    subject = models.CharField(max_length=1000)
    author = models.CharField("from", max_length=1000, blank=True, help_text="From: / By:")
    to = models.CharField(max_length=1000, blank=True)
    classification = models.CharField(max_length=300, blank=True)
    decision_number = models.CharField(max_length=50, blank=True)
    past_pathway = models.TextField(blank=True)
    future_pathway = models.TextField(blank=True)
    electoral_division = models.CharField(max_length=500, blank=True)
    summary = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    body = models.TextField(blank=True)
    page_start = models.PositiveIntegerField(null=True, blank=True)
    page_end = models.PositiveIntegerField(null=True, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="reports")
    edited = models.BooleanField(default=False)
    search_vector = search_vector(subject="A", summary="B", recommendations="B", body="C")

    class Meta:
        ordering = ["document", "page_start"]
        indexes = [
            GinIndex(fields=["search_vector"], name="report_search"),
            impact_index("report_impact"),
            pairs_index("report_pairs"),
            GinIndex(fields=["subject"], opclasses=["gin_trgm_ops"], name="report_subject_trgm"),
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("archive:report", args=[self.pk])

    def citation(self) -> str:
        """'Kent County Council, Cabinet, 5 March 2018, report “Budget 2018-19”, PDF pages 7–16'."""
        opening = self.meeting.citation() if self.meeting else f"{self.document.council}"
        pages = ""
        if self.page_start:
            last = self.page_end if self.page_end and self.page_end != self.page_start else None
            pages = f", PDF page{'s' if last else ''} {self.page_start}{f'–{last}' if last else ''}"
        return f"{opening}, report “{self.subject}”{pages}"


class Resolution(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="resolutions")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="resolutions")
    position = models.PositiveIntegerField(default=0)
    number = models.CharField(max_length=20, blank=True, help_text="e.g. '(3)'")
    text = models.TextField()
    reason = models.TextField(blank=True)
    alternatives = models.TextField(blank=True)
    conflicts = models.TextField(blank=True)
    dispensations = models.TextField(blank=True)
    page = models.PositiveIntegerField(null=True, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="resolutions")
    edited = models.BooleanField(default=False)
    search_vector = search_vector(text="A", reason="B", alternatives="C")

    class Meta:
        ordering = ["item", "position"]
        indexes = [
            GinIndex(fields=["search_vector"], name="resolution_search"),
            impact_index("resolution_impact"),
            pairs_index("resolution_pairs"),
        ]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return reverse("archive:resolution", args=[self.pk])

    def citation(self) -> str:
        """'Kent County Council, County Council, 13 July 2017, minute 23(3)'."""
        item = self.item
        if item.minute_number:
            where = f"minute {item.minute_number}{self.number}"
        elif item.number:
            where = f"item {item.number}{self.number}"
        else:
            where = f"resolution {self.number}".strip()
        return f"{item.meeting.citation()}, {where}"


class Vote(models.Model):
    """A vote on a question: with named councillors (a recorded vote) or a tally only."""

    class Kind(models.TextChoices):
        MOTION = "motion", "Motion"
        AMENDMENT = "amendment", "Amendment"
        SUBSTANTIVE = "substantive motion", "Substantive motion"
        OTHER = "other", "Other"

    class Outcome(models.TextChoices):
        CARRIED = "carried", "Carried"
        LOST = "lost", "Lost"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="votes")
    resolution = models.ForeignKey(
        Resolution, null=True, blank=True, on_delete=models.SET_NULL, related_name="votes"
    )
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="votes")
    position = models.PositiveIntegerField(default=0)
    question = models.TextField(blank=True)
    # who moved and seconded the motion or amendment, as printed ("Mr Bird", "Mrs Dean")
    mover = models.CharField(max_length=200, blank=True)
    seconder = models.CharField(max_length=200, blank=True)
    question_unclear = models.BooleanField(
        default=False,
        help_text="The motion or amendment was not found as printed: the question is the "
        "sentence that announced the vote.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    count_for = models.PositiveIntegerField(null=True, blank=True)
    count_against = models.PositiveIntegerField(null=True, blank=True)
    count_abstain = models.PositiveIntegerField(null=True, blank=True)
    count_mismatch = models.BooleanField(
        default=False, help_text="A printed count differs from the number of names listed."
    )
    tally_only = models.BooleanField(default=False)
    page = models.PositiveIntegerField(null=True, blank=True)
    edited = models.BooleanField(default=False)

    class Meta:
        ordering = ["item", "position"]

    def __str__(self):
        counts = f"{self.count_for}-{self.count_against}-{self.count_abstain}"
        return f"{self.get_kind_display()} vote ({counts}) {self.outcome}".strip()

    def get_absolute_url(self):
        return reverse("archive:vote", args=[self.pk])


class CouncillorVote(models.Model):
    class Option(models.TextChoices):
        FOR = "for", "For"
        AGAINST = "against", "Against"
        ABSTAIN = "abstain", "Abstain"

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="councillor_votes")
    councillor = models.ForeignKey(Councillor, on_delete=models.CASCADE, related_name="votes")
    option = models.CharField(max_length=10, choices=Option.choices)
    printed_name = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["vote", "option", "councillor__surname"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "councillor"], name="one_vote_per_councillor"),
        ]

    def __str__(self):
        return f"{self.councillor}: {self.get_option_display()}"


class Attendance(models.Model):
    class Role(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        SUBSTITUTE = "substitute", "Substitute"
        IN_ATTENDANCE = "in_attendance", "In attendance"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    councillor = models.ForeignKey(Councillor, on_delete=models.CASCADE, related_name="attendance")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attendance")
    role = models.CharField(max_length=20, choices=Role.choices)
    position = models.CharField(max_length=200, blank=True, help_text="e.g. 'Chairman'")
    substitute_for = models.ForeignKey(
        Councillor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    printed_name = models.CharField(max_length=300, blank=True)
    edited = models.BooleanField(default=False)

    class Meta:
        ordering = ["meeting", "role", "councillor__surname"]
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "councillor"], name="attendance_once_per_meeting"
            ),
        ]

    def __str__(self):
        return f"{self.councillor} — {self.get_role_display()}"


# What a declaration names as its item, as printed: "item 7", "Item 7", "agenda item 7",
# "Minute 23", or (decision notices) a bare "7".
ITEM_REFERENCE = re.compile(
    r"^(?:(?P<word>(?:agenda\s+)?items?|minutes?)\s*)?(?P<number>\d.*)$", re.I
)


def item_reference(printed: str) -> str:
    """The item a declaration names, as one label with its word once: "item 7", "agenda item 7",
    "minute 23" ("7" and "Item  7" both give "item 7"); other text as it is, spaces collapsed."""
    text = " ".join((printed or "").split())
    found = ITEM_REFERENCE.match(text)
    if not found:
        return text
    word = " ".join((found.group("word") or "item").lower().split())
    return f"{word} {found.group('number')}"


class Declaration(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="declarations")
    item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="declarations"
    )
    councillor = models.ForeignKey(
        Councillor, null=True, blank=True, on_delete=models.SET_NULL, related_name="declarations"
    )
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="declarations")
    member = models.CharField(max_length=300, help_text="As printed.")
    item_ref = models.CharField(max_length=100, blank=True)
    text = models.TextField()
    page = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self):
        return f"{self.member}: {self.text[:60]}"

    @property
    def item_label(self) -> str:
        """ "item 7": the stored reference as it reads (also one an officer typed as "7")."""
        return item_reference(self.item_ref)


class RecordSource(models.Model):
    """Another document that prints a record: the record's own `document` is its most
    authoritative source, each further one is a row here (the same minute in the printed minutes
    and in the next meeting's agenda pack is one Item with one RecordSource). `version` holds what
    this document prints where it differs from the record (a corrected re-issue, a draft), so
    officers see it and it takes over when the record's own document is deleted."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="confirmed")
    item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.CASCADE, related_name="sources"
    )
    resolution = models.ForeignKey(
        Resolution, null=True, blank=True, on_delete=models.CASCADE, related_name="sources"
    )
    vote = models.ForeignKey(
        Vote, null=True, blank=True, on_delete=models.CASCADE, related_name="sources"
    )
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.CASCADE, related_name="sources"
    )
    attendance = models.ForeignKey(
        Attendance, null=True, blank=True, on_delete=models.CASCADE, related_name="sources"
    )
    declaration = models.ForeignKey(
        Declaration, null=True, blank=True, on_delete=models.CASCADE, related_name="sources"
    )
    page_start = models.PositiveIntegerField(null=True, blank=True)
    page_end = models.PositiveIntegerField(null=True, blank=True)
    version = models.JSONField(
        default=dict, blank=True, help_text="This document's values where they differ."
    )

    class Meta:
        ordering = ["document", "page_start"]
        constraints = [
            *(
                models.UniqueConstraint(fields=["document", name], name=f"source_once_{name}")
                for name in ("item", "resolution", "vote", "report", "attendance", "declaration")
            ),
            models.CheckConstraint(
                condition=Exact(
                    Func(
                        "item",
                        "resolution",
                        "vote",
                        "report",
                        "attendance",
                        "declaration",
                        function="num_nonnulls",
                        output_field=models.IntegerField(),
                    ),
                    1,
                ),
                name="source_of_one_record",
            ),
        ]

    def __str__(self):
        return f"{self.document} p.{self.page_start}" if self.page_start else str(self.document)


def meetings_without_records():
    """Meetings no document speaks of any more (after a document was deleted or replaced)."""
    return Meeting.objects.filter(
        ~Q(edited=True),
        items__isnull=True,
        attendance__isnull=True,
        reports__isnull=True,
        declarations__isnull=True,
    )
