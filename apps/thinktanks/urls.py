from django.urls import path

from apps.thinktanks import views

app_name = "thinktanks"

urlpatterns = [
    path("", views.cooperation_list_view, name="list"),
    path("export.xlsx", views.cooperation_export_view, name="export"),
    path("new/", views.cooperation_create_view, name="create"),
    path("partners/", views.partner_options_view, name="partner_options"),
    path("<int:pk>/", views.cooperation_detail_view, name="detail"),
    path("<int:pk>/edit/", views.cooperation_edit_view, name="edit"),
    path("<int:pk>/activities/new/", views.activity_add_view, name="activity_add"),
    path("<int:pk>/activities/<int:activity_pk>/remove/", views.activity_remove_view, name="activity_remove"),
    path("<int:pk>/outcomes/new/", views.outcome_add_view, name="outcome_add"),
    path("<int:pk>/outcomes/projects/", views.outcome_project_options_view, name="outcome_project_options"),
    path("<int:pk>/outcomes/<int:outcome_pk>/remove/", views.outcome_remove_view, name="outcome_remove"),
]
