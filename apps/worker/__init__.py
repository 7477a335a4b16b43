"""The background worker's command. Listed in INSTALLED_APPS before django_tasks_db so that `manage.py db_worker` is
this app's: django-tasks-db's worker, which in production first refuses to start on a database that fails the
deployment checks (the demo accounts), as the web process does (config/wsgi.py)."""
