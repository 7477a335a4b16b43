from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntelligenceConfig(AppConfig):
    name = "apps.intelligence"
    label = "intelligence"
    verbose_name = _("招商情报")
