"""`python manage.py import_organisations FILE [--dry-run] [--batch-size N] [--resume JOB_ID] [--user NAME]`
`python manage.py import_organisations --repair-indexes`

Runs an import in this process with a progress bar on stderr, then prints the counts and where the
error report is. A run that stopped (Ctrl-C, a crash) is continued with --resume JOB_ID."""

import sys
import time
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import DomainError
from apps.imports.export import import_report
from apps.imports.management.commands._actor import command_actor
from apps.imports.models import ImportJob, ImportStatus
from apps.imports.services import import_indexes_repair, import_job_create, run_import
from apps.organisations.bulk import missing_indexes


class ProgressBar:
    """One line redrawn with \\r on a terminal (percent, rows/s, ETA); plain lines every few seconds
    when stderr is a file or a pipe, so logs stay readable."""

    WIDTH = 30

    def __init__(self, stream, *, start_row: int = 0):
        self.stream = stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.started = time.monotonic()
        self.start_row = start_row
        self.last_plain = 0.0

    def __call__(self, job: ImportJob) -> None:
        now = time.monotonic()
        elapsed = max(now - self.started, 1e-6)
        done = max(job.rows_done - self.start_row, 0)
        rate = done / elapsed
        total = max(job.rows_total, job.rows_done, 1)
        percent = 100 if job.status == ImportStatus.DONE else min(99, job.rows_done * 100 // total)
        left = max(total - job.rows_done, 0)
        eta = "--:--" if not rate else _clock(left / rate)
        text = (f"{percent:3d}% 第{job.rows_done:,}/{total:,}行  {rate:,.0f}行/秒  剩余{eta}  "
                f"新增{job.created_count:,} 更新{job.updated_count:,} 未导入{job.failed_count:,}")
        if self.tty:
            filled = self.WIDTH * percent // 100
            self.stream.write(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {text}\x1b[K")
            self.stream.flush()
        elif now - self.last_plain >= 2 or job.status == ImportStatus.DONE:
            self.last_plain = now
            self.stream.write(text + "\n")
            self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60:02d}:{rest % 60:02d}"


class Command(BaseCommand):
    help = "导入目标主体（CSV 或 XLSX），显示进度，结束时给出错误报告的位置。"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="CSV（UTF-8/GBK/GB18030）或 XLSX 文件")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入目标库")
        parser.add_argument("--batch-size", type=int, default=None,
                            help="每批行数（默认：10000）")
        parser.add_argument("--resume", type=int, metavar="JOB_ID", help="从中断处继续某个导入任务")
        parser.add_argument("--user", help="以哪个用户的名义导入（默认：第一个超级用户）")
        parser.add_argument("--report", help="错误报告保存到哪里（默认：文件旁的 <文件名>-错误报告.xlsx）")
        parser.add_argument("--repair-indexes", action="store_true",
                            help="重建中断的大批量导入暂时删除的目标库索引（没有正在运行的导入时），然后退出")

    def handle(self, *args, **options):
        if options["repair_indexes"]:
            self._repair_indexes()
            return
        if options["batch_size"] is not None and options["batch_size"] < 1:
            raise CommandError("--batch-size 必须是正整数。")
        if options["resume"]:
            job = ImportJob.objects.filter(pk=options["resume"]).select_related("created_by").first()
            if job is None:
                raise CommandError(f"没有编号为{options['resume']}的导入任务。")
            if job.status == ImportStatus.DONE:
                raise CommandError(f"导入任务{job.pk}已经完成，无需继续。")
            self.stdout.write(f"继续导入任务{job.pk}“{job.original_name}”，从第{job.rows_done}行之后开始。")
            source_dir = Path.cwd()
        else:
            if not options["file"]:
                raise CommandError("请给出要导入的文件，或用 --resume JOB_ID 继续一个任务。")
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(f"找不到文件：{path}")
            user = command_actor(options["user"], doing="导入")
            try:
                with path.open("rb") as handle:
                    job = import_job_create(actor=user, file=File(handle, name=path.name), original_name=path.name,
                                            dry_run=options["dry_run"])
            except (DomainError, PermissionDenied) as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"导入任务{job.pk}：{path.name}" + ("（试运行，不写入）" if job.dry_run else ""))
            source_dir = path.resolve().parent

        bar = ProgressBar(getattr(self.stderr, "_out", sys.stderr), start_row=job.rows_done)
        try:
            run_import(job, batch_size=options["batch_size"], progress=bar, resume_cancelled=bool(options["resume"]))
        except KeyboardInterrupt:
            bar.finish()
            ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING).update(
                status=ImportStatus.FAILED, error_message=f"在第{job.rows_done}行之后被中断。")
            raise CommandError(f"已中断。已提交到第{job.rows_done}行；继续：manage.py import_organisations "
                               f"--resume {job.pk}") from None
        except Exception as error:
            bar.finish()
            job.refresh_from_db()
            raise CommandError(f"{job.error_message or error}\n继续：manage.py import_organisations --resume {job.pk}") \
                from error
        bar.finish()
        self._summary(job, options.get("report"), source_dir)

    def _repair_indexes(self) -> None:
        missing = missing_indexes()
        if not missing:
            self.stdout.write("目标库索引完整，无需重建。")
            return
        built = import_indexes_repair()
        if not built:
            raise CommandError(f"有导入正在运行，缺少的{len(missing)}个索引将由它在结束时重建；请稍后再试。")
        self.stdout.write(self.style.SUCCESS(f"已重建{len(built)}个索引：{'、'.join(built)}"))

    def _summary(self, job: ImportJob, report_path, source_dir: Path) -> None:
        out = self.stdout
        if job.status == ImportStatus.FAILED:
            out.write(self.style.ERROR(f"导入失败：{job.error_message}"))
        elif job.status == ImportStatus.CANCELLED:
            out.write(self.style.WARNING(f"导入已取消，已处理到第{job.rows_done}行。"))
        else:
            out.write(self.style.SUCCESS(
                ("试运行完成（未写入）" if job.dry_run else "导入完成") +
                f"：新增{job.created_count}，更新{job.updated_count}，未变化{job.unchanged_count}，"
                f"未导入{job.failed_count}，提醒{job.warning_count}（任务{job.pk}，{job.format or '?'} "
                f"{job.encoding}）"))
        if job.failed_count or job.warning_count or job.error_message:
            stem = job.original_name.rsplit(".", 1)[0]
            target = Path(report_path) if report_path else source_dir / f"{stem}-错误报告.xlsx"
            with import_report(job) as tmp, target.open("wb") as handle:
                while chunk := tmp.read(1 << 20):
                    handle.write(chunk)
            out.write(f"错误报告：{target}")
        else:
            out.write("没有问题行。")
