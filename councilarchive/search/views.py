"""Search pages, exports and feeds: validate, call `query.search`, render. Bad input -> 400."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.postgres.search import SearchHeadline
from django.db.models import Prefetch, prefetch_related_objects
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from councilarchive.archive.models import (
    SEARCH_CONFIG,
    Document,
    Page,
    Resolution,
    Vote,
    search_query,
)
from councilarchive.search import citation, snippets
from councilarchive.search.filters import FILTERS, MAX_QUERY, SORT_CHOICES, fetch_choices
from councilarchive.search.query import InvalidSearch, search
from councilarchive.search.suggest import suggestions

HELP = [
    ('"local transport plan"', "the exact phrase"),
    ("budget OR savings", "either word"),
    ("budget -capital", "budget, but not capital"),
    ("school closure", "both words, anywhere in the record"),
]


def filters_in_use(params) -> int:
    """How many filters narrow the search (shown on the collapsed "Filter" heading)."""
    return sum(1 for name in FILTERS if any(params.getlist(name)))


def error_banner(errors: dict) -> str:
    """What the banner above the results says about invalid input: a too-long query by name."""
    if "q" in errors and len(errors) == 1:
        codes = {error.get("code") for error in errors["q"]}
        if "max_length" in codes:
            return f"Your search is too long: use at most {MAX_QUERY:,} characters."
        return "Your search could not be read; please change it."
    return "Some of the search options are not valid; please correct them."


def suggestion_links(params, query: str) -> dict:
    """Where a search with no matches may go next: each close spelling keeps the filters and
    sort in use (only the words change); "without filters" keeps the words alone."""
    links = []
    for suggestion in suggestions(query):
        instead = params.copy()
        instead.pop("page", None)
        instead["q"] = suggestion.query
        links.append((suggestion.label, "?" + instead.urlencode()))
    unfiltered = QueryDict(mutable=True)
    unfiltered["q"] = query
    return {"suggestions": links, "unfiltered_query": "?" + unfiltered.urlencode()}


def _page(request, template, *, kinds=None, extra=None):
    context = {
        "help": HELP,
        # No query lists the newest records, so every visit to the page shows some.
        "searched": True,
        "sort_choices": SORT_CHOICES,
        "filtered": filters_in_use(request.GET),
        "kinds_fixed": bool(kinds),
    }
    try:
        results = search(request.GET, kinds=kinds)
    except InvalidSearch as invalid:
        if invalid.filterset is not None:
            fetch_choices(invalid.filterset.form)
        context |= {
            "filterset": invalid.filterset,
            "errors": invalid.errors,
            "error_banner": error_banner(invalid.errors),
            # the filters open to show their errors (the query's show under its box)
            "filter_errors": bool(set(invalid.errors) - {"q"}),
        }
        return render(request, template, context, status=400)
    context |= {
        "results": results,
        "filterset": results.filterset,
        "export_rows": min(results.count, settings.SEARCH_EXPORT_CAP),
    }
    fetch_choices(results.filterset.form)
    citation.cite_rows(results.rows)
    if results.query and results.count == 0 and not results.message:
        context |= suggestion_links(request.GET, results.query)
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
        resolutions = Resolution.objects.filter(pk__in=[row.record.pk for row in results.rows])
        whole = _marked(resolutions, results.query)
    for row in results.rows:
        row.votes = citation.votes_for(row.record)
        row.text = whole[row.record.pk] if whole else row.record.text
    return {}


@require_safe
def resolutions_page(request):
    return _page(
        request, "search/resolutions.html", kinds=("resolution",), extra=_resolution_details
    )


def _marked(queryset, query: str, field: str = "text") -> dict[int, str]:
    """{pk: the whole `field` with every match of `query` between snippets.START/STOP}."""
    return {
        pk: snippets.restore(marked)
        for pk, marked in queryset.annotate(
            marked=SearchHeadline(
                snippets.protect(field, limit=snippets.WHOLE_TEXT_CHARS),
                search_query(query),
                config=SEARCH_CONFIG,
                start_sel=snippets.START,
                stop_sel=snippets.STOP,
                highlight_all=True,
            )
        ).values_list("pk", "marked")
    }


class PageQuery(forms.Form):
    q = forms.CharField(required=False, max_length=MAX_QUERY)


@require_safe
def document_page(request, pk, number):
    """One page of a PDF as text, the words searched for (`?q=`) marked, beside a link to that
    page of the PDF and the pages either side: where a search result on a page lands."""
    document = get_object_or_404(Document.objects.select_related("committee", "council"), pk=pk)
    page = get_object_or_404(Page.objects.defer("search_vector"), document=document, number=number)
    form = PageQuery(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    text = page.text
    if query and text:
        text = _marked(Page.objects.filter(pk=page.pk), query).get(page.pk) or text
    numbers = Page.objects.filter(document=document, number__in=[number - 1, number + 1])
    either_side = set(numbers.values_list("number", flat=True))
    context = {
        "document": document,
        "page": page,
        "text": text,
        "query": query,
        "previous": number - 1 if number - 1 in either_side else None,
        "next": number + 1 if number + 1 in either_side else None,
        "pdf_url": document.pdf_url(number),
    }
    return render(request, "search/document_page.html", context)
