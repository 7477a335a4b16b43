from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FairnessConfig(AppConfig):
    name = "apps.fairness"
    label = "fairness"
    verbose_name = _("公平竞争审查")
