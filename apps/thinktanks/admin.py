from django.contrib import admin

from apps.audit.admin import AuditedAdminMixin
from apps.thinktanks.models import Cooperation, CooperationActivity, CooperationOutcome


class ActivityInline(admin.TabularInline):
    model = CooperationActivity
    extra = 0
    raw_id_fields = ["event"]


class OutcomeInline(admin.TabularInline):
    model = CooperationOutcome
    extra = 0
    raw_id_fields = ["project", "organisation"]


@admin.register(Cooperation)
class CooperationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["partner", "title", "signed_date", "end_date", "status", "unit", "is_sample"]
    list_filter = ["status", "unit"]
    search_fields = ["partner__name", "title", "agreement_no"]
    raw_id_fields = ["partner", "contact"]
    inlines = [ActivityInline, OutcomeInline]
