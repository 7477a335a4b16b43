from django.urls import path

from apps.recommendations import views

app_name = "recommendations"
urlpatterns = [
    path("", views.recommendation_list_view, name="list"),
    path("new/", views.recommendation_create_view, name="create"),
    path("funnel/", views.funnel_view, name="funnel"),
    path("<int:pk>/", views.recommendation_detail_view, name="detail"),
    path("<int:pk>/withdraw/", views.recommendation_withdraw_view, name="withdraw"),
    path("targets/<int:pk>/accept/", views.target_accept_view, name="accept"),
    path("targets/<int:pk>/decline/", views.target_decline_view, name="decline"),
    path("targets/<int:pk>/site-visit/", views.target_site_visit_view, name="site_visit"),
]
