"""Public browse pages. Thin views: validate input, call one query function, render.

The query functions (browse/queries.py) fetch everything a page shows in a fixed number of
queries; templates never walk a relation that was not fetched.
"""

from django import forms
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import (
    FileResponse,
    Http404,
    HttpResponseBadRequest,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from councilarchive.archive.models import Document, FormerSlug
from councilarchive.archive.report_text import blocks_from_pages, blocks_from_text
from councilarchive.browse import queries
from councilarchive.browse.feeds import SITEMAPS


@require_safe
def home(request):
    return render(request, "browse/home.html", queries.home_page())


@require_safe
def committees(request):
    return render(request, "browse/committees.html", queries.committee_index())


class MeetingsPage(forms.Form):
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)


@require_safe
def meetings(request):
    """Every meeting, newest first, a page of MEETINGS_PER_PAGE at a time."""
    form = MeetingsPage(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest("Page must be a whole number from 1.")
    return render(
        request, "browse/meetings.html", queries.meeting_index(form.cleaned_data["page"] or 1)
    )


@require_safe
def committee(request, slug):
    return render(request, "browse/committee.html", queries.committee_page(slug))


@require_safe
def meeting(request, pk):
    return render(request, "browse/meeting.html", queries.meeting_page(pk))


class CouncillorFilter(forms.Form):
    q = forms.CharField(label="Filter by name", required=False, max_length=100, strip=True)


@require_safe
def councillors(request):
    """Councillors A–Z; `?q=` keeps those whose name (or a printed form of it) contains q."""
    form = CouncillorFilter(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(
            render_to_string("browse/councillors.html", {"form": form}, request)
        )
    context = queries.councillor_index(form.cleaned_data["q"])
    return render(request, "browse/councillors.html", {"form": form, **context})


@require_safe
def councillor(request, slug):
    """A councillor's page; the URL of a record merged away or renamed redirects (301)."""
    try:
        context = queries.councillor_page(slug)
    except Http404:
        survivor = FormerSlug.survivor(slug)
        if survivor is None:
            raise
        return HttpResponsePermanentRedirect(survivor.get_absolute_url())
    return render(request, "browse/councillor.html", context)


@require_safe
def topics(request):
    return render(request, "browse/topics.html", queries.topic_index())


@require_safe
def topic(request, slug):
    return render(request, "browse/topic.html", queries.topic_page(slug))


@require_safe
def report(request, pk):
    context = queries.report_page(pk)
    if context["pages"]:
        blocks = blocks_from_pages(context["pages"])
    else:
        blocks = blocks_from_text(context["report"].body)
    return render(request, "browse/report.html", {**context, "blocks": blocks})


@require_safe
def resolution(request, pk):
    return render(request, "browse/resolution.html", queries.resolution_page(pk))


@require_safe
def vote(request, pk):
    return render(request, "browse/vote.html", queries.vote_page(pk))


@require_safe
def document(request, pk):
    return render(request, "browse/document.html", queries.document_page(pk, request.user))


@require_safe
def document_pdf(request, pk):
    """The original PDF, always as application/pdf (never sniffed as HTML), shown inline."""
    document = get_object_or_404(Document.objects.visible_to(request.user), pk=pk)
    try:
        fh = document.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("The original file is not available") from None
    response = FileResponse(fh, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="document-{document.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def sitemap(request):
    return sitemap_view(request, sitemaps=SITEMAPS, template_name="browse/sitemap.xml")
