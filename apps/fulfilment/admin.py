from django.contrib import admin

from apps.audit.admin import AuditedAdminMixin
from apps.fulfilment.models import Alert, FundsEntry, FundsPlanItem


@admin.register(FundsEntry)
class FundsEntryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["project", "date", "amount", "created_by", "deleted_at"]
    list_filter = ["date"]
    raw_id_fields = ["project", "created_by", "deleted_by"]
    readonly_fields = ["created_at"]


@admin.register(FundsPlanItem)
class FundsPlanItemAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["project", "due_date", "amount"]
    raw_id_fields = ["project"]


@admin.register(Alert)
class AlertAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["project", "kind", "message", "raised_on", "resolved_on"]
    list_filter = ["kind", "resolved_on"]
    raw_id_fields = ["project"]
