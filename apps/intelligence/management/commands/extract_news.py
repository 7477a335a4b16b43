"""manage.py extract_news FILE|FOLDER [--json] [--date YYYY-MM-DD]: the engine on files, one JSON object
per file (a folder: one line per file, in name order)."""

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.intelligence.extract import extract, read_article

_SUFFIXES = {".txt", ".html", ".htm", ".docx"}


def _parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期“{value}”格式不对，请写成 YYYY-MM-DD，例如 2025-11-02。") from exc


class Command(BaseCommand):
    help = "从新闻稿件中抽取金额、项目数、区县、企业、项目和活动（.txt/.html/.docx 文件或文件夹）"

    def add_arguments(self, parser):
        parser.add_argument("path", help="文章文件或文件夹")
        parser.add_argument("--json", action="store_true", help="输出 JSON（默认也是 JSON，每个文件一行）")
        parser.add_argument("--date", default=None, help="文章日期 YYYY-MM-DD，覆盖文中写的日期")

    def handle(self, *args, path, date, **opts):
        override = _parse_date(date) if date else None
        target = Path(path)
        if not target.exists():
            raise CommandError(f"找不到文件或文件夹“{path}”，请检查路径。")
        if target.is_dir():
            files = sorted(p for p in target.iterdir() if p.is_file() and p.suffix.lower() in _SUFFIXES)
            if not files:
                raise CommandError(f"文件夹“{path}”里没有 .txt、.html 或 .docx 文件。")
            for file in files:
                self.stdout.write(json.dumps(self._one(file, override), ensure_ascii=False))
            return
        self.stdout.write(json.dumps(self._one(target, override), ensure_ascii=False))

    def _one(self, file: Path, override: datetime.date | None) -> dict:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件“{file}”：{exc.strerror or exc}。请检查文件权限。") from exc
        try:
            title, text, published = read_article(data, filename=file.name)
        except Exception as exc:  # a corrupt .docx or markup lxml refuses
            raise CommandError(f"无法解析文件“{file}”（{type(exc).__name__}），请确认它是 txt、html 或 docx 文件。") from exc
        result = extract(text, published=override or published, title=title)
        return {"file": str(file), **result.to_json()}
