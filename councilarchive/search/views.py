"""Search pages, exports and feeds: validate, call `query.search`, render. Bad input -> 400."""

from __future__ import annotations

from django.contrib.postgres.search import SearchHeadline
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import render
from django.views.decorators.http import require_safe

from councilarchive.archive.models import SEARCH_CONFIG, Resolution, Vote, search_query
from councilarchive.search import citation, snippets
from councilarchive.search.filters import SORT_CHOICES
from councilarchive.search.query import InvalidSearch, search
from councilarchive.search.suggest import suggestions

HELP = [
    ('"local transport plan"', "the exact phrase"),
    ("budget OR savings", "either word"),
    ("budget -capital", "budget, but not capital"),
    ("school closure", "both words, anywhere in the record"),
]


def _page(request, template, *, kinds=None, extra=None):
    context = {"help": HELP, "searched": bool(request.GET), "sort_choices": SORT_CHOICES}
    try:
        results = search(request.GET, kinds=kinds)
    except InvalidSearch as invalid:
        context |= {"filterset": invalid.filterset, "errors": invalid.errors}
        return render(request, template, context, status=400)
    context |= {"results": results, "filterset": results.filterset}
    if results.query and results.count == 0 and not results.message:
        context["suggestions"] = suggestions(results.query)
    if extra:
        context |= extra(results)
    export = request.GET.copy()
    export.pop("page", None)
    if kinds:
        export.setlist("kind", list(kinds))
    context["export_query"] = export.urlencode()
    return render(request, template, context)


@require_safe
def search_page(request):
    return _page(request, "search/search.html")


def _resolution_details(results):
    in_order = Vote.objects.order_by("position")
    prefetch_related_objects(
        [row.record for row in results.rows],
        Prefetch("votes", queryset=in_order),
        Prefetch("item__votes", queryset=in_order),
    )
    whole = {}
    if results.query:  # the whole resolution, every match marked
        whole = dict(
            Resolution.objects.filter(pk__in=[row.record.pk for row in results.rows])
            .annotate(
                marked=SearchHeadline(
                    snippets.protect("text"),
                    search_query(results.query),
                    config=SEARCH_CONFIG,
                    start_sel=snippets.START,
                    stop_sel=snippets.STOP,
                    highlight_all=True,
                )
            )
            .values_list("pk", "marked")
        )
    for row in results.rows:
        row.cite = citation.cite(row.record)
        row.votes = citation.votes_for(row.record)
        row.text = snippets.restore(whole[row.record.pk]) if whole else row.record.text
    return {}


@require_safe
def resolutions_page(request):
    return _page(
        request, "search/resolutions.html", kinds=("resolution",), extra=_resolution_details
    )
