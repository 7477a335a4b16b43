from django.urls import path

from apps.organisations import views, views_merge

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list_view, name="list"),
    path("new/", views.organisation_create_view, name="create"),
    path("suggest/", views.organisation_suggest_view, name="suggest"),
    path("match/", views.organisation_match_view, name="match"),
    path("merges/", views_merge.merge_list_view, name="merges"),
    path("merges/<int:pk>/undo/", views_merge.merge_undo_view, name="merge_undo"),
    path("<int:pk>/", views.organisation_detail_view, name="detail"),
    path("<int:pk>/edit/", views.organisation_edit_view, name="edit"),
    path("<int:pk>/merge/", views_merge.organisation_merge_view, name="merge"),
    path("people/", views.person_list_view, name="person_list"),
    path("people/new/", views.person_create_view, name="person_create"),
]
