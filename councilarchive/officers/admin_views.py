"""The officers' workflow behind the admin pages: upload, review, merge and split councillors,
and the audit trail (Django's LogEntry, shown in the admin) for each of them.

The operations are plain functions (`accept_upload`, `merge_councillors`, `split_alias`,
`delete_documents`) so tests call them directly; the views are thin wrappers that check
permissions, validate a form, call one operation and log it.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from councilarchive.archive.models import (
    Alias,
    Attendance,
    Councillor,
    CouncillorVote,
    Declaration,
    Document,
    FormerSlug,
    Vote,
    meetings_without_records,
)
from councilarchive.archive.provenance import source_lines
from councilarchive.ingest.councillors import (
    classify_members,
    keep_old_url,
    likely_pairs,
    new_councillor,
)
from councilarchive.ingest.errors import IngestError, TooLarge
from councilarchive.ingest.extract import check_file, check_not_encrypted
from councilarchive.ingest.pipeline import default_council, store
from councilarchive.ingest.tasks import IN_PROGRESS, enqueue
from councilarchive.officers.adminforms import MergeForm, SplitForm, UploadForm

# -- audit ------------------------------------------------------------------------------------


def audit(user, obj, action: int, message: str) -> None:
    """One line in the admin's history ("Recent actions", the object's History, the log list)."""
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[obj],
        action_flag=action,
        change_message=message,
        single_object=True,
    )


# -- upload -------------------------------------------------------------------------------------


@dataclass
class UploadOutcome:
    name: str
    document: Document | None = None  # stored (new or the existing duplicate)
    duplicate: bool = False
    error: str = ""


def accept_upload(uploaded, *, committee=None, meeting_date=None, user=None) -> UploadOutcome:
    """Cheap byte checks (size, PDF signature, an encryption dictionary), then store and queue.

    Nothing here parses the PDF: a hostile file (a decompression bomb, a page tree of 100,000
    pages) would hold the web process. The worker reads it under its memory and time limits
    (ingest/extract.py) and records the page count, or why it failed, on the document."""
    name = Path(uploaded.name).name[:300]
    if uploaded.size > settings.INGEST_MAX_BYTES:
        limit = settings.INGEST_MAX_BYTES / 1e6
        error = TooLarge(
            f"The file is {uploaded.size / 1e6:.1f} MB, over the limit of {limit:.1f} MB."
        )
        return UploadOutcome(name, error=str(error))
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        for chunk in uploaded.chunks():
            tmp.write(chunk)
        tmp.flush()
        try:
            check_file(tmp.name, settings.INGEST_MAX_BYTES)
            check_not_encrypted(tmp.name)
        except IngestError as exc:
            return UploadOutcome(name, error=str(exc))
        council = committee.council if committee else default_council()
        with transaction.atomic():
            document, created = store(
                tmp.name,
                council=council,
                committee=committee,
                original_name=name,
                uploaded_by=user,
            )
            if not created:
                return UploadOutcome(name, document=document, duplicate=True)
            document.meeting_date_hint = meeting_date
            document.save(update_fields=["meeting_date_hint"])
            enqueue(document)
            if user is not None:
                audit(user, document, ADDITION, f"Uploaded {name}; queued for ingest.")
    return UploadOutcome(name, document=document)


def upload_view(model_admin, request):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        committee = form.get_committee(default_council())
        outcomes = [
            accept_upload(
                f,
                committee=committee,
                meeting_date=form.cleaned_data["meeting_date"],
                user=request.user,
            )
            for f in form.cleaned_data["files"]
        ]
        for outcome in outcomes:
            report_outcome(request, outcome)
        if all(o.error for o in outcomes):
            return redirect("admin:archive_document_upload")
        return redirect("admin:archive_document_changelist")
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Upload agenda pack",
        "form": form,
        "max_mb": f"{settings.INGEST_MAX_BYTES / 1e6:.0f}",
    }
    return TemplateResponse(request, "admin/archive/document/upload.html", context)


def report_outcome(request, outcome: UploadOutcome) -> None:
    if outcome.error:
        messages.error(request, f"{outcome.name}: not uploaded. {outcome.error}")
        return
    link = reverse("admin:archive_document_change", args=[outcome.document.pk])
    if outcome.duplicate:
        messages.warning(
            request,
            format_html(
                '{}: this file was already uploaded as <a href="{}">{}</a> (status: {}).',
                outcome.name,
                link,
                outcome.document,
                outcome.document.get_status_display(),
            ),
        )
    else:
        messages.success(
            request,
            format_html(
                '{}: uploaded and queued as <a href="{}">document {}</a>.',
                outcome.name,
                link,
                outcome.document.pk,
            ),
        )


# -- retry and delete ---------------------------------------------------------------------------


def requeue_documents(documents, user) -> int:
    """Queue documents again (a failed one is retried; a loaded one re-parsed, keeping edits)."""
    count = 0
    for document in documents:
        if document.status in (Document.Status.QUEUED, *IN_PROGRESS):
            continue
        with transaction.atomic():
            enqueue(document)
            audit(user, document, CHANGE, "Queued for ingest again (retry / re-parse).")
        count += 1
    return count


@transaction.atomic
def delete_documents(documents, user, *, log: bool = True) -> int:
    """Delete documents and everything parsed from them (cascade), the meetings only they spoke
    of, and their stored files; councillors, committees and other documents' records stay, and
    a record another document also prints passes to it (Document.delete -> provenance.release)."""
    files = []
    count = 0
    for document in documents:
        if log:
            audit(user, document, DELETION, f"Deleted {document} and the records parsed from it.")
        files.append((document.file.storage, document.file.name))
        document.delete()
        count += 1
    meetings_without_records().delete()

    def remove_files():
        for storage, name in files:
            if name and storage.exists(name):
                storage.delete(name)

    transaction.on_commit(remove_files)
    return count


# -- review ---------------------------------------------------------------------------------------


def review_view(model_admin, request, object_id):
    document = get_object_or_404(Document, pk=object_id)
    if not model_admin.has_view_permission(request, document):
        raise PermissionDenied
    pages = {p.number: p for p in document.pages.all()}
    by_page: dict[int, list[tuple[str, object]]] = {}

    def put(page, kind, record):
        by_page.setdefault(page or 0, []).append((kind, record))

    items = document.items.select_related("meeting__committee")
    for item in items:
        put(item.page_start, "item", item)
    for resolution in document.resolutions.select_related("item"):
        put(resolution.page, "resolution", resolution)
    votes = document.votes.select_related("item").prefetch_related("councillor_votes__councillor")
    for vote in votes:
        put(vote.page, "vote", vote)
    for report in document.reports.all():
        put(report.page_start, "report", report)
    for declaration in document.declarations.all():
        put(declaration.page, "declaration", declaration)
    meetings = {item.meeting for item in items}
    attendance = document.attendance.select_related("councillor", "meeting__committee")
    # the self-check's problems (dicts, parse/check.py), each shown beside its page's text too
    problems = [p for p in document.problems if isinstance(p, dict)]
    for p in problems:
        by_page.setdefault(p.get("page") or 0, [])
    rows = [
        {
            "number": n,
            "page": pages.get(n),
            "records": by_page.get(n, []),
            "problems": [p for p in problems if (p.get("page") or 0) == n],
        }
        for n in sorted(set(by_page) | set(pages))
        if n in by_page
    ]
    people = {a.councillor_id for a in attendance}
    people |= {cv.councillor_id for vote in votes for cv in vote.councillor_votes.all()}
    merge = reverse("admin:archive_councillor_merge")
    likely = [(a, b, f"{merge}?ids={a.pk}&ids={b.pk}") for a, b in likely_pairs(people)]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": document,
        "document": document,
        "likely": likely,
        "title": f"Review: {document}",
        "meetings": sorted(meetings, key=lambda m: m.date),
        "attendance": attendance,
        "rows": rows,
        "problems": problems,
        "source_lines": source_lines(document),
    }
    return TemplateResponse(request, "admin/archive/document/review.html", context)


# -- councillors: merge and split ------------------------------------------------------------------

ROLE_RANK = {
    Attendance.Role.PRESENT: 3,
    Attendance.Role.SUBSTITUTE: 3,
    Attendance.Role.IN_ATTENDANCE: 2,
    Attendance.Role.APOLOGIES: 1,
}


@dataclass
class MergeResult:
    keep: Councillor
    moved: Counter = field(default_factory=Counter)
    conflicts: list[Vote] = field(default_factory=list)  # voted differently in the same vote

    def summary(self) -> str:
        m = self.moved
        text = (
            f"{m['aliases']} aliases, {m['votes']} votes, {m['attendance']} attendance records, "
            f"{m['declarations']} declarations moved"
        )
        if self.conflicts:
            pks = ", ".join(str(v.pk) for v in self.conflicts)
            text += f"; conflicting votes kept as recorded for the kept councillor: {pks}"
        return text


@transaction.atomic
def merge_councillors(keep: Councillor, other: Councillor) -> MergeResult:
    """Move everything of `other` to `keep` and delete `other`.

    One vote per councillor per vote: where both records voted in the same vote, the kept
    councillor's vote stands and the other is dropped (a conflict when they voted differently;
    the vote's count_mismatch flag is recomputed). One attendance per meeting: the stronger role
    (present > in attendance > apologies) stands."""
    result = MergeResult(keep)
    have = set(keep.aliases.values_list("printed", flat=True))
    for alias in other.aliases.all():
        if alias.printed in have:
            alias.delete()
        else:
            alias.councillor = keep
            alias.save(update_fields=["councillor"])
            result.moved["aliases"] += 1

    kept_votes = dict(
        CouncillorVote.objects.filter(councillor=keep).values_list("vote_id", "option")
    )
    touched = set()
    for cv in CouncillorVote.objects.filter(councillor=other).select_related("vote"):
        if cv.vote_id in kept_votes:
            if kept_votes[cv.vote_id] != cv.option:
                result.conflicts.append(cv.vote)
            touched.add(cv.vote_id)
            cv.delete()
        else:
            cv.councillor = keep
            cv.save(update_fields=["councillor"])
            result.moved["votes"] += 1
    for vote in Vote.objects.filter(pk__in=touched):
        recount(vote)

    kept_attendance = {a.meeting_id: a for a in Attendance.objects.filter(councillor=keep)}
    for a in Attendance.objects.filter(councillor=other):
        mine = kept_attendance.get(a.meeting_id)
        if mine is not None:
            if ROLE_RANK.get(a.role, 0) > ROLE_RANK.get(mine.role, 0):
                mine.role, mine.position = a.role, a.position or mine.position
                mine.save(update_fields=["role", "position"])
            a.delete()
        else:
            a.councillor = keep
            a.save(update_fields=["councillor"])
            result.moved["attendance"] += 1
    Attendance.objects.filter(substitute_for=other).update(substitute_for=keep)
    result.moved["declarations"] = Declaration.objects.filter(councillor=other).update(
        councillor=keep
    )
    if other.honours and not keep.honours:
        keep.honours = other.honours
        keep.save(update_fields=["honours"])
    # The merged record's URL, and those that already led to it, now lead to the kept one.
    FormerSlug.objects.filter(councillor=other).update(councillor=keep)
    old_slug = other.slug
    other.delete()
    keep_old_url(keep, old_slug)
    classify_members(keep.council_id)
    return result


def recount(vote: Vote) -> None:
    """Whether the printed counts still agree with the names listed."""
    if vote.tally_only:
        return
    listed = Counter(vote.councillor_votes.values_list("option", flat=True))
    printed = {"for": vote.count_for, "against": vote.count_against, "abstain": vote.count_abstain}
    mismatch = any(n is not None and n != listed[o] for o, n in printed.items())
    if mismatch != vote.count_mismatch:
        vote.count_mismatch = mismatch
        vote.save(update_fields=["count_mismatch"])


@transaction.atomic
def split_alias(alias: Alias, name: str = "") -> Councillor:
    """A new Councillor for a printed name wrongly merged into another, taking that alias and the
    votes, attendance and declarations printed under it."""
    old = alias.councillor
    new = new_councillor(old.council, alias.printed, name=name, alias=False)
    alias.councillor = new
    alias.save(update_fields=["councillor"])
    printed = alias.printed
    CouncillorVote.objects.filter(councillor=old, printed_name=printed).update(councillor=new)
    Attendance.objects.filter(councillor=old, printed_name=printed).update(councillor=new)
    Declaration.objects.filter(councillor=old, member=printed).update(councillor=new)
    classify_members(old.council_id)
    new.refresh_from_db(fields=["is_member"])
    return new


def merge_view(model_admin, request):
    if not model_admin.has_change_permission(request) or not model_admin.has_delete_permission(
        request
    ):
        raise PermissionDenied
    ids = request.POST.getlist("ids") or request.GET.getlist("ids")
    councillors = Councillor.objects.filter(pk__in=[i for i in ids if i.isdigit()])
    form = MergeForm(request.POST if "keep" in request.POST else None, councillors=councillors)
    if form.is_bound and form.is_valid():
        keep, other = form.cleaned_data["keep"], form.merged_away
        label = f"{other} (id {other.pk})"
        audit(request.user, other, DELETION, f"Merged into {keep} (id {keep.pk}).")
        result = merge_councillors(keep, other)
        audit(request.user, keep, CHANGE, f"Merged {label} into this: {result.summary()}.")
        level = messages.WARNING if result.conflicts else messages.SUCCESS
        messages.add_message(request, level, f"Merged {label} into {keep}: {result.summary()}.")
        return redirect("admin:archive_councillor_change", keep.pk)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Merge councillors",
        "form": form,
        "councillors": form.councillors,
    }
    return TemplateResponse(request, "admin/archive/councillor/merge.html", context)


def split_view(model_admin, request, object_id):
    councillor = get_object_or_404(Councillor, pk=object_id)
    if not (
        model_admin.has_change_permission(request, councillor)
        and model_admin.has_add_permission(request)
    ):
        raise PermissionDenied
    form = SplitForm(request.POST or None, councillor=councillor)
    if request.method == "POST" and form.is_valid():
        alias = form.cleaned_data["alias"]
        new = split_alias(alias, form.cleaned_data["name"].strip())
        audit(request.user, councillor, CHANGE, f"Split alias {alias.printed!r} off into {new}.")
        audit(request.user, new, ADDITION, f"Split off {councillor} (alias {alias.printed!r}).")
        messages.success(request, f"{alias.printed} is now a councillor of its own: {new}.")
        return redirect("admin:archive_councillor_change", new.pk)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": councillor,
        "title": f"Split an alias off {councillor}",
        "form": form,
    }
    return TemplateResponse(request, "admin/archive/councillor/split.html", context)
