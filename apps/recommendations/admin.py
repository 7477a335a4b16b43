from django.contrib import admin

from apps.audit.admin import AuditedAdminMixin
from apps.recommendations.models import Recommendation, RecommendationTarget


class TargetInline(admin.TabularInline):
    model = RecommendationTarget
    extra = 0
    fields = ["unit", "status", "decision_reason", "decided_by", "decided_on", "project", "site_visit"]
    # Answers change only through the services (they create projects, move stages, notify).
    readonly_fields = fields
    can_delete = False


@admin.register(Recommendation)
class RecommendationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "organisation", "recommended_by", "is_sample"]
    list_select_related = ["organisation", "recommended_by"]
    search_fields = ["organisation__name", "reason"]
    date_hierarchy = "date"
    readonly_fields = ["organisation", "project", "recommended_by", "from_unit", "created_at"]
    inlines = [TargetInline]
