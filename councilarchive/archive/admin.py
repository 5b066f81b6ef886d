from django.contrib import admin

from councilarchive.archive import models


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
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["committee", "date", "time", "venue", "status", "edited"]
    list_filter = ["committee", "status"]
    date_hierarchy = "date"
    search_fields = ["committee__name", "venue"]


@admin.register(models.Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "page_count", "committee", "created_at"]
    list_filter = ["status", "kind", "committee"]
    search_fields = ["title", "original_name", "sha256"]
    readonly_fields = ["sha256", "size", "page_count", "pages_done", "counts", "problems", "error"]


@admin.register(models.Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["document", "number"]
    search_fields = ["text"]
    raw_id_fields = ["document"]


@admin.register(models.Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "number", "minute_number", "page_start", "page_end"]
    list_filter = ["meeting__committee"]
    search_fields = ["title", "text"]
    raw_id_fields = ["meeting", "document", "related"]


@admin.register(models.Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["subject", "author", "to", "classification", "page_start", "page_end"]
    search_fields = ["subject", "summary", "author"]
    raw_id_fields = ["document", "meeting", "item"]


@admin.register(models.Resolution)
class ResolutionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "item", "number", "page"]
    search_fields = ["text", "reason"]
    raw_id_fields = ["item", "document"]


class CouncillorVoteInline(admin.TabularInline):
    model = models.CouncillorVote
    raw_id_fields = ["councillor"]
    extra = 0


@admin.register(models.Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "item",
        "kind",
        "outcome",
        "count_for",
        "count_against",
        "count_abstain",
        "count_mismatch",
    ]
    list_filter = ["kind", "outcome", "count_mismatch", "tally_only"]
    search_fields = ["question", "item__title"]
    raw_id_fields = ["item", "resolution", "document"]
    inlines = [CouncillorVoteInline]


class AliasInline(admin.TabularInline):
    model = models.Alias
    extra = 0


@admin.register(models.Councillor)
class CouncillorAdmin(admin.ModelAdmin):
    list_display = ["name", "honours", "council", "slug"]
    list_filter = ["council"]
    search_fields = ["name", "surname", "aliases__printed"]
    inlines = [AliasInline]


@admin.register(models.Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["councillor", "meeting", "role", "position"]
    list_filter = ["role"]
    search_fields = ["councillor__name", "printed_name"]
    raw_id_fields = ["meeting", "councillor", "substitute_for", "document"]


@admin.register(models.Declaration)
class DeclarationAdmin(admin.ModelAdmin):
    list_display = ["member", "meeting", "item_ref", "page"]
    search_fields = ["member", "text"]
    raw_id_fields = ["meeting", "item", "councillor", "document"]


@admin.register(models.Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
