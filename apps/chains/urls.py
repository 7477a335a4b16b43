from django.urls import path

from apps.chains import views

app_name = "chains"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("<int:cluster_id>/", views.map_view, name="map"),
    path("<int:cluster_id>/links/add/", views.link_add_view, name="link_add"),
    path("<int:cluster_id>/gaps/", views.gaps_view, name="gaps"),
    path("<int:cluster_id>/versions/", views.versions_view, name="versions"),
    path("<int:cluster_id>/versions/<int:number>/", views.version_view, name="version"),
    path("<int:cluster_id>/versions/<int:number>/restore/", views.version_restore_view, name="version_restore"),
    path("<int:cluster_id>/export.<str:fmt>", views.export_view, name="export"),
    path("<int:cluster_id>/import/", views.import_view, name="import"),
    path("links/<int:link_id>/", views.link_view, name="link"),
    path("links/<int:link_id>/edit/", views.link_edit_view, name="link_edit"),
    path("links/<int:link_id>/move/", views.link_move_view, name="link_move"),
    path("links/<int:link_id>/delete/", views.link_delete_view, name="link_delete"),
    path("links/<int:link_id>/placements/move/", views.placements_move_view, name="placements_move"),
    path("links/<int:link_id>/place/", views.place_view, name="place"),
    path("placements/<int:placement_id>/delete/", views.placement_delete_view, name="placement_delete"),
    path("placements/<int:placement_id>/leader/", views.placement_leader_view, name="placement_leader"),
    path("organisations/<int:organisation_id>/", views.organisation_suggest_view, name="organisation"),
    path("projects/<int:project_id>/", views.project_chain_view, name="project"),
]
