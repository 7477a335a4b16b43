from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainsConfig(AppConfig):
    name = "apps.chains"
    label = "chains"
    verbose_name = _("产业集群与产业链")

    def ready(self):
        from apps.chains import signals  # noqa: F401  connects the gap summaries' staleness
