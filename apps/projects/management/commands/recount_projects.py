"""`manage.py recount_projects [--fix]`: compare the live-project count the database keeps
(apps/projects/live_count.py) with a real count; with --fix, set it to the real count. Fails (exit 1) when
the two differ and --fix was not given, so a scheduled check shows up."""

from django.core.management.base import BaseCommand, CommandError

from apps.projects.live_count import recount


class Command(BaseCommand):
    help = "核对在库项目数（触发器维护的计数与实际数），--fix 时改正"

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="不一致时改为实际数")
        parser.add_argument("--database", default="default")

    def handle(self, *args, fix=False, database="default", **options):
        kept, real = recount(database, fix=fix)
        if kept == real:
            self.stdout.write(f"在库项目数一致：{real}")
        elif fix:
            self.stdout.write(f"在库项目数记录为 {kept}，已改为 {real}")
        else:
            raise CommandError(f"在库项目数记录为 {kept}，实有 {real}；运行 recount_projects --fix 改正")
