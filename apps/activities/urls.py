from django.urls import path

from apps.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list_view, name="list"),
    path("new/", views.activity_create_view, name="create"),
    path("<int:pk>/done/", views.activity_done_view, name="done"),
]
