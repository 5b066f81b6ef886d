"""The officers' admin: upload packs, watch them ingest, review and correct what was parsed.

Saving a correction marks the record `edited` (and pins the item it belongs to), so a re-parse
of the same file keeps it. Uploads, retries, merges, splits and deletes are logged in Django's
LogEntry alongside ordinary admin edits ("Audit log" below). The admin login is throttled.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from councilarchive.archive import models, provenance
from councilarchive.archive.counters import Counter
from councilarchive.ingest.tasks import IN_PROGRESS
from councilarchive.officers import admin_views
from councilarchive.ops.security import client_address

admin.site.site_header = "Council Archive: officers"
admin.site.site_title = "Council Archive admin"

# -- corrections survive a re-parse -----------------------------------------------------------


def pin(*records) -> None:
    """Mark records as officer-edited, so `load` keeps them when the document is re-parsed."""
    for record in records:
        if record is not None and not record.edited:
            record.edited = True
            record.save(update_fields=["edited"])


class EditedOnSave(admin.ModelAdmin):
    """Saving a change to a parsed record sets `edited` (unless the officer only untick it) and
    pins the records it hangs from (`pinned_parents`), which `load` would otherwise replace."""

    pinned_parents: tuple[str, ...] = ()

    def save_model(self, request, obj, form, change):
        if change and set(form.changed_data) - {"edited"}:
            obj.edited = True
        super().save_model(request, obj, form, change)

    def get_inline_instances(self, request, obj=None):
        """The other papers printing the record are listed only where there are some."""
        inlines = super().get_inline_instances(request, obj)
        sources = getattr(obj, "sources", None)
        if sources is None or not sources.exists():
            inlines = [i for i in inlines if i.model is not models.RecordSource]
        return inlines

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        inline_changed = any(fs.has_changed() for fs in formsets)
        if change and inline_changed:
            pin(obj)
        if obj.edited:
            pin(*(getattr(obj, name) for name in self.pinned_parents))


# -- documents ------------------------------------------------------------------------------------


def status_label(document: models.Document) -> str:
    label = document.get_status_display()
    if document.status == models.Document.Status.EXTRACTING and document.page_count:
        return f"{label}: {document.pages_done} of {document.page_count} pages"
    return label


def time_taken(document: models.Document) -> str:
    if not document.started_at:
        return ""
    end = document.finished_at or timezone.now()
    seconds = max(0, (end - document.started_at).total_seconds())
    text = f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.1f} min"
    return text if document.finished_at else f"{text} so far"


def counts_label(document: models.Document) -> str:
    c = document.counts or {}
    if not c:
        return ""
    names = ["meetings", "items", "resolutions", "votes", "reports"]
    return ", ".join(f"{c.get(n, 0)} {n}" for n in names)


# What an officer may correct on a Document; everything else is what ingest recorded.
DOCUMENT_EDITABLE = {"title", "kind", "committee", "meeting_date_hint", "published", "preferred"}


@admin.register(models.Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "committee",
        "status_column",
        "took",
        "found",
        "attention",
        "uploaded_by",
        "created",
    ]
    list_filter = ["status", "published", "kind", "committee"]
    search_fields = ["title", "original_name", "sha256"]
    list_select_related = ["committee", "uploaded_by"]
    fields = [
        "title",
        "kind",
        "committee",
        "meeting_date_hint",
        "published",
        "preferred",
        "issued",
        "status_column",
        "error",
        "progress",
        "took",
        "found",
        "sources",
        "problems",
        "original_name",
        "file",
        "sha256",
        "size",
        "uploaded_by",
        "created_at",
        "started_at",
        "finished_at",
    ]
    readonly_fields = [f for f in fields if f not in DOCUMENT_EDITABLE]
    actions = ["retry", "delete_selected"]

    @admin.display(description="Document", ordering="title")
    def name(self, obj):
        return str(obj)

    @admin.display(description="Status", ordering="status")
    def status_column(self, obj):
        label = status_label(obj)
        if obj.status == models.Document.Status.FAILED:
            return format_html(
                '<strong class="ingest-status failed">{}</strong>: <span class="reason">{}</span>',
                label,
                obj.error,
            )
        if obj.status == models.Document.Status.NEEDS_OCR:
            return format_html('<span class="ingest-status needs_ocr">{}</span>', label)
        return format_html('<span class="ingest-status {}">{}</span>', obj.status, label)

    @admin.display(description="Pages")
    def progress(self, obj):
        return f"{obj.pages_done} of {obj.page_count}" if obj.page_count else ""

    @admin.display(description="Time taken")
    def took(self, obj):
        return time_taken(obj)

    @admin.display(description="Found")
    def found(self, obj):
        return counts_label(obj)

    @admin.display(description="Needs attention")
    def attention(self, obj):
        """The number of problems the parser's self-check reported, linking to the review page
        that lists them; blank when there are none (the document can be published unread)."""
        if not obj.problems:
            return ""
        n = len(obj.problems)
        url = reverse("admin:archive_document_review", args=[obj.pk])
        return format_html('<a href="{}">{} problem{}</a>', url, n, "" if n == 1 else "s")

    @admin.display(description="Uploaded", ordering="created_at")
    def created(self, obj):
        return obj.created_at

    @admin.display(description="Added and confirmed")
    def sources(self, obj):
        """What this document added and what other papers already gave (issue 18)."""
        lines = provenance.source_lines(obj) if obj.pk else []
        return format_html_join("", "<p>{}</p>", ((line,) for line in lines))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "preferred" in form.changed_data:
            moved = provenance.settle(obj)
            messages.info(request, f"{moved} record(s) now carry another document's text.")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "upload/",
                view(lambda r: admin_views.upload_view(self, r)),
                name="archive_document_upload",
            ),
            path(
                "<int:object_id>/review/",
                view(lambda r, object_id: admin_views.review_view(self, r, object_id)),
                name="archive_document_review",
            ),
            path(
                "<int:object_id>/retry/",
                view(self.retry_view),
                name="archive_document_retry",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:archive_document_upload")

    def retry_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        document = get_object_or_404(models.Document, pk=object_id)
        if not self.has_change_permission(request, document):
            return redirect("admin:index")
        if admin_views.requeue_documents([document], request.user):
            messages.success(request, f"Queued for ingest again: {document}.")
        else:
            messages.warning(request, f"Already queued or being ingested: {document}.")
        return redirect("admin:archive_document_change", document.pk)

    @admin.action(description="Retry / re-parse selected documents (keeps officers' edits)")
    def retry(self, request, queryset):
        count = admin_views.requeue_documents(queryset, request.user)
        messages.success(request, f"{count} document(s) queued for ingest again.")

    def delete_model(self, request, obj):
        admin_views.delete_documents([obj], request.user, log=False)

    def delete_queryset(self, request, queryset):
        admin_views.delete_documents(queryset, request.user, log=False)

    def _refresh_context(self, documents) -> dict:
        busy = [d for d in documents if d.status in (models.Document.Status.QUEUED, *IN_PROGRESS)]
        return {"refresh_seconds": settings_refresh() if busy else None}

    def changelist_view(self, request, extra_context=None):
        busy = models.Document.objects.filter(
            status__in=[models.Document.Status.QUEUED, *IN_PROGRESS]
        ).exists()
        extra = {"refresh_seconds": settings_refresh() if busy else None, **(extra_context or {})}
        return super().changelist_view(request, extra)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        document = models.Document.objects.filter(pk=object_id).first()
        extra = dict(extra_context or {})
        if document is not None:
            extra.update(self._refresh_context([document]))
            extra["review_url"] = reverse("admin:archive_document_review", args=[document.pk])
            extra["retry_url"] = reverse("admin:archive_document_retry", args=[document.pk])
            extra["can_retry"] = document.status not in (
                models.Document.Status.QUEUED,
                *IN_PROGRESS,
            )
        return super().change_view(request, object_id, form_url, extra)


def settings_refresh() -> int:
    return settings.ADMIN_STATUS_REFRESH_SECONDS


# -- parsed records -------------------------------------------------------------------------------


@admin.register(models.Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(models.Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "council", "slug"]
    list_filter = ["council"]
    search_fields = ["name"]


@admin.register(models.Meeting)
class MeetingAdmin(EditedOnSave):
    list_display = ["committee", "date", "time", "venue", "status", "edited"]
    list_filter = ["committee", "status", "edited"]
    date_hierarchy = "date"
    search_fields = ["committee__name", "venue"]


@admin.register(models.Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["document", "number"]
    search_fields = ["text"]
    raw_id_fields = ["document"]


def sources_inline(record: str) -> type[admin.TabularInline]:
    """The other papers that print a record, with what each prints differently: read-only."""

    class SourceInline(admin.TabularInline):
        model = models.RecordSource
        fk_name = record
        fields = ["document", "page_start", "page_end", "version"]
        readonly_fields = fields
        extra = 0
        can_delete = False
        verbose_name = "other paper printing this"
        verbose_name_plural = "also printed in (a version is what that paper prints differently)"

        def has_add_permission(self, request, obj=None):
            return False

    return SourceInline


@admin.register(models.RecordSource)
class RecordSourceAdmin(admin.ModelAdmin):
    """The other papers printing a record; an officer may choose one's version for the record."""

    list_display = ["__str__", "record", "page_start", "version"]
    list_select_related = ["document"]
    fields = ["document", "record", "page_start", "page_end", "version"]
    readonly_fields = fields
    actions = ["use_version"]

    @admin.display(description="Record")
    def record(self, obj):
        return provenance.record_of(obj)

    def has_add_permission(self, request):
        return False

    @admin.action(description="Use the selected papers' versions (kept over re-parses)")
    def use_version(self, request, queryset):
        for source in queryset:
            record = provenance.choose(source)
            admin_views.audit(request.user, record, CHANGE, f"Took the version of {source}.")
        messages.success(request, f"{len(queryset)} record(s) now carry the chosen version.")


