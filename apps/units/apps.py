from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "apps.units"
    label = "units"
    verbose_name = _("单位")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from apps.units.models import Unit
        from apps.units.selectors import unit_successors_forget

        post_save.connect(unit_successors_forget, sender=Unit, dispatch_uid="units.successors.save")
        post_delete.connect(unit_successors_forget, sender=Unit, dispatch_uid="units.successors.delete")
