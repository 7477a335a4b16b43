from django.urls import path

from apps.offers import views

app_name = "offers"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("needs/", views.need_list_view, name="needs"),
    path("needs/new/", views.need_create_view, name="need_create"),
    path("needs/<int:pk>/", views.need_match_view, name="need_match"),
    path("needs/<int:pk>/edit/", views.need_edit_view, name="need_edit"),
    path("needs/<int:pk>/send/", views.need_send_view, name="need_send"),
    path("units/<int:unit_pk>/", views.district_view, name="district"),
    path("units/<int:unit_pk>/<str:kind>/new/", views.offer_create_view, name="create"),
    path("<str:kind>/<int:pk>/edit/", views.offer_edit_view, name="edit"),
    path("<str:kind>/<int:pk>/retire/", views.offer_retire_view, name="retire"),
]