@admin.register(models.Item)
class ItemAdmin(EditedOnSave):
    list_display = ["title", "meeting", "number", "minute_number", "page_start", "edited"]
    list_filter = ["meeting__committee", "edited"]
    search_fields = ["title", "text"]
    raw_id_fields = ["meeting", "document", "related"]
    readonly_fields = ["document"]
    inlines = [sources_inline("item")]


@admin.register(models.Report)
class ReportAdmin(EditedOnSave):
    list_display = ["subject", "author", "to", "classification", "page_start", "edited"]
    list_filter = ["edited"]
    search_fields = ["subject", "summary", "author"]
    raw_id_fields = ["meeting", "item"]
    readonly_fields = ["document"]
    inlines = [sources_inline("report")]


@admin.register(models.Resolution)
class ResolutionAdmin(EditedOnSave):
    list_display = ["__str__", "item", "number", "page", "edited"]
    list_filter = ["edited"]
    search_fields = ["text", "reason"]
    raw_id_fields = ["item"]
    readonly_fields = ["document"]
    inlines = [sources_inline("resolution")]
    pinned_parents = ("item",)


class CouncillorVoteInline(admin.TabularInline):
    model = models.CouncillorVote
    fields = ["councillor", "option", "printed_name"]
    raw_id_fields = ["councillor"]
    extra = 0


