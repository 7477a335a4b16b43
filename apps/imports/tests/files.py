"""Small import files with real encodings, and a snapshot of the library to compare before/after."""

import io

from django.core.files.base import ContentFile

from apps.core.codes import make_org_code, make_uscc
from apps.imports.services import import_job_create
from apps.organisations.models import Organisation

HEADER = ["名称", "统一社会信用代码", "类型", "所在地区", "行业门类", "规模", "简称", "世界500强", "简介"]


def code(n: int) -> str:
    """A valid 统一社会信用代码, different for each n."""
    return make_uscc("91110108" + make_org_code(f"MA{n:06d}"))


def sample_rows(n: int = 6, *, offset: int = 0) -> list[list[str]]:
    trades = ["信技源", "骅远", "新凯精测", "云栖", "青禾", "渝信", "北辰", "汇川", "明德", "长风"]
    rows = []
    for i in range(offset, offset + n):
        trade = trades[i % len(trades)] + ("" if i < len(trades) else str(i))
        rows.append([
            f"北京{trade}信息技术有限公司", code(i + 1), "企业", "北京市海淀区", "I", "中型",
            trade, "是" if i % 3 == 0 else "否", f"第{i + 1}家，做软件、数据服务",
        ])
    return rows


def csv_text(rows, header=HEADER, sep=",", newline="\r\n") -> str:
    def cell(value: str) -> str:
        if any(ch in value for ch in (sep, '"', "\n", "\r")):
            return '"' + value.replace('"', '""') + '"'
        return value

    return "".join(sep.join(cell(v) for v in row) + newline for row in [header, *rows])


def csv_bytes(rows, encoding="utf-8", header=HEADER, **kwargs) -> bytes:
    data = csv_text(rows, header, **kwargs)
    if encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + data.encode("utf-8")
    return data.encode(encoding)


def xlsx_bytes(rows, header=HEADER) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_job(actor, data: bytes, name: str = "orgs.csv", *, dry_run: bool = False):
    return import_job_create(actor=actor, file=ContentFile(data, name=name), original_name=name, dry_run=dry_run)


def library() -> list[tuple]:
    """Everything an import could change, in a comparable form."""
    out = []
    for org in Organisation.objects.prefetch_related("aliases").order_by("name", "pk"):
        out.append((org.name, org.credit_code, org.org_code, org.kind, org.region, org.industry_section,
                    org.size, org.is_fortune500, org.is_specialised, org.is_listed, org.description,
                    org.search_text, org.version, org.parent_id,
                    tuple(sorted((a.name, a.kind) for a in org.aliases.all()))))
    return out

