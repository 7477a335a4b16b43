"""`python manage.py backup FILE` — the database and every uploaded file in one archive
(apps.core.backup.backup_create). Safe while gunicorn and the worker run; see docs/operations.md."""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from apps.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = _("把数据库和全部上传文件备份到一个归档文件（应用运行时也可执行，得到同一时刻的一致快照）。")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("备份文件路径，例如 backup/shuangzhao-2026-11-26.tar.gz（不能已存在）。"))

    def handle(self, *args, **options):
        try:
            result = backup_create(options["file"])
        except BackupError as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(
            _("备份完成：%(path)s（%(size)s）。%(tables)d 张表共 %(rows)d 行，%(files)d 个上传文件（%(file_size)s）。")
            % {"path": result.path, "size": filesizeformat(result.archive_bytes), "tables": len(result.tables),
               "rows": result.rows, "files": result.files, "file_size": filesizeformat(result.file_bytes)}
        ))
