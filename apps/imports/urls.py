"""Mounted at the site root (config/urls.py) because the export lives beside the list it exports:
/organisations/export.xlsx takes the list page's own query string."""

from django.urls import path

from apps.imports import views

app_name = "imports"
urlpatterns = [
    path("imports/", views.import_list_view, name="list"),
    path("imports/<int:pk>/", views.import_detail_view, name="detail"),
    path("imports/<int:pk>/progress/", views.import_progress_view, name="progress"),
    path("imports/<int:pk>/cancel/", views.import_cancel_view, name="cancel"),
    path("imports/<int:pk>/resume/", views.import_resume_view, name="resume"),
    path("imports/<int:pk>/report.xlsx", views.import_report_view, name="report"),
    path("imports/template.xlsx", views.import_template_view, name="template"),
    path("organisations/export.xlsx", views.organisation_export_view, name="organisation_export"),
]
