"""Read-only JSON API: meetings, items, resolutions, votes (with each councillor's vote) and
councillors. Field names follow the Open Civic Data Event and VoteEvent models where they fit
(`start_date`, `classification`, `agenda`, `motion_text`, `result`, `counts`, `votes`, `voter_name`).
"""

from __future__ import annotations

import datetime as dt
import functools

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpResponseBadRequest,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from councilarchive.archive.models import (
    Councillor,
    FormerSlug,
    Item,
    Meeting,
    Resolution,
    Vote,
)

PAGE_SIZE = 50
# OCD vote options: "yes" / "no" / "abstain"; OCD results: "pass" / "fail"
OCD_OPTION = {"for": "yes", "against": "no", "abstain": "abstain"}
OCD_RESULT = {"carried": "pass", "lost": "fail"}


# Every endpoint: (path under /api/, what it returns, is it a list). The API page and the OpenAPI
# description are both written from this table.
ENDPOINTS = [
    ("meetings/", "Meetings, newest first.", True),
    ("meetings/{id}/", "One meeting with its agenda items.", False),
    ("items/", "Agenda items and minutes, newest meeting first.", True),
    ("items/{id}/", "One agenda item or minute, with its resolutions and votes.", False),
    ("resolutions/", "Resolutions, newest meeting first.", True),
    ("resolutions/{id}/", "One resolution with its meeting.", False),
    ("votes/", "Votes with each councillor's vote.", True),
    ("votes/{id}/", "One vote.", False),
    ("councillors/", "Councillors A–Z with the forms of their name as printed.", True),
    ("councillors/{slug}/", "One councillor with every recorded vote they cast.", False),
]


class ListParams(forms.Form):
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)
    committee = forms.SlugField(required=False)
    since = forms.DateField(required=False)
    until = forms.DateField(required=False)


def _abs(request, name, *args) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


def _pdf(request, document, page) -> str | None:
    return request.build_absolute_uri(document.pdf_url(page)) if document else None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _page(request, queryset, serialise):
    unknown = sorted(set(request.GET) - set(ListParams.base_fields))
    if unknown:  # a misspelt filter would otherwise silently return everything
        known = ", ".join(ListParams.base_fields)
        return None, {name: [f"Unknown parameter; lists take {known}."] for name in unknown}
    params = ListParams(request.GET)
    if not params.is_valid():
        return None, params.errors
    data = params.cleaned_data
    if data["committee"]:
        queryset = queryset.filter(**{_committee_path(queryset.model): data["committee"]})
    if data["since"]:
        queryset = queryset.filter(**{_date_path(queryset.model) + "__gte": data["since"]})
    if data["until"]:
        queryset = queryset.filter(**{_date_path(queryset.model) + "__lte": data["until"]})
    paginator = Paginator(queryset, PAGE_SIZE)
    number = data["page"] or 1
    if number > max(paginator.num_pages, 1):
        raise Http404("No such page")
    page = paginator.page(number)

    def link(n):
        query = request.GET.copy()
        query["page"] = n
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": paginator.count,
        "page": number,
        "next": link(number + 1) if page.has_next() else None,
        "previous": link(number - 1) if page.has_previous() else None,
        "results": [serialise(request, obj) for obj in page.object_list],
    }, None


def _committee_path(model) -> str:
    return {
        Meeting: "committee__slug",
        Item: "meeting__committee__slug",
        Resolution: "item__meeting__committee__slug",
        Vote: "item__meeting__committee__slug",
        Councillor: "attendance__meeting__committee__slug",
    }[model]


def _date_path(model) -> str:
    return {
        Meeting: "date",
        Item: "meeting__date",
        Resolution: "item__meeting__date",
        Vote: "item__meeting__date",
        Councillor: "attendance__meeting__date",
    }[model]


# -- serialisers --------------------------------------------------------------------------------
def meeting_json(request, meeting: Meeting, *, agenda: bool = False) -> dict:
    data = {
        "id": meeting.pk,
        "url": _abs(request, "api:meeting", meeting.pk),
        "html_url": request.build_absolute_uri(meeting.get_absolute_url()),
        "name": str(meeting),
        "classification": "committee-meeting",
        "organization": {"name": meeting.committee.name, "slug": meeting.committee.slug},
        "start_date": _iso(meeting.date) + (f"T{meeting.time:%H:%M}" if meeting.time else ""),
        "timezone": "Europe/London",
        "status": {"scheduled": "tentative", "held": "passed", "cancelled": "cancelled"}.get(
            meeting.status, meeting.status
        ),
        "location": {"name": meeting.venue},
    }
    if agenda:
        data["agenda"] = [item_json(request, item, brief=True) for item in meeting.items.all()]
    return data


