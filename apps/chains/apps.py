from django.apps import AppConfig


class ChainsConfig(AppConfig):
    name = "apps.chains"
    label = "chains"
    verbose_name = "产业集群与产业链"
