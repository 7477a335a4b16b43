from django.urls import path

from apps.servicedesk import views

app_name = "servicedesk"
urlpatterns = [
    path("", views.request_list_view, name="list"),
    path("new/", views.request_create_view, name="create"),
    path("deadlines/", views.deadlines_view, name="deadlines"),
    path("<int:pk>/", views.request_detail_view, name="detail"),
    path("<int:pk>/reply/", views.request_reply_view, name="reply"),
    path("<int:pk>/status/", views.request_status_view, name="status"),
    path("<int:pk>/assign/", views.request_assign_view, name="assign"),
    path("<int:pk>/files/<int:reply_pk>/", views.request_attachment_view, name="attachment"),
    path("project/<int:project_pk>/", views.project_requests_view, name="project"),
    path("project/<int:project_pk>/links/", views.contact_link_create_view, name="link_create"),
    path("links/<int:pk>/revoke/", views.contact_link_revoke_view, name="link_revoke"),
    # The enterprise contact's pages: no account, the signed token is the key.
    path("c/<str:token>/", views.contact_home_view, name="contact_home"),
    path("c/<str:token>/<int:pk>/", views.contact_detail_view, name="contact_detail"),
    path("c/<str:token>/<int:pk>/files/<int:reply_pk>/", views.contact_attachment_view, name="contact_attachment"),
]
