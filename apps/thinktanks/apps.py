from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThinkTanksConfig(AppConfig):
    name = "apps.thinktanks"
    label = "thinktanks"
    verbose_name = _("智库合作")
