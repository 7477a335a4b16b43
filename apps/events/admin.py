from django.contrib import admin

from apps.audit.admin import AuditedAdminMixin
from apps.events.models import Event, PublicPage, Signing


@admin.register(Event)
class EventAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "date", "city", "unit"]
    search_fields = ["title"]


@admin.register(Signing)
class SigningAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["project", "event", "agreement_type", "amount", "date", "status"]
    raw_id_fields = ["project", "event"]


@admin.register(PublicPage)
class PublicPageAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["event", "project", "created_at", "withdrawn_at"]
    raw_id_fields = ["project", "event"]
