"""Rebuild the target library's search index from the organisations themselves.

Needed after a database restore from an older dump, after edits made outside the services (the
Django admin re-indexes what it saves), or when the key rules in search.py change. The rebuild first
empties the index, so while it runs, organisations not yet reached are missing from search: run it
in a quiet hour (about 11 s per 60,000 organisations here)."""

import time

from django.core.management.base import BaseCommand

from apps.organisations.models import Organisation
from apps.organisations.search import rebuild_index


class Command(BaseCommand):
    help = "重建目标主体检索索引"

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="只在索引为空而目标库不为空时重建（make demo 用）")

    def handle(self, *args, if_empty=False, **options):
        from django.db import connection

        from apps.organisations.search import has_pending, merge_pending

        if has_pending():  # an import stopped before its end: make its records searchable
            moved = merge_pending()
            self.stdout.write(f"已将中断导入遗留的 {moved:,} 条索引并入检索索引。")
        if if_empty:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM organisations_searchkey LIMIT 1")
                if cursor.fetchone() or not Organisation.objects.exists():
                    return
        total = Organisation.objects.count()
        started = time.perf_counter()

        def progress(last_id, written):
            self.stderr.write(f"\r已处理至编号 {last_id}，写入 {written:,} 条索引", ending="")

        written = rebuild_index(progress=progress)
        self.stderr.write("")
        self.stdout.write(f"已为 {total:,} 个主体重建检索索引（{written:,} 条），用时 {time.perf_counter() - started:.1f} 秒。")
