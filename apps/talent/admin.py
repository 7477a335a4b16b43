from django.contrib import admin

from apps.audit.admin import AuditedAdminMixin
from apps.talent.models import Talent, TalentStageChange


class TalentStageChangeInline(admin.TabularInline):
    model = TalentStageChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "occurred_on", "from_stage", "to_stage", "changed_by", "note", "skip_reason", "evidence"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Talent)
class TalentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """For looking things up. Every change goes through the pages or the API (apps.talent.services),
    which check the scope and the stage rules and write the history and the audit log."""

    list_display = ["name", "kind", "unit", "stage", "mode", "signed_date", "arrived_date", "is_archived"]
    list_filter = ["stage", "kind", "mode", "unit", "is_sample", "is_archived"]
    list_select_related = ["unit"]
    search_fields = ["name", "title", "field"]
    inlines = [TalentStageChangeInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
