from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "apps.worker"
    verbose_name = "后台任务进程"
