from django.urls import path

from apps.talent import views

app_name = "talent"
urlpatterns = [
    path("", views.talent_list_view, name="list"),
    path("new/", views.talent_create_view, name="create"),
    path("<int:pk>/", views.talent_detail_view, name="detail"),
    path("<int:pk>/edit/", views.talent_edit_view, name="edit"),
    path("<int:pk>/stage/", views.talent_stage_view, name="stage"),
    path("<int:pk>/specialist/", views.talent_specialist_view, name="specialist"),
    path("<int:pk>/archive/", views.talent_archive_view, name="archive"),
    path("<int:pk>/events/", views.talent_attend_view, name="attend"),
]
