"""Relations from a spreadsheet: columns 企业名称, 关联企业名称, 关系类型, 强度, 依据 — one row, "关联企业 是 企业 的
关系类型". XLSX (or CSV) read through apps.imports.readers; names or credit codes matched through
apps.organisations.matching. All or nothing: every problem is reported by row in Chinese and, if there is
one, nothing is written. Unknown organisations are an error unless the importer ticks "create them"."""

from dataclasses import dataclass, field

from django.db import transaction

from apps.accounts.permissions import may_write_library, require
from apps.core.codes import is_valid_uscc, normalise_code
from apps.core.errors import DomainError
from apps.core.text import normalise_name
from apps.imports.readers import clip, open_table
from apps.organisations.matching import match_organisation
from apps.organisations.models import Organisation
from apps.relations import services
from apps.relations.choices import STRENGTH_BY_LABEL, RelationSource

COLUMNS = {"企业名称": "organisation", "关联企业名称": "related", "关系类型": "kind", "强度": "strength", "依据": "evidence"}
REQUIRED = ["企业名称", "关联企业名称", "关系类型"]
MAX_ROWS = 5000  # read in the request; a larger file should be split (each part is all-or-nothing)


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    duplicates: int = 0  # facts already recorded: left as they are
    new_organisations: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "第3行：……"

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    line: int
    organisation: Organisation | str  # a record, or a name to create when allowed
    related: Organisation | str
    kind: str
    strength: int
    evidence: str


def _find(text: str) -> tuple[Organisation | None, str, bool]:
    """(the one organisation this cell names, '', _) or (None, why not, whether a new record may be made
    from the cell: a plain unknown name may, a credit code or an ambiguous name may not)."""
    code = normalise_code(text)
    if len(code) == 18 and is_valid_uscc(code):
        org = Organisation.objects.filter(credit_code=code).first()
        return (services.survivor_of(org), "", False) if org else (None, f"统一社会信用代码{code}不在目标库中", False)
    name = normalise_name(text)
    exact = list(Organisation.objects.filter(name=name, is_archived=False)[:2])
    if len(exact) == 1:
        return services.survivor_of(exact[0]), "", False
    result = match_organisation(name)
    same = {services.survivor_of(c.organisation).pk: c for c in result.candidates if c.verdict == "same"}
    if len(same) == 1:
        return services.survivor_of(next(iter(same.values())).organisation), "", False
    if len(same) > 1:
        names = "、".join(f"“{c.organisation.name}”" for c in list(same.values())[:3])
        return None, f"“{name}”可能对应多个主体（{names}），请改填统一社会信用代码", False
    likely = [c.organisation.name for c in result.candidates if c.verdict == "likely"][:2]
    hint = f"（相近的有：{'、'.join(likely)}）" if likely else ""
    return None, f"目标库中找不到“{name}”{hint}", len(name) >= 2


def read_rows(stream, filename: str, *, create_missing: bool) -> tuple[list[_Row], ImportReport]:
    report = ImportReport()
    table = open_table(stream, filename)
    try:
        header = [h.strip() for h in table.header]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise DomainError(f"文件：表头缺少“{'”“'.join(missing)}”列。请使用列名：{'、'.join(COLUMNS)}。", field="file")
        index = {COLUMNS[h]: i for i, h in enumerate(header) if h in COLUMNS}
        rows: list[_Row] = []
        for source in table.rows():
            report.rows += 1
            line = source.line
            if report.rows > MAX_ROWS:
                report.errors.append(f"第{line}行起：一次最多导入{MAX_ROWS}行，请把文件拆分后分批导入。")
                break
            if source.problem:
                report.errors.append(f"第{line}行：{source.problem.message}")
                continue

            def cell(key: str, cells=source.cells) -> str:
                i = index.get(key)
                return cells[i].strip() if i is not None and i < len(cells) else ""

            problems = []
            ends = []
            for key, label in (("organisation", "企业名称"), ("related", "关联企业名称")):
                text = cell(key)
                if not text:
                    problems.append(f"{label}为空")
                    ends.append(None)
                    continue
                org, why, creatable = _find(text)
                if org is None and create_missing and creatable:
                    org = normalise_name(text)  # created on write, when the whole file is clean
                elif org is None:
                    problems.append(f"{label}：{why}" + ("" if create_missing else "；如需登记为新主体，请勾选“目标库中没有的企业自动登记”"))
                ends.append(org)
            kind = services.parse_kind(cell("kind"))
            if not kind:
                problems.append(f"关系类型“{clip(cell('kind'), 20)}”无法识别，请填写供应商、客户、合作伙伴、母公司、子公司或投资方")
            raw_strength = cell("strength") or "中"
            strength = STRENGTH_BY_LABEL.get(raw_strength)
            if strength is None:
                problems.append(f"强度“{clip(raw_strength, 20)}”无法识别，请填写强、中、弱或3、2、1")
            a, b = ends
            if a is not None and b is not None and (a == b or (
                    isinstance(a, Organisation) and isinstance(b, Organisation) and a.pk == b.pk)):
                problems.append("企业与关联企业是同一主体")
            if problems:
                report.errors.append(f"第{line}行：" + "；".join(problems) + "。")
                continue
            rows.append(_Row(line, a, b, kind, strength, clip(cell("evidence"), 2000)))
    finally:
        table.close()
    if report.rows == 0 and not report.errors:
        report.errors.append("文件中没有数据行。")
    return rows, report


def relation_import(*, actor, stream, filename: str, create_missing: bool = False) -> ImportReport:
    """Validate every row, then write all of them in one transaction — or nothing."""
    require(may_write_library(actor), services.READ_ONLY)
    rows, report = read_rows(stream, filename, create_missing=create_missing)
    if not report.ok:
        return report
    from apps.organisations.services import organisation_create

    try:
        with transaction.atomic():
            created_orgs: dict[str, Organisation] = {}

            def resolve(end):
                if isinstance(end, Organisation):
                    return end
                if end not in created_orgs:
                    created_orgs[end] = organisation_create(actor=actor, name=end, source="企业关系导入")
                return created_orgs[end]

            seen = set()
            for row in rows:
                a, b = resolve(row.organisation), resolve(row.related)
                try:
                    x, y, stored, _strength = services._check(a, b, row.kind, row.strength)
                except DomainError as error:
                    report.errors.append(f"第{row.line}行：{error.message}")
                    continue
                key = (min(x.pk, y.pk), max(x.pk, y.pk), stored) if stored == "partner" else (x.pk, y.pk, stored)
                if key in seen or services.existing_relation(x.pk, y.pk, stored) is not None:
                    report.duplicates += 1
                    seen.add(key)
                    continue
                seen.add(key)
                services.relation_create(actor=actor, organisation=a, related=b, kind=row.kind, strength=row.strength,
                                         evidence=row.evidence, source=RelationSource.IMPORT)
                report.created += 1
            if report.errors:
                raise _Rollback
            report.new_organisations = list(created_orgs)
    except _Rollback:
        report.created = 0
        report.duplicates = 0
    return report


class _Rollback(Exception):
    pass


def template_xlsx() -> bytes:
    """An empty sheet with the columns and one example row, for the import page."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "企业关系"
    sheet.append(list(COLUMNS))
    sheet.append(["长安汽车股份有限公司", "某某电池科技有限公司", "供应商", "强", "2025年报披露的一级供应商"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
