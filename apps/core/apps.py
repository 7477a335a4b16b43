from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self):
        from apps.core import checks, choices  # noqa: F401 - importing checks registers the deployment checks

        choices.install()
