from django.contrib import admin

from apps.audit.admin import AuditedAdminMixin
from apps.intelligence.models import Article, ArticleLink


class LinkInline(admin.TabularInline):
    model = ArticleLink
    extra = 0
    fields = ["item_key", "action", "organisation", "project", "event", "signing", "created_by", "created_at"]
    # Links are written only by the services (one click, once).
    readonly_fields = fields
    can_delete = False


@admin.register(Article)
class ArticleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "source", "published", "unit", "created_by", "created_at"]
    list_select_related = ["unit", "created_by"]
    search_fields = ["title", "source", "url"]
    date_hierarchy = "created_at"
    readonly_fields = ["text", "extraction", "content_hash", "unit", "created_by", "created_at", "version",
                       "original_file"]
    inlines = [LinkInline]
