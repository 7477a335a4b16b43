from django.urls import path

from apps.cockpit import views

app_name = "cockpit"

urlpatterns = [
    path("", views.cockpit_view, name="index"),
    path("briefing.docx", views.briefing_docx_view, name="briefing_docx"),
    path("briefing.xlsx", views.briefing_xlsx_view, name="briefing_xlsx"),
]
