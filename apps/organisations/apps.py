from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "apps.organisations"
    label = "organisations"
    verbose_name = "目标库"
