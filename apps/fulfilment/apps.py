from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FulfilmentConfig(AppConfig):
    name = "apps.fulfilment"
    label = "fulfilment"
    verbose_name = _("履约监测")
