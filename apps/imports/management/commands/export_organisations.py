"""`python manage.py export_organisations FILE [--q TEXT] [--kind KIND] [--industry-section X] [--user NAME]`

The whole library (or a filtered part) as the list page's XLSX, without the page's row limit
(settings.ORGANISATION_EXPORT_MAX_ROWS): a million organisations take minutes to write, longer than a
web request may last. With --q the ranked search's best 1,000 are written, more than the page lists (it
warns). The export is in the audit log under the user named, like a download."""

import shutil
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.audit.models import AuditAction
from apps.audit.services import audit_record
from apps.imports.export import organisation_export
from apps.imports.management.commands._actor import command_actor
from apps.organisations.selectors import organisation_list


class Command(BaseCommand):
    help = "把目标库（或按条件筛选的部分）导出为 XLSX（与列表页导出的格式相同，没有行数上限）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="保存到哪个 .xlsx 文件")
        parser.add_argument("--q", default="", help="检索词（同列表页的检索框）")
        parser.add_argument("--kind", default="", help="主体类型（同列表页的筛选）")
        parser.add_argument("--industry-section", default="", help="行业门类代码（同列表页的筛选）")
        parser.add_argument("--user", help="以哪个用户的名义导出（默认：第一个超级用户）；决定能看到哪些主体，并记入审计日志")

    def handle(self, *args, **options):
        target = Path(options["file"])
        if target.suffix.lower() != ".xlsx":
            raise CommandError("文件名须以 .xlsx 结尾。")
        if not target.parent.is_dir():
            raise CommandError(f"目录不存在：{target.parent}")
        user = command_actor(options["user"], doing="导出")
        filters = {"q": options["q"], "kind": options["kind"], "industry_section": options["industry_section"]}
        found = organisation_list(actor=user, **filters, for_export=True)
        size = found.count()
        if getattr(found, "capped", False):
            # An export of a ranked search writes its best 1,000 (organisations.search.COUNT_CAP), here as from the page.
            self.stderr.write(self.style.WARNING(
                f"检索词“{filters['q']}”匹配超过 {size:,} 个主体，只导出最相关的 {size:,} 个；"
                "要导出全部，请去掉 --q，改用 --kind / --industry-section 筛选。"))
        self.stderr.write(f"导出 {size:,} 个主体 → {target}")
        started = time.monotonic()
        with organisation_export(actor=user, filters=filters) as written, open(target, "wb") as out:
            shutil.copyfileobj(written, out)
        audit_record(actor=user, instance=None, action=AuditAction.EXPORT, model_label="export",
                     changes={"path": "manage.py export_organisations", "query": {k: v for k, v in filters.items() if v},
                              "file": target.name},
                     note=f"目标库导出（命令行）：{target.name}，{size}个主体")
        self.stdout.write(f"已导出 {size:,} 个主体到 {target}（{time.monotonic() - started:.0f} 秒）")
