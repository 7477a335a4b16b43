from django.urls import path

from apps.intelligence import views

app_name = "intelligence"
urlpatterns = [
    path("", views.article_list_view, name="list"),
    path("new/", views.article_create_view, name="create"),
    path("<int:pk>/", views.article_detail_view, name="detail"),
    path("<int:pk>/panel/", views.article_panel_view, name="panel"),
    path("<int:pk>/items/<str:item_key>/", views.article_act_view, name="act"),
    path("<int:pk>/relations/", views.article_relation_view, name="relation"),
]
