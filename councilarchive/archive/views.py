"""Public browse pages. Thin views: look up, call one query method, render."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from councilarchive.archive.models import (
    Committee,
    Councillor,
    Document,
    Meeting,
    Report,
    Resolution,
    Topic,
    Vote,
)


@require_safe
def home(request):
    return render(
        request,
        "archive/home.html",
        {
            "committees": Committee.objects.select_related("council").order_by("name"),
            "meetings": Meeting.objects.select_related("committee").order_by("-date")[:10],
            "resolutions": Resolution.objects.select_related("item__meeting__committee").order_by(
                "-item__meeting__date", "item__position", "position"
            )[:10],
        },
    )


@require_safe
def committee(request, slug):
    committee = get_object_or_404(Committee, slug=slug)
    meetings = Meeting.objects.for_committee(committee).order_by("-date")
    return render(request, "archive/committee.html", {"committee": committee, "meetings": meetings})


@require_safe
def meeting(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    items = meeting.items.prefetch_related("resolutions", "votes").order_by("position")
    return render(request, "archive/meeting.html", {"meeting": meeting, "items": items})


@require_safe
def councillor(request, slug):
    councillor = get_object_or_404(Councillor, slug=slug)
    return render(request, "archive/councillor.html", {"councillor": councillor})


@require_safe
def topic(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    return render(request, "archive/topic.html", {"topic": topic})


@require_safe
def report(request, pk):
    report = get_object_or_404(Report.objects.select_related("document", "meeting"), pk=pk)
    return render(request, "archive/report.html", {"report": report})


@require_safe
def resolution(request, pk):
    resolution = get_object_or_404(
        Resolution.objects.select_related("item__meeting__committee", "document"), pk=pk
    )
    return render(request, "archive/resolution.html", {"resolution": resolution})


@require_safe
def vote(request, pk):
    vote = get_object_or_404(Vote.objects.select_related("item__meeting__committee"), pk=pk)
    return render(request, "archive/vote.html", {"vote": vote})


@require_safe
def document(request, pk):
    document = get_object_or_404(Document, pk=pk)
    return render(request, "archive/document.html", {"document": document})


@require_safe
def document_pdf(request, pk):
    """The original PDF, always as application/pdf (never sniffed as HTML), shown inline."""
    document = get_object_or_404(Document, pk=pk)
    try:
        fh = document.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("The original file is not available") from None
    response = FileResponse(fh, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="document-{document.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
