"""`python manage.py db_worker [--interval 2 …]`: django-tasks-db's worker (all its options), refusing to start in
production while the database fails a deployment check — the demo accounts, whose passwords the README prints. The
web process refuses the same way (config/wsgi.py); a worker that ran anyway would send their robots' messages and run
their imports."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from apps.core.checks import refuse_unsafe_start, startup_checks_enabled


class Command(DatabaseWorker):
    def handle(self, *args, **options):
        if startup_checks_enabled():
            try:
                refuse_unsafe_start()
            except ImproperlyConfigured as error:
                raise CommandError(str(error)) from None
        return super().handle(*args, **options)
