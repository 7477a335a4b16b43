from django.urls import path

from apps.fulfilment import views

app_name = "fulfilment"
urlpatterns = [
    path("", views.fulfilment_index_view, name="index"),
    path("funds/", views.funds_ledger_view, name="funds"),
    path("projects/<int:pk>/", views.fulfilment_project_view, name="project"),
    path("projects/<int:pk>/funds/", views.funds_add_view, name="funds_add"),
    path("projects/<int:pk>/funds/<int:entry_pk>/delete/", views.funds_delete_view, name="funds_delete"),
    path("projects/<int:pk>/plan/", views.plan_edit_view, name="plan"),
]