@admin.register(models.Vote)
class VoteAdmin(EditedOnSave):
    list_display = [
        "__str__",
        "item",
        "kind",
        "outcome",
        "count_for",
        "count_against",
        "count_abstain",
        "count_mismatch",
        "edited",
    ]
    list_filter = ["kind", "outcome", "count_mismatch", "tally_only", "edited"]
    search_fields = ["question", "item__title"]
    raw_id_fields = ["item", "resolution"]
    readonly_fields = ["document"]
    inlines = [CouncillorVoteInline, sources_inline("vote")]
    pinned_parents = ("item", "resolution")


@admin.register(models.Attendance)
class AttendanceAdmin(EditedOnSave):
    list_display = ["councillor", "meeting", "role", "position", "edited"]
    list_filter = ["role", "edited"]
    search_fields = ["councillor__name", "printed_name"]
    raw_id_fields = ["meeting", "councillor", "substitute_for"]
    readonly_fields = ["document"]
    inlines = [sources_inline("attendance")]


@admin.register(models.Declaration)
class DeclarationAdmin(admin.ModelAdmin):
    """Read-only for officers: declarations have no `edited` flag, so a re-parse replaces them."""

    list_display = ["member", "meeting", "item_ref", "page"]
    search_fields = ["member", "text"]
    raw_id_fields = ["meeting", "item", "councillor", "document"]


class AliasInline(admin.TabularInline):
    model = models.Alias
    extra = 0


