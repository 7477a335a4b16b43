from django.contrib import admin

from apps.audit.admin import AuditedAdminMixin
from apps.relations.models import PersonTie, Referral, Relation


@admin.register(Relation)
class RelationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["organisation", "kind", "related", "strength", "source", "created_at"]
    list_filter = ["kind", "strength", "source"]
    raw_id_fields = ["organisation", "related", "article", "created_by"]
    search_fields = ["organisation__name", "related__name"]


@admin.register(PersonTie)
class PersonTieAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["person", "organisation", "channel", "warmth", "created_at"]
    list_filter = ["channel", "warmth"]
    raw_id_fields = ["person", "organisation", "created_by"]


@admin.register(Referral)
class ReferralAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["project", "referring_organisation", "referring_unit", "relation_label", "credited_at"]
    raw_id_fields = ["project", "referring_organisation", "landed_project", "relation", "credited_by"]
