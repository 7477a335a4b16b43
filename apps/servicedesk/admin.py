from django.contrib import admin

from apps.audit.admin import AuditedAdminMixin
from apps.servicedesk.models import CategoryDeadline, ContactLink, ServiceRequest


@admin.register(CategoryDeadline)
class CategoryDeadlineAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["category", "days", "updated_at"]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(AuditedAdminMixin, admin.ModelAdmin):
    # Read-only here: every write goes through the services (permissions, audit, notifications).
    list_display = ["title", "project", "talent", "category", "status", "owner_unit", "owner", "due_date", "escalation_level"]
    list_filter = ["status", "category", "escalation_level"]
    search_fields = ["title", "project__name", "talent__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ContactLink)
class ContactLinkAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["project", "contact_name", "created_by", "created_at", "expires_at", "revoked_at"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
