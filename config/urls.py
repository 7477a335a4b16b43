from django.contrib import admin
from django.urls import include, path

from config.api import api, not_found_page_or_json

urlpatterns = [
    path("", include("apps.core.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("units/", include("apps.units.urls")),
    path("organisations/", include("apps.organisations.urls")),
    path("projects/", include("apps.projects.urls")),
    path("activities/", include("apps.activities.urls")),
    path("", include("apps.imports.urls")),  # /imports/… and /organisations/export.xlsx
    path("notifications/", include("apps.notifications.urls")),
    path("recommendations/", include("apps.recommendations.urls")),
    path("requests/", include("apps.servicedesk.urls")),
    path("fulfilment/", include("apps.fulfilment.urls")),
    path("cockpit/", include("apps.cockpit.urls")),
    path("intelligence/", include("apps.intelligence.urls")),
    path("chains/", include("apps.chains.urls")),
    path("relations/", include("apps.relations.urls")),
    path("talent/", include("apps.talent.urls")),
    path("thinktanks/", include("apps.thinktanks.urls")),
    path("offers/", include("apps.offers.urls")),
    path("fairness/", include("apps.fairness.urls")),
    path("", include("apps.events.urls")),  # /events/… and the public pages /p/<token>/
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

# An unmatched path under /api/v1/ answers the API's JSON 404; every other one the site's HTML page.
handler404 = not_found_page_or_json

admin.site.site_header = "双招双引工作平台 · 管理后台"
admin.site.site_title = "双招双引工作平台"

# Uploaded files are never served from MEDIA_ROOT by URL: views hand them out after checking the reader
# (events.views.photo_view, projects.views.project_evidence_view, servicedesk attachments, import reports).
