from django.urls import path

from apps.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list_view, name="list"),
    path("board/", views.project_board_view, name="board"),
    path("new/", views.project_create_view, name="create"),
    path("new/organisations/", views.organisation_options_view, name="organisation_options"),
    path("new/units/", views.unit_options_view, name="unit_options"),
    path("options/", views.project_options_view, name="project_options"),
    path("arbitrations/", views.arbitration_list_view, name="arbitrations"),
    path("arbitrations/new/", views.arbitration_create_view, name="arbitration_create"),
    path("arbitrations/<int:pk>/decide/", views.arbitration_decide_view, name="arbitration_decide"),
    path("arbitrations/<int:pk>/withdraw/", views.arbitration_withdraw_view, name="arbitration_withdraw"),
    path("<int:pk>/", views.project_detail_view, name="detail"),
    path("<int:pk>/edit/", views.project_edit_view, name="edit"),
    path("<int:pk>/stage/", views.project_stage_view, name="stage"),
    path("<int:pk>/evidence/<int:change_pk>/", views.project_evidence_view, name="evidence"),
    path("<int:pk>/handover/", views.project_handover_view, name="handover"),
]