@admin.register(models.Councillor)
class CouncillorAdmin(admin.ModelAdmin):
    """The members register too: add and edit members (party, division, dates); an edit puts the
    record in the register, so the papers no longer decide whether it is a member."""

    list_display = [
        "name",
        "honours",
        "is_member",
        "party",
        "division",
        "served_to",
        "aliases_list",
    ]
    list_filter = ["is_member", "in_register", "party", "council"]
    search_fields = ["name", "surname", "aliases__printed", "division"]
    inlines = [AliasInline]
    actions = ["merge"]
    REGISTER_FIELDS = ("is_member", "party", "division", "served_from", "served_to")

    def save_model(self, request, obj, form, change):
        from councilarchive.ingest.councillors import keep_old_url

        if any(f in form.changed_data for f in self.REGISTER_FIELDS) or not change:
            obj.in_register = True
        old_slug = form.initial.get("slug") if change else None
        super().save_model(request, obj, form, change)
        if old_slug and old_slug != obj.slug:
            keep_old_url(obj, old_slug)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases")

    @admin.display(description="Printed as")
    def aliases_list(self, obj):
        return "; ".join(a.printed for a in obj.aliases.all())

    def get_urls(self):
        from councilarchive.officers import register

        view = self.admin_site.admin_view
        return [
            path(
                "merge/",
                view(lambda r: admin_views.merge_view(self, r)),
                name="archive_councillor_merge",
            ),
            path(
                "import/",
                view(lambda r: register.import_view(self, r)),
                name="archive_councillor_import",
            ),
            path(
                "<int:object_id>/split/",
                view(lambda r, object_id: admin_views.split_view(self, r, object_id)),
                name="archive_councillor_split",
            ),
            *super().get_urls(),
        ]

    @admin.action(description="Merge the two selected councillors", permissions=["delete"])
    def merge(self, request, queryset):
        if queryset.count() != 2:
            messages.error(request, "Select exactly two councillors to merge.")
            return None
        ids = "&".join(f"ids={pk}" for pk in queryset.values_list("pk", flat=True))
        return redirect(f"{reverse('admin:archive_councillor_merge')}?{ids}")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from councilarchive.ingest.councillors import likely_matches

        extra = {"split_url": reverse("admin:archive_councillor_split", args=[object_id])}
        councillor = models.Councillor.objects.filter(pk=object_id).first()
        if councillor is not None:
            merge = reverse("admin:archive_councillor_merge")
            extra["likely"] = [
                (other, f"{merge}?ids={councillor.pk}&ids={other.pk}")
                for other in likely_matches(councillor)
            ]
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})


@admin.register(models.Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


# -- audit log ------------------------------------------------------------------------------------


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    """Who did what and when: admin edits plus uploads, retries, merges, splits and deletes."""

    list_display = ["action_time", "user", "action_flag", "content_type", "object_repr", "message"]
    list_filter = ["action_flag", "content_type", "user"]
    search_fields = ["object_repr", "change_message", "user__username"]
    date_hierarchy = "action_time"

    @admin.display(description="What")
    def message(self, obj):
        return obj.get_change_message()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# -- login throttling -----------------------------------------------------------------------------


def login_limits() -> tuple[int, int, int]:
    """(failures allowed per address and username, per address, window seconds):
    ADMIN_LOGIN_MAX_FAILURES, ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS, ADMIN_LOGIN_LOCKOUT_SECONDS."""
    return (
        settings.ADMIN_LOGIN_MAX_FAILURES,
        settings.ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS,
        settings.ADMIN_LOGIN_LOCKOUT_SECONDS,
    )


def throttled(login_view):
    """Refuse admin log-ins after too many failures in a window: for one username from one address
    (ADMIN_LOGIN_MAX_FAILURES), and from one address for any usernames (a higher limit). Never for
    a username alone: failures from elsewhere do not lock an officer out (issue 16, lockout abuse).

    Each attempt is counted before the password is checked, atomically (Counter.objects.hit), so
    concurrent guesses cannot all pass the check: with a limit of 5, exactly 5 passwords are tried
    per window. An attempt that is refused, or that logs in, is taken back off the counts; a
    log-in also clears its username's failures from that address."""

    def login(request, extra_context=None):
        if request.method != "POST":
            return login_view(request, extra_context)
        per_pair, per_address, seconds = login_limits()
        address = client_address(request)
        username = request.POST.get("username", "").strip().lower()[:150]
        pair, from_address = Counter.objects.hit(
            ("login:pair", f"{address} {username}", seconds), ("login:address", address, seconds)
        )
        over = [
            hit
            for hit, limit in ((pair, per_pair), (from_address, per_address))
            if hit.count > limit
        ]
        if over:
            Counter.objects.refund(pair, from_address)
            retry = max(hit.retry_after for hit in over)
            context = {**admin.site.each_context(request), "minutes": math.ceil(retry / 60)}
            response = TemplateResponse(request, "admin/login_throttled.html", context, status=429)
            response["Retry-After"] = str(retry)
            return response
        response = login_view(request, extra_context)
        if response.status_code == 302:  # logged in
            Counter.objects.forget(pair)
            Counter.objects.refund(from_address)
        elif response.status_code != 200:  # not an attempt the form answered (the form: a failure)
            Counter.objects.refund(pair, from_address)
        return response

    return login


admin.site.login = throttled(admin.site.login)
