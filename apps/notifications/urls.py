from django.urls import path

from apps.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("read-all/", views.notification_read_all_view, name="read_all"),
    path("<int:pk>/read/", views.notification_read_view, name="read"),
    path("<int:pk>/open/", views.notification_open_view, name="open"),
    path("webhooks/", views.webhook_list_view, name="webhooks"),
    path("webhooks/new/", views.webhook_create_view, name="webhook_create"),
    path("webhooks/<int:pk>/edit/", views.webhook_edit_view, name="webhook_edit"),
    path("webhooks/<int:pk>/test/", views.webhook_test_view, name="webhook_test"),
    path("webhooks/deliveries/<int:pk>/retry/", views.delivery_retry_view, name="delivery_retry"),
]
