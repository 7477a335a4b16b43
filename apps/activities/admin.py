from django.contrib import admin

from apps.activities.models import Activity
from apps.audit.admin import AuditedAdminMixin


@admin.register(Activity)
class ActivityAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "kind", "organisation", "project", "unit", "next_step_due", "next_step_done"]
    list_filter = ["kind", "unit", "next_step_done"]
    list_select_related = ["organisation", "project", "unit"]
    search_fields = ["organisation__name", "project__name", "summary"]
    autocomplete_fields = ["organisation", "project"]
    date_hierarchy = "date"
    readonly_fields = ["created_by", "created_at"]
