from django.urls import path

from apps.fairness import views

app_name = "fairness"

urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("check/", views.check_view, name="check"),
    path("<int:pk>/", views.flag_view, name="flag"),
]
