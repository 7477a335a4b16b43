from django.contrib import admin

from apps.audit.admin import AuditedAdminMixin
from apps.chains.models import ChainLink, ChainMapVersion, Cluster, Placement


@admin.register(Cluster)
class ClusterAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "tier", "confirmed", "sort_order"]
    list_filter = ["tier", "confirmed"]


# Maps and placements change through chains.services (versions, audit); the admin only reads them.
class ReadOnlyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChainLink)
class ChainLinkAdmin(ReadOnlyAdmin):
    list_display = ["name", "cluster", "parent", "position", "foundation", "extension"]
    list_filter = ["cluster", "foundation", "extension"]


@admin.register(ChainMapVersion)
class ChainMapVersionAdmin(ReadOnlyAdmin):
    list_display = ["cluster", "number", "changed_by", "at", "note"]
    list_filter = ["cluster"]


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdmin):
    list_display = ["link", "organisation", "project", "is_chain_leader", "method", "by", "at"]
    list_select_related = ["link", "organisation", "project", "by"]
