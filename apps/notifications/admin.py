from django.contrib import admin

from apps.audit.admin import AuditedAdminMixin
from apps.notifications.models import Notification, WebhookDelivery, WebhookEndpoint


@admin.register(Notification)
class NotificationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__username"]
    raw_id_fields = ["recipient", "project"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "name", "platform", "masked_url", "is_active", "created_at"]
    list_filter = ["platform", "is_active", "unit"]
    list_select_related = ["unit"]
    # The address and the secret are credentials: the admin edits them through the page, which masks them.
    exclude = ["url", "secret"]
    readonly_fields = ["masked_url", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False  # added on /notifications/webhooks/, where the address is validated


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "endpoint", "kind", "title", "status", "attempts", "last_error"]
    list_filter = ["status", "kind"]
    list_select_related = ["endpoint", "endpoint__unit"]
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]
