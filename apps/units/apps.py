from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "apps.units"
    label = "units"
    verbose_name = "单位"
