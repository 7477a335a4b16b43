from django.contrib import admin

from apps.events.models import Event, PublicPage, Signing


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "date", "city", "unit"]
    search_fields = ["title"]


@admin.register(Signing)
class SigningAdmin(admin.ModelAdmin):
    list_display = ["project", "event", "agreement_type", "amount", "date", "status"]
    raw_id_fields = ["project", "event"]


@admin.register(PublicPage)
class PublicPageAdmin(admin.ModelAdmin):
    list_display = ["event", "project", "created_at", "withdrawn_at"]
    raw_id_fields = ["project", "event"]
