"""`manage.py chain_gaps [--all]`: recompute the stale gap summaries now (with --all: create any missing,
for every mapped cluster × the whole city and each district and county, and recompute them all)."""

import json

from django.core.management.base import BaseCommand

from apps.chains.jobs import refresh_gaps


class Command(BaseCommand):
    help = "重新计算缺链分析汇总（--all：全部重算）"

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", dest="everything")

    def handle(self, *args, everything=False, **options):
        self.stdout.write(json.dumps(refresh_gaps(everything=everything), ensure_ascii=False))
