"""The search form: every parameter validated by one django-filter FilterSet (bad input -> 400).

The same FilterSet filters each searchable model in turn. The query module annotates every model
with the same coordinates (`kind_ref`, `meeting_ref`, `committee_ref`, `date_ref`, `item_ref`), so
one filter method serves resolutions, items, reports and pages alike.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from councilarchive.archive.models import (
    SEARCH_CONFIG,
    Attendance,
    Committee,
    Councillor,
    Declaration,
    Item,
    Page,
    Resolution,
    Topic,
    Vote,
)
from councilarchive.archive.plaintext import clean
from councilarchive.search.batch import Batch

KIND_CHOICES = [
    ("resolution", "Resolutions"),
    ("minutes", "Minutes"),
    ("agenda", "Agenda items"),
    ("report", "Reports"),
    ("page", "PDF pages"),
]
ROLE_CHOICES = [
    ("voted", "voted"),
    ("moved", "moved a motion"),
    ("declared", "declared an interest"),
    ("attended", "attended"),
]
SORT_CHOICES = [("relevance", "Relevance"), ("newest", "Newest"), ("oldest", "Oldest")]
YES_NO = [("yes", "Yes"), ("no", "No")]
VOTE_CHOICES = [("motion", "Motion"), ("amendment", "Amendment")]
# the Vote.Kind values each choice stands for (a substantive motion is the motion as amended);
# a vote of kind "other" is found by its outcome alone
VOTE_KINDS = {
    "motion": (Vote.Kind.MOTION, Vote.Kind.SUBSTANTIVE),
    "amendment": (Vote.Kind.AMENDMENT,),
}
MAX_PAGE = 1000
MAX_QUERY = 500
# The parameters that narrow a search (q, sort and page do not).
FILTERS = (
    "kind",
    "committee",
    "since",
    "until",
    "councillor",
    "role",
    "topic",
    "outcome",
    "vote",
    "has_vote",
)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# A browser without a date picker shows a text box: the form says which format it takes.
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y"]
DATE_HINT = "Day, month and year, for example 13/07/2017"


class QuickSelect(forms.Select):
    """A <select> rendered in Python: Django renders each option through a template, which for a
    list of every councillor cost more than the search itself. Same markup, escaped the same way.
    A model field's options are its queryset's, or `objects` where fetch_choices() read them."""

    objects = None

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, " selected" if str(key) == chosen else "", label)
                for key, label in self.pairs()
            ),
        )
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(final), options)

    def pairs(self):
        """(value, label) of each option. A model field's choices are read with one plain query
        (its iterator would open a server-side cursor: three more round trips a list)."""
        if not isinstance(self.choices, ModelChoiceIterator):
            return [(self.format_value_of(v), label) for v, label in self.choices]
        field = self.choices.field
        pairs = [("", field.empty_label)] if field.empty_label is not None else []
        return pairs + [
            (self.format_value_of(field.prepare_value(obj)), field.label_from_instance(obj))
            for obj in (field.queryset if self.objects is None else self.objects)
        ]

    @staticmethod
    def format_value_of(value) -> str:
        value = getattr(value, "value", value)  # ModelChoiceIteratorValue
        return "" if value is None else str(value)


def fetch_choices(form) -> None:
    """The options of the form's lists (committees, councillors, topics) in one statement, not
    one each: each list's widget keeps its objects for rendering."""
    batch = Batch()
    parts = {
        name: batch.queryset(field.queryset)
        for name, field in form.fields.items()
        if isinstance(field.widget, QuickSelect) and hasattr(field, "queryset")
    }
    batch.run()
    for name, part in parts.items():
        form.fields[name].widget.objects = part.rows


class SearchForm(forms.Form):
    """The page shows the query box above the results and the filters beside them: two places on
    the page, one <form id="search">, whose fields name it with the `form` attribute."""

    ID = "search"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if self.is_bound and not self.data.get("sort") and not (self.data.get("q") or "").strip():
            self.data = self.data.copy()  # no words: newest first, and the "Sort by" box says so
            self.data["sort"] = "newest"
        for field in self.fields.values():
            field.widget.attrs["form"] = self.ID
        for name in ("since", "until"):
            self.fields[name].input_formats = DATE_FORMATS
            self.fields[name].help_text = DATE_HINT
            self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def clean(self):
        data = super().clean()
        if data.get("q"):
            # A control character (`?q=%01`) is no search term, and no feed or file can carry it.
            data["q"] = clean(data["q"]).strip()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError("The 'from' date is after the 'to' date.")
        if data.get("role") and not data.get("councillor"):
            self.add_error("role", "Choose a councillor too.")
        return data


class NumberOfPage(django_filters.Filter):
    field_class = forms.IntegerField