def item_json(request, item: Item, *, brief: bool = False) -> dict:
    data = {
        "id": item.pk,
        "url": _abs(request, "api:item", item.pk),
        "order": item.position,
        "number": item.number,
        "minute_number": item.minute_number,
        "description": item.title,
        "pages": {"start": item.page_start, "end": item.page_end, "pack": item.pack_pages},
        "media": [{"note": "PDF", "url": _pdf(request, item.document, item.page_start)}],
    }
    if not brief:
        data["event"] = meeting_json(request, item.meeting)
        data["notes"] = item.text
        data["resolutions"] = [
            resolution_json(request, r, brief=True) for r in item.resolutions.all()
        ]
        data["votes"] = [vote_json(request, v) for v in item.votes.all()]
    return data


def resolution_json(request, resolution: Resolution, *, brief: bool = False) -> dict:
    data = {
        "id": resolution.pk,
        "url": _abs(request, "api:resolution", resolution.pk),
        "html_url": request.build_absolute_uri(resolution.get_absolute_url()),
        "number": resolution.number,
        "text": resolution.text,
        "reason": resolution.reason,
        "alternatives_considered": resolution.alternatives,
        "conflicts_of_interest": resolution.conflicts,
        "dispensations": resolution.dispensations,
        "source": {"url": _pdf(request, resolution.document, resolution.page)},
    }
    if not brief:
        item = resolution.item
        data["item"] = {"id": item.pk, "minute_number": item.minute_number, "title": item.title}
        data["event"] = meeting_json(request, item.meeting)
    return data


def vote_json(request, vote: Vote) -> dict:
    return {
        "id": vote.pk,
        "url": _abs(request, "api:vote", vote.pk),
        "identifier": f"{vote.item.minute_number or vote.item.number}.{vote.position + 1}",
        "motion_text": vote.question,
        # the motion or amendment as printed was not found: motion_text is the announcing sentence
        "motion_text_unclear": vote.question_unclear,
        "mover": vote.mover,
        "seconder": vote.seconder,
        "motion_classification": [vote.kind],
        "start_date": _iso(vote.item.meeting.date),
        "organization": {"name": vote.item.meeting.committee.name},
        "result": OCD_RESULT.get(vote.outcome),
        "counts": [
            {"option": "yes", "value": vote.count_for},
            {"option": "no", "value": vote.count_against},
            {"option": "abstain", "value": vote.count_abstain},
        ],
        "count_mismatch": vote.count_mismatch,
        "votes": [
            {
                "option": OCD_OPTION[cv.option],
                "voter_name": cv.printed_name or cv.councillor.name,
                "voter_id": cv.councillor.slug,
            }
            for cv in vote.councillor_votes.all()
        ],
        "source": {"url": _pdf(request, vote.document, vote.page)},
    }


def councillor_json(request, councillor: Councillor) -> dict:
    return {
        "id": councillor.slug,
        "url": _abs(request, "api:councillor", councillor.slug),
        "html_url": request.build_absolute_uri(councillor.get_absolute_url()),
        "name": councillor.name,
        "sort_name": f"{councillor.surname}, {councillor.forenames}".strip(", "),
        "family_name": councillor.surname,
        "honorific_prefix": councillor.title,
        "honorific_suffix": councillor.honours,
        "other_names": [{"name": a.printed} for a in councillor.aliases.all()],
        "member": councillor.is_member,
        "party": councillor.party or None,
        "electoral_division": councillor.division or None,
        "start_date": _iso(councillor.served_from),
        "end_date": _iso(councillor.served_to),
    }


# -- querysets: a fixed number of queries per response -------------------------------------------
def _meetings():
    return Meeting.objects.select_related("committee").order_by("-date", "pk")


def _votes():
    return Vote.objects.select_related("item__meeting__committee", "document").prefetch_related(
        "councillor_votes__councillor"
    )


def _resolutions():
    return Resolution.objects.select_related("item__meeting__committee", "document").order_by(
        "-item__meeting__date", "item__position", "position"
    )


