from django.urls import path

from apps.relations import views

app_name = "relations"

urlpatterns = [
    path("organisations/<int:pk>/", views.organisation_relations_view, name="organisation"),
    path("organisations/<int:pk>/relations/", views.relation_add_view, name="relation_add"),
    path("organisations/<int:pk>/relations/<int:relation_pk>/remove/", views.relation_remove_view,
         name="relation_remove"),
    path("organisations/<int:pk>/ties/", views.tie_add_view, name="tie_add"),
    path("organisations/<int:pk>/ties/<int:tie_pk>/remove/", views.tie_remove_view, name="tie_remove"),
    path("landed/", views.landed_view, name="landed"),
    path("landed/<int:pk>/accept/", views.proposal_accept_view, name="proposal_accept"),
    path("referrals/", views.referrals_view, name="referrals"),
    path("import/", views.import_view, name="import"),
    path("import/template.xlsx", views.import_template_view, name="import_template"),
]
