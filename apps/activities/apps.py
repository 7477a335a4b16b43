from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "apps.activities"
    label = "activities"
    verbose_name = "走访与洽谈"