# -- views -----------------------------------------------------------------------------------
def _list(request, queryset, serialise):
    data, errors = _page(request, queryset, serialise)
    if errors:
        return HttpResponseBadRequest(
            JsonResponse({"errors": errors}).content, content_type="application/json"
        )
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def _one(data):
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def json_errors(view):
    """A missing record answers 404 in JSON, as every other API answer is."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404 as missing:
            return not_found(request, detail=str(missing))

    return wrapped


def not_found(request, detail: str = ""):
    return JsonResponse(
        {"error": "Not found", "detail": detail or f"No endpoint at {request.path}"}, status=404
    )


@require_safe
def index(request):
    base = request.build_absolute_uri("/api/")
    return render(request, "api/index.html", {"base": base, "endpoints": ENDPOINTS})


@require_safe
def openapi(request):
    """An OpenAPI 3.1 description of every endpoint (paths, parameters, answers)."""
    list_parameters = [
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
        {"name": "committee", "in": "query", "schema": {"type": "string"}},
        {"name": "since", "in": "query", "schema": {"type": "string", "format": "date"}},
        {"name": "until", "in": "query", "schema": {"type": "string", "format": "date"}},
    ]
    error = {"description": "An error, as JSON", "content": {"application/json": {}}}
    paths = {}
    for path, summary, is_list in ENDPOINTS:
        parameters = list_parameters if is_list else []
        for name in ("id", "slug"):
            if "{" + name + "}" in path:
                kind = "integer" if name == "id" else "string"
                parameters = [
                    {"name": name, "in": "path", "required": True, "schema": {"type": kind}}
                ]
        answers = {"200": {"description": summary, "content": {"application/json": {}}}}
        answers["400" if is_list else "404"] = error
        paths[f"/api/{path}"] = {
            "get": {"summary": summary, "parameters": parameters, "responses": answers}
        }
    return JsonResponse(
        {
            "openapi": "3.1.0",
            "info": {"title": f"{settings.COUNCIL_NAME} archive API", "version": "1"},
            "servers": [{"url": request.build_absolute_uri("/")}],
            "paths": paths,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
def items(request):
    queryset = Item.objects.select_related("meeting__committee", "document").defer(
        "search_vector", "text"
    )
    return _list(request, queryset.order_by("-meeting__date", "position", "pk"), item_list_json)


def item_list_json(request, item: Item) -> dict:
    meeting = item.meeting
    return item_json(request, item, brief=True) | {
        "event": {"url": _abs(request, "api:meeting", meeting.pk), "name": str(meeting)}
    }


@require_safe
def meetings(request):
    return _list(request, _meetings(), meeting_json)


@require_safe
def meeting(request, pk):
    obj = get_object_or_404(_meetings().prefetch_related("items__document"), pk=pk)
    return _one(meeting_json(request, obj, agenda=True))


@require_safe
def item(request, pk):
    obj = get_object_or_404(
        Item.objects.select_related("meeting__committee", "document").prefetch_related(
            "resolutions__document",
            "votes__councillor_votes__councillor",
            "votes__document",
            "votes__item__meeting__committee",
        ),
        pk=pk,
    )
    return _one(item_json(request, obj))


@require_safe
def resolutions(request):
    return _list(request, _resolutions(), resolution_json)


@require_safe
def resolution(request, pk):
    return _one(resolution_json(request, get_object_or_404(_resolutions(), pk=pk)))


@require_safe
def votes(request):
    return _list(request, _votes().order_by("-item__meeting__date", "pk"), vote_json)


@require_safe
def vote(request, pk):
    return _one(vote_json(request, get_object_or_404(_votes(), pk=pk)))


@require_safe
def councillors(request):
    """Members of the council (attendees, who are not, are reached by their own URL)."""
    queryset = (
        Councillor.objects.members()
        .prefetch_related("aliases")
        .order_by("surname", "forenames", "pk")
    )
    if request.GET.get("committee") or request.GET.get("since") or request.GET.get("until"):
        queryset = queryset.distinct()
    return _list(request, queryset, councillor_json)


@require_safe
def councillor(request, slug):
    obj = Councillor.objects.prefetch_related("aliases").filter(slug=slug).first()
    if obj is None:
        survivor = FormerSlug.survivor(slug)
        if survivor is None:
            raise Http404("No such councillor")
        return HttpResponsePermanentRedirect(_abs(request, "api:councillor", survivor.slug))
    data = councillor_json(request, obj)
    data["votes"] = [
        {
            "vote": _abs(request, "api:vote", cv.vote_id),
            "option": OCD_OPTION[cv.option],
            "date": _iso(cv.vote.item.meeting.date),
            "committee": cv.vote.item.meeting.committee.name,
            "result": OCD_RESULT.get(cv.vote.outcome),
        }
        for cv in obj.votes.select_related("vote__item__meeting__committee").order_by(
            "-vote__item__meeting__date", "vote__position"
        )
    ]
    return _one(data)
