from django.contrib import admin

from apps.audit.admin import AuditedAdminMixin
from apps.units.models import Unit


@admin.register(Unit)
class UnitAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "gb_code", "kind", "valid_from", "ended_on", "successor", "sort_order"]
    list_filter = ["kind"]
    list_select_related = ["successor"]
    search_fields = ["name", "full_name", "code", "gb_code"]
    ordering = ["sort_order", "code"]