class SearchFilterSet(django_filters.FilterSet):
    # q, sort and page are read by the query module; declared here so they are validated.
    q = django_filters.CharFilter(
        label="Search for", method="handled_elsewhere", max_length=MAX_QUERY
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=KIND_CHOICES,
        label="Kind",
        method="filter_kind",
        widget=forms.CheckboxSelectMultiple,
    )
    committee = django_filters.ModelChoiceFilter(
        queryset=Committee.objects.all(),
        to_field_name="slug",
        label="Committee",
        widget=QuickSelect,
        empty_label="any committee",
        method="filter_committee",
    )
    since = django_filters.DateFilter(label="From", method="filter_since", widget=DATE)
    until = django_filters.DateFilter(label="To", method="filter_until", widget=DATE)
    councillor = django_filters.ModelChoiceFilter(
        queryset=Councillor.objects.all(),
        to_field_name="slug",
        label="Councillor",
        widget=QuickSelect,
        empty_label="any councillor",
        method="filter_councillor",
    )
    role = django_filters.ChoiceFilter(
        choices=ROLE_CHOICES, label="Who", empty_label="took part", method="handled_elsewhere"
    )
    topic = django_filters.ModelChoiceFilter(
        queryset=Topic.objects.all(),
        to_field_name="slug",
        label="Topic",
        widget=QuickSelect,
        empty_label="any topic",
        method="filter_topic",
    )
    outcome = django_filters.ChoiceFilter(
        choices=Vote.Outcome.choices,
        label="Vote outcome",
        empty_label="any outcome",
        method="filter_outcome",
    )
    vote = django_filters.ChoiceFilter(
        choices=VOTE_CHOICES,
        label="Vote on",
        empty_label="motion or amendment",
        method="filter_vote",
    )
    has_vote = django_filters.ChoiceFilter(
        choices=YES_NO,
        label="Recorded vote",
        empty_label="with or without",
        method="filter_has_vote",
    )
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES, label="Sort by", empty_label=None, method="handled_elsewhere"
    )
    page = NumberOfPage(label="Page", min_value=1, max_value=MAX_PAGE, method="handled_elsewhere")

    class Meta:
        form = SearchForm

    def handled_elsewhere(self, queryset, name, value):
        return queryset

    def filter_kind(self, queryset, name, value):
        return queryset.filter(kind_ref__in=value)

    def filter_committee(self, queryset, name, value):
        return queryset.filter(committee_ref=value.pk)

    def filter_since(self, queryset, name, value):
        return queryset.filter(date_ref__gte=value)

    def filter_until(self, queryset, name, value):
        return queryset.filter(date_ref__lte=value)

    def filter_councillor(self, queryset, name, value):
        return queryset.filter(took_part(value, self.form.cleaned_data.get("role") or ""))

    def filter_topic(self, queryset, name, value):
        if queryset.model is Page:
            return queryset.filter(item_ref__in=Item.objects.filter(topics=value).values("pk"))
        return queryset.filter(topics=value)

    def filter_outcome(self, queryset, name, value):
        kind = self.form.cleaned_data.get("vote") or ""
        return queryset.filter(with_vote(queryset.model, value, kind))

    def filter_vote(self, queryset, name, value):
        if self.form.cleaned_data.get("outcome"):
            return queryset  # outcome and kind of one vote: filter_outcome
        return queryset.filter(with_vote(queryset.model, "", value))

    def filter_has_vote(self, queryset, name, value):
        recorded = Q(item_ref__in=recorded_vote_items())
        return queryset.filter(recorded if value == "yes" else ~recorded | Q(item_ref=None))


def with_vote(model, outcome: str, kind: str) -> Q:
    """Records with a vote of their own of this outcome and kind (VOTE_CHOICES; "" any). A
    resolution's votes are those recorded on it (failing that, its minute's votes recorded on no
    resolution), never an amendment's: a carried resolution whose minute also records a lost
    amendment is not "lost". Any other record's votes are those of its item (a minute with a
    lost amendment is found by "amendment" and by "lost"). HIT_VOTES reads the same votes."""
    votes = Vote.objects.exclude(outcome="")
    if outcome:
        votes = votes.filter(outcome=outcome)
    if kind:
        votes = votes.filter(kind__in=VOTE_KINDS[kind])
    if model is Resolution:
        votes = votes.exclude(kind=Vote.Kind.AMENDMENT)
        return Q(pk__in=votes.values("resolution_id")) | Q(
            item_ref__in=votes.filter(resolution=None).values("item_id")
        )
    return Q(item_ref__in=votes.values("item_id"))


# SQL: the votes of each hit of the CTE `hit(source, pk, item, n)` as with_vote() reads them:
# ('vote', n, kind as VOTE_CHOICES or 'other', outcome, the vote's place in its minute: by
# position, then as loaded).
HIT_VOTES = """
SELECT 'vote', hit.n, CASE WHEN vote.kind = 'amendment' THEN 'amendment'
                   WHEN vote.kind IN ('motion', 'substantive motion') THEN 'motion'
                   ELSE 'other' END, vote.outcome,
       row_number() OVER (PARTITION BY hit.n ORDER BY vote.position, vote.id)
  FROM hit JOIN archive_vote AS vote ON vote.item_id = hit.item
 WHERE vote.outcome <> ''
   AND (hit.source <> 'resolution'
        OR (vote.kind <> 'amendment' AND coalesce(vote.resolution_id, hit.pk) = hit.pk))
"""


def recorded_vote_items():
    """Items with a vote that names how each councillor voted."""
    return Vote.objects.filter(councillor_votes__isnull=False).values("item_id")


def took_part(councillor: Councillor, role: str) -> Q:
    """Records of the meetings and items where the councillor voted / moved / declared / attended;
    any of them when `role` is blank."""
    declarations = Declaration.objects.filter(councillor=councillor)
    # Minutes print the mover by surname: "Mr Carter moved, Mr Oakford seconded".
    moved = SearchQuery(f"{councillor.surname} moved", search_type="phrase", config=SEARCH_CONFIG)
    parts = {
        "voted": Q(
            item_ref__in=Vote.objects.filter(councillor_votes__councillor=councillor).values(
                "item_id"
            )
        ),
        "moved": Q(item_ref__in=Item.objects.filter(search_vector=moved).values("pk")),
        "declared": Q(item_ref__in=declarations.filter(item__isnull=False).values("item_id"))
        | Q(meeting_ref__in=declarations.filter(item__isnull=True).values("meeting_id")),
        "attended": Q(
            meeting_ref__in=Attendance.objects.filter(councillor=councillor)
            .exclude(role=Attendance.Role.APOLOGIES)
            .values("meeting_id")
        ),
    }
    if role:
        return parts[role]
    combined = Q()
    for part in parts.values():
        combined |= part
    return combined
