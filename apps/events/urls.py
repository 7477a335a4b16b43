from django.urls import path

from apps.events import views

app_name = "events"

urlpatterns = [
    path("events/", views.event_list_view, name="list"),
    path("events/new/", views.event_create_view, name="create"),
    path("events/<int:pk>/", views.event_detail_view, name="detail"),
    path("events/<int:pk>/edit/", views.event_edit_view, name="edit"),
    path("events/<int:pk>/projects/", views.project_options_view, name="project_options"),
    path("events/<int:pk>/signings/new/", views.signing_create_view, name="signing_create"),
    path("events/<int:pk>/signings/<int:signing_pk>/move/", views.signing_move_view, name="signing_move"),
    path("events/<int:pk>/participants/", views.participant_add_view, name="participant_add"),
    path("events/<int:pk>/participants/<int:participant_pk>/remove/", views.participant_remove_view,
         name="participant_remove"),
    path("events/<int:pk>/photos/", views.photo_add_view, name="photo_add"),
    path("events/<int:pk>/photos/<int:photo_pk>/remove/", views.photo_remove_view, name="photo_remove"),
    path("events/<int:pk>/photos/<int:photo_pk>/", views.photo_view, name="photo"),
    path("events/<int:pk>/tally/", views.tally_view, name="tally"),
    path("events/<int:pk>/tally/live/", views.tally_live_view, name="tally_live"),
    path("events/<int:pk>/signings.xlsx", views.signings_xlsx_view, name="signings_xlsx"),
    path("events/<int:pk>/ceremony.docx", views.ceremony_docx_view, name="ceremony_docx"),
    path("events/<int:pk>/public/", views.event_publish_view, name="publish"),
    path("events/<int:pk>/poster/", views.event_poster_view, name="poster"),
    path("events/<int:pk>/poster/<str:size>.png", views.event_poster_png_view, name="poster_png"),
    path("events/signings/<int:pk>/edit/", views.signing_edit_view, name="signing_edit"),
    path("events/signings/<int:pk>/withdraw/", views.signing_withdraw_view, name="signing_withdraw"),
    path("events/projects/<int:project_pk>/public/", views.project_public_view, name="project_public"),
    path("events/projects/<int:project_pk>/signings/new/", views.project_signing_create_view,
         name="project_signing_create"),
    path("events/projects/<int:project_pk>/publish/", views.project_publish_view, name="project_publish"),
    path("events/projects/<int:project_pk>/poster/", views.project_poster_view, name="project_poster"),
    path("events/projects/<int:project_pk>/poster/<str:size>.png", views.project_poster_png_view,
         name="project_poster_png"),
    path("events/public-pages/<int:page_pk>/withdraw/", views.public_page_withdraw_view, name="public_page_withdraw"),
    # The public pages live outside /events/ at a short address: it is printed as a QR code.
    path("p/<str:token>/", views.public_view, name="public"),
    path("p/<str:token>/photos/<int:photo_pk>/", views.public_photo_view, name="public_photo"),
]
