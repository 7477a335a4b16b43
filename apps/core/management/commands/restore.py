"""`python manage.py restore FILE [--yes] [--check]` — replace the database and MEDIA_ROOT with an archive
made by `backup` (apps.core.backup.backup_restore). Every check runs before anything is changed."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from apps.core.backup import VENDOR_NAMES, BackupError, backup_restore, backup_verify, restore_interrupted


class Command(BaseCommand):
    help = _("用 backup 生成的归档恢复数据库和全部上传文件（会替换当前数据；请先停止应用和后台任务）。")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("备份文件路径。"))
        parser.add_argument("--yes", action="store_true", help=_("不再询问，直接替换当前数据。"))
        parser.add_argument("--check", action="store_true",
                            help=_("只检查备份文件是否完整、与清单一致，不做任何更改。"))

    def handle(self, *args, **options):
        interrupted = restore_interrupted()
        if interrupted is not None:
            self.stdout.write(self.style.WARNING(
                _("上一次恢复（%(archive)s，开始于 %(started)s）在替换上传文件之后、数据库提交之前被中断："
                  "数据库和上传文件可能不一致。恢复一个备份（例如重新恢复同一个）即可让两者一致；"
                  "上次移走的原上传文件在 %(dir)s，不会被删除。")
                % {"archive": interrupted["archive"], "started": interrupted["started_at"],
                   "dir": interrupted["replaced_media_dir"]}))
        try:
            if options["check"]:
                manifest = backup_verify(options["file"])
                self.stdout.write(self.style.SUCCESS(_("备份文件完整：%(summary)s") % {"summary": self._summary(manifest)}))
                return
            result = backup_restore(options["file"], confirm=lambda manifest: self._confirm(manifest, options))
        except BackupError as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(
            _("恢复完成：%(tables)d 张表共 %(rows)d 行与清单一致，%(files)d 个上传文件已放回。")
            % {"tables": len(result.tables), "rows": result.rows, "files": result.files}))
        for table, rows in sorted(result.tables.items()):
            self.stdout.write(f"  {table}: {rows}")
        if result.media_swap == "contents":
            self.stdout.write(_("上传文件目录是挂载点或符号链接，不能整体改名：已逐项替换其中的顶层条目。"))
        if result.replaced_files:
            self.stdout.write(_("原有上传文件中备份里没有或内容不同的 %(count)d 个已移到 %(dir)s（未删除）。")
                              % {"count": result.replaced_files, "dir": result.replaced_media_dir})
        if result.interrupted:
            self.stdout.write(_("上一次被中断的恢复已由本次恢复完成，数据库和上传文件现在一致。"))
        if result.pending_migrations:
            self.stdout.write(self.style.WARNING(
                _("备份早于当前程序，还有 %(count)d 个迁移未执行：请运行 python manage.py migrate。")
                % {"count": len(result.pending_migrations)}))

    @staticmethod
    def _summary(manifest) -> str:
        return _("%(vendor)s 数据库，生成于 %(created)s（UTC），%(tables)d 张表共 %(rows)d 行，%(files)d 个上传文件。") % {
            "vendor": VENDOR_NAMES[manifest["database"]["vendor"]], "created": manifest["created_at"],
            "tables": len(manifest["tables"]), "rows": sum(manifest["tables"].values()),
            "files": len(manifest["files"])}

    def _confirm(self, manifest, options) -> bool:
        self.stdout.write(_("备份文件完整：%(summary)s") % {"summary": self._summary(manifest)})
        if options["yes"]:
            return True
        if not sys.stdin.isatty():
            raise CommandError(_("恢复会替换当前的全部数据和上传文件，需要确认：请加 --yes 参数再运行。未做任何更改。"))
        answer = input(_("恢复会替换当前的全部数据和上传文件。输入 yes 继续："))
        return answer.strip().lower() == "yes"
