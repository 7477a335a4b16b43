from django.contrib import admin

from apps.chains.models import Cluster


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "tier", "confirmed", "sort_order"]
    list_filter = ["tier", "confirmed"]
