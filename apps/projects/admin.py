from django.contrib import admin

from apps.audit.admin import AuditedAdminMixin
from apps.projects.models import Project, StageChange


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "from_stage", "to_stage", "changed_by", "note", "skip_reason", "evidence"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """For correcting reference facts. The stage and its gated facts move only through the app
    (services.project_change_stage), which records who, when and why."""

    list_display = ["name", "organisation", "unit", "stage", "planned_investment", "protected_until", "is_archived"]
    list_filter = ["stage", "unit", "priority", "is_sample", "is_archived"]
    list_select_related = ["organisation", "unit"]
    search_fields = ["name", "organisation__name"]
    autocomplete_fields = ["organisation", "specialist"]
    readonly_fields = [
        "stage", "paused_from", "stage_changed_at", "signed_date", "agreement_type", "signed_amount",
        "registered_entity", "registered_credit_code", "registered_date", "construction_start_date",
        "production_date", "created_by", "created_at", "updated_at", "version",
    ]
    inlines = [StageChangeInline]


@admin.register(StageChange)
class StageChangeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["project", "from_stage", "to_stage", "changed_at", "changed_by"]
    list_filter = ["to_stage"]
    list_select_related = ["project", "changed_by"]
    search_fields = ["project__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
