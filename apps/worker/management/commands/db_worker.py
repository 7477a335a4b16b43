"""`python manage.py db_worker [--interval 2 …]`: django-tasks-db's worker (all its options), refusing to start in
production while the database fails a deployment check — the demo accounts, whose passwords the README prints. The
web process refuses the same way (config/wsgi.py); a worker that ran anyway would send their robots' messages and run
their imports."""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from apps.core.checks import refuse_unsafe_command


class Command(DatabaseWorker):
    def handle(self, *args, **options):
        refuse_unsafe_command()
        return super().handle(*args, **options)
