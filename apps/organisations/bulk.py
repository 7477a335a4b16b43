"""Bulk upsert of organisations for imports: one batch at a time, inside the caller's transaction.

The importer (apps/imports) streams a file, cuts it into batches and calls bulk_upsert with each one,
committing its checkpoint in the same transaction, so a crash leaves the library at a batch boundary
and the job resumes there. This module owns the domain rules of a row: which columns exist, what a
valid value is, how a row is matched against the library (credit code, then exact name, then name
parts), and how new records enter the search index without one round trip per row.
"""

import contextlib
import functools
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from apps.audit.services import AuditAction, audit_record, diff, snapshot
from apps.core.codes import org_code_of, validate_org_code, validate_uscc
from apps.core.errors import DomainError
from apps.core.text import normalise_name
from apps.organisations import names
from apps.organisations.choices import AliasKind, IndustrySection, OrgKind, OrgSize
from apps.organisations.models import Organisation, OrganisationAlias
from apps.organisations.search import (
    build_terms,
    copy_rows,
    index_organisations,
    keys_for_terms,
    pack_keys,
    search_text_for,
    terms_of,
    write_pending,
    write_postings,
)

# canonical key -> (the label people see, header spellings accepted)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("名称", ("名称", "企业名称", "单位名称", "主体名称", "机构名称", "name")),
    "credit_code": ("统一社会信用代码", ("统一社会信用代码", "信用代码", "社会信用代码", "credit_code", "uscc")),
    "org_code": ("组织机构代码", ("组织机构代码", "机构代码", "org_code")),
    "kind": ("类型", ("类型", "主体类型", "kind")),
    "region": ("所在地区", ("所在地区", "地区", "所在地", "注册地", "region")),
    "industry_section": ("行业门类", ("行业门类", "行业", "所属行业", "industry_section")),
    "size": ("规模", ("规模", "企业规模", "size")),
    "short_names": ("简称", ("简称", "别名", "short_names")),
    "former_names": ("曾用名", ("曾用名", "原名称", "former_names")),
    "parent_name": ("所属总公司", ("所属总公司", "总公司", "上级单位", "parent_name")),
    "source": ("来源", ("来源", "数据来源", "source")),
    "description": ("简介", ("简介", "备注", "说明", "description")),
    "is_fortune500": ("世界500强", ("世界500强", "500强", "is_fortune500")),
    "is_specialised": ("专精特新", ("专精特新", "is_specialised")),
    "is_listed": ("上市企业", ("上市企业", "是否上市", "上市", "is_listed")),
}
HEADER_ORDER = list(COLUMNS)
MAX_LENGTH = {"name": 200, "region": 100, "source": 100, "description": 4000, "short_names": 400,
              "former_names": 400, "parent_name": 200}
_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "有"}
_FALSE = {"否", "n", "no", "false", "0", "", "无"}
_LIST_SPLIT = re.compile(r"[、,，;；/|]")


def _header_key(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip().lower().lstrip("\ufeff")


_HEADER_LOOKUP = {_header_key(spelling): key for key, (_, spellings) in COLUMNS.items() for spelling in spellings}


def label(key: str) -> str:
    return COLUMNS[key][0]


def header_map(header: list[str]) -> tuple[dict[int, str], list[str]]:
    """Column index -> canonical key, and the problems with the header in Chinese. Any problem means
    the file is not imported at all: a misread column would put data in the wrong field."""
    mapping: dict[int, str] = {}
    problems: list[str] = []
    for index, cell in enumerate(header):
        text = (cell or "").strip()
        if not text:
            continue
        key = _HEADER_LOOKUP.get(_header_key(text))
        if key is None:
            problems.append(f"第{index + 1}列表头“{text[:50]}”无法识别；可用的列：{'、'.join(c[0] for c in COLUMNS.values())}。")
        elif key in mapping.values():
            problems.append(f"第{index + 1}列表头“{text}”与前面的列重复（都是“{label(key)}”）。")
        else:
            mapping[index] = key
    if "name" not in mapping.values():
        problems.insert(0, "表头中没有“名称”列（也可写作“企业名称”“单位名称”），无法导入。")
    return mapping, problems


@dataclass
class OrgRow:
    line: int
    values: dict[str, str]


@dataclass
class RowIssue:
    line: int
    column: str
    message: str
    value: str = ""

    def __post_init__(self):
        self.value = (self.value or "")[:200]


@dataclass
class BatchResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    issues: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)
    organisation_ids: list[int] = field(default_factory=list)


class RowError(Exception):
    def __init__(self, key: str, message: str, value: str = ""):
        super().__init__(message)
        self.column = label(key) if key in COLUMNS else key
        self.message = message
        self.value = value


_KIND_BY_TEXT = {**{c.value: c.value for c in OrgKind}, **{str(c.label): c.value for c in OrgKind},
                 "企业单位": OrgKind.ENTERPRISE, "中央企业": OrgKind.CENTRAL_SOE, "大学": OrgKind.UNIVERSITY,
                 "院所": OrgKind.INSTITUTE, "协会": OrgKind.ASSOCIATION, "商会": OrgKind.ASSOCIATION}
_SIZE_BY_TEXT = {**{c.value: c.value for c in OrgSize}, **{str(c.label): c.value for c in OrgSize},
                 "大": OrgSize.LARGE, "中": OrgSize.MEDIUM, "小": OrgSize.SMALL, "微": OrgSize.MICRO,
                 "大型企业": OrgSize.LARGE, "中型企业": OrgSize.MEDIUM, "小型企业": OrgSize.SMALL,
                 "微型企业": OrgSize.MICRO}
_SECTION_BY_TEXT = {}
for _c in IndustrySection:
    _SECTION_BY_TEXT[_c.value.lower()] = _c.value
    _SECTION_BY_TEXT[str(_c.label).lower()] = _c.value
    _SECTION_BY_TEXT[str(_c.label)[2:]] = _c.value


_CHOICE_TABLES = {"kind": _KIND_BY_TEXT, "size": _SIZE_BY_TEXT, "industry_section": _SECTION_BY_TEXT}

_ALLOWED = {
    "kind": lambda: "、".join(str(c.label) for c in OrgKind),
    "size": lambda: "大型、中型、小型、微型",
    "industry_section": lambda: "A—T 的门类字母或门类名称",
}


# The cells of a choice or yes/no column hold a handful of distinct texts in a million rows: each is
# read once (lru_cache), not once a row. A refused value raises, which the cache does not keep.
@functools.lru_cache(maxsize=1024)
def _choice(key: str, raw: str) -> str:
    if not raw:
        return ""
    table = _CHOICE_TABLES[key]
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        return ""
    value = table.get(text) or table.get(text.lower())
    if value is None:
        raise RowError(key, f"{label(key)}“{text[:30]}”不是可选值（可填：{_ALLOWED[key]()}）。", raw)
    return str(value)


@functools.lru_cache(maxsize=1024)
def _flag(key: str, raw: str) -> bool:
    text = unicodedata.normalize("NFKC", raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise RowError(key, f"{label(key)}应填“是”或“否”，不是“{raw[:20]}”。", raw)


def _names_list(raw: str) -> list[str]:
    return [n for n in (normalise_name(part) for part in _LIST_SPLIT.split(raw or "")) if len(n) >= 2]


def clean_row(values: dict[str, str]) -> dict:
    """Validate one row's cells; raise RowError naming the column. Returns model-ready values."""
    for key, limit in MAX_LENGTH.items():
        raw = values.get(key) or ""
        if len(raw) > limit:
            raise RowError(key, f"{label(key)}过长（{len(raw)}字，最多{limit}字）。", raw[:50] + "…")
    raw_name = values.get("name") or ""
    notes = names.short_names_in(raw_name)  # "…有限公司（以下简称“信技源”）"
    if notes:
        raw_name = names.strip_short_name_note(raw_name)
    name = normalise_name(raw_name)
    if len(name) < 2:
        raise RowError("name", "名称为空或不足2个字。", raw_name)
    cleaned: dict = {"name": name}
    code_raw = (values.get("credit_code") or "").strip()
    if code_raw:
        try:
            cleaned["credit_code"] = validate_uscc(code_raw, field="统一社会信用代码")
        except DomainError as exc:
            raise RowError("credit_code", exc.message, code_raw) from None
        cleaned["org_code"] = org_code_of(cleaned["credit_code"])
    else:
        cleaned["credit_code"] = None
        org_raw = values.get("org_code") or ""
        try:
            cleaned["org_code"] = validate_org_code(org_raw) if org_raw.strip() else ""
        except DomainError as exc:
            raise RowError("org_code", exc.message, org_raw) from None
    cleaned["kind"] = _choice("kind", values.get("kind") or "") or OrgKind.ENTERPRISE.value
    cleaned["size"] = _choice("size", values.get("size") or "")
    cleaned["industry_section"] = _choice("industry_section", values.get("industry_section") or "")
    cleaned["region"] = normalise_name(values.get("region") or "")
    cleaned["source"] = (values.get("source") or "").strip()
    cleaned["description"] = (values.get("description") or "").strip()
    for key in ("is_fortune500", "is_specialised", "is_listed"):
        cleaned[key] = _flag(key, values.get(key) or "")
    short = _names_list(values.get("short_names") or "") + [normalise_name(n) for n in notes]
    cleaned["short_names"] = [n for n in dict.fromkeys(short) if n != name]
    cleaned["former_names"] = [n for n in dict.fromkeys(_names_list(values.get("former_names") or "")) if n != name]
    cleaned["parent_name"] = normalise_name(values.get("parent_name") or "")
    parts = names.parse_name(name)
    cleaned["parts"] = {
        "trade_name": parts.trade_name[:50], "name_region": parts.region[:50],
        "name_industry": parts.industry[:50], "name_form": parts.form[:30],
    }
    if not cleaned["parent_name"] and parts.parent_name:
        cleaned["parent_name"] = parts.parent_name
    return cleaned


IMPORTED_FIELDS = ["name", "credit_code", "org_code", "kind", "region", "industry_section", "size",
                   "is_fortune500", "is_specialised", "is_listed", "description"]


def _row_key(cleaned: dict) -> int:
    ident = cleaned["credit_code"] or "N:" + names.search_form(cleaned["name"])
    return int.from_bytes(hashlib.blake2b(ident.encode(), digest_size=8).digest(), "big")


def prepare_rows(rows: list[OrgRow]) -> list[tuple[int, dict | None, tuple[str, str, str] | None]]:
    """The part of a batch that needs no database: each row validated and cleaned, with its
    search_text and index keys worked out — (line, cleaned, None) or (line, None, (column, reason,
    value)). Plain data, so a large import can run it in a second process (apps/imports) while
    this one writes the previous batch."""
    out = []
    for row in rows:
        try:
            cleaned = clean_row(row.values)
        except RowError as exc:
            out.append((row.line, None, (exc.column, exc.message, exc.value)))
            continue
        terms = build_terms(cleaned["name"], cleaned["parts"]["trade_name"],
                            cleaned["short_names"] + cleaned["former_names"])
        cleaned["search_text"] = search_text_for(terms)
        cleaned["index_keys"] = pack_keys(keys_for_terms(terms))
        out.append((row.line, cleaned, None))
    return out


def bulk_upsert(rows: list[OrgRow], *, actor, dry_run: bool = False, source: str = "数据导入",
                seen: dict | None = None, defer_index: bool = False, prepared: list | None = None,
                imported_since=None) -> BatchResult:
    """Validate, match and write one batch. Call inside transaction.atomic(). See the module doc.
    With defer_index the new records' postings wait in the pending table until the caller runs
    search.merge_pending() (large imports); updated records are always re-indexed at once.

    Duplicate rows inside one file: `seen` (row key -> line) catches them while it holds the earlier
    row. A caller that keeps `seen` to one batch (a million keys would be 120 MB) passes
    `imported_since`, the time its import started: a row matching a record this actor created since
    then is a repeat of an earlier row of the same file and is reported as such."""
    result = BatchResult()
    seen = {} if seen is None else seen
    valid: list[tuple[OrgRow, dict]] = []
    if prepared is None:
        prepared = prepare_rows(rows)
    for row, (line, cleaned, error) in zip(rows, prepared, strict=True):
        if error is not None:
            result.failed += 1
            result.issues.append(RowIssue(line, *error))
            continue
        key = _row_key(cleaned)
        if key in seen:
            result.failed += 1
            result.issues.append(RowIssue(row.line, "", f"与第{seen[key]}行重复（同一主体在文件中出现两次），本行未导入。",
                                          cleaned["name"]))
            continue
        seen[key] = row.line
        valid.append((row, cleaned))
    if not valid:
        return result

    by_code = {o.credit_code: o for o in _existing("credit_code", [c["credit_code"] for _, c in valid
                                                                   if c["credit_code"]])}
    by_name: dict[str, Organisation] = {}
    # Merged records are skipped here rather than in SQL: "merged_into IS NULL" would tempt the
    # planner into walking the whole merged_into index instead of looking the names up.
    for org in _existing("name", [c["name"] for _, c in valid]):
        if not org.merged_into_id:
            by_name.setdefault(org.name, org)
    by_trade = _same_trade_name(valid)
    parent_names = sorted({c["parent_name"] for _, c in valid if c["parent_name"]})
    parents = {o.name: o.pk for o in _existing("name", parent_names) if not o.merged_into_id}

    creates: list[tuple[OrgRow, dict]] = []
    updates: list[tuple[OrgRow, dict, Organisation]] = []
    batch_names: dict[str, int] = {}
    for row, cleaned in valid:
        existing = by_code.get(cleaned["credit_code"]) if cleaned["credit_code"] else None
        if existing is None:
            named = by_name.get(cleaned["name"])
            if named is not None:
                if named.credit_code and cleaned["credit_code"] and named.credit_code != cleaned["credit_code"]:
                    result.failed += 1
                    result.issues.append(RowIssue(
                        row.line, label("name"),
                        f"名称“{cleaned['name']}”已登记，但信用代码是{named.credit_code}，与本行的"
                        f"{cleaned['credit_code']}不同；请核对后再导入。", cleaned["name"]))
                    continue
                existing = named
        if existing is not None and imported_since is not None and existing.created_at >= imported_since \
                and existing.created_by_id == getattr(actor, "pk", None):
            result.failed += 1
            result.issues.append(RowIssue(
                row.line, "", f"与文件中前面的一行重复（该主体已由本次导入新增为“{existing.name}”），本行未导入。",
                cleaned["name"]))
            continue
        if existing is not None:
            if existing.merged_into_id:
                result.warnings.append(RowIssue(row.line, "", f"该主体已合并到另一记录，本行更新的是合并前的记录“{existing.name}”。"))
            updates.append((row, cleaned, existing))
            continue
        if cleaned["name"] in batch_names:
            result.failed += 1
            result.issues.append(RowIssue(row.line, label("name"), f"名称与第{batch_names[cleaned['name']]}行相同但信用代码不同，本行未导入。",
                                          cleaned["name"]))
            continue
        batch_names[cleaned["name"]] = row.line
        parts = cleaned["parts"]
        for other_pk, other_name, other_code in by_trade.get((parts["trade_name"], parts["name_region"]), []):
            reason = _same_reason(cleaned, other_name, other_code)
            if reason:
                result.warnings.append(RowIssue(
                    row.line, label("name"),
                    f"可能与已有主体“{other_name}”（编号{other_pk}）是同一主体：{reason}。已作为新主体导入，请核对后合并。",
                    cleaned["name"]))
                break
        creates.append((row, cleaned))

    if dry_run:
        result.created = len(creates)
        for _row, cleaned, org in updates:
            changed = any(getattr(org, f) != cleaned[f] for f in IMPORTED_FIELDS if f in cleaned)
            result.updated += int(changed)
            result.unchanged += int(not changed)
        return result

    if creates:
        ids = _insert_organisations(creates, parents, actor=actor, source=source, result=result,
                                    defer_index=defer_index)
        result.created = len(ids)
        result.organisation_ids += ids
        audit_record(actor=actor, instance=None, action=AuditAction.CREATE, model_label="organisations.organisation",
                     note=f"数据导入新增{len(ids)}个主体（编号{ids[0]}—{ids[-1]}），来源：{source}"[:300])

    reindex = []
    known_aliases: dict[int, set[str]] = {}
    for org_id, alias in OrganisationAlias.objects.filter(
            organisation_id__in=[org.pk for _, _, org in updates]).values_list("organisation_id", "name"):
        known_aliases.setdefault(org_id, set()).add(alias)
    for _row, cleaned, org in updates:
        before = snapshot(org, IMPORTED_FIELDS)
        changes = {f: cleaned[f] for f in IMPORTED_FIELDS if f in cleaned and cleaned[f] not in ("", None, False)
                   and getattr(org, f) != cleaned[f]}
        new_aliases = [n for n in cleaned["short_names"] + cleaned["former_names"]
                       if n not in known_aliases.get(org.pk, set())]
        if not changes and not new_aliases:
            result.unchanged += 1
            continue
        if "name" in changes:
            changes.update(cleaned["parts"])
        for f, v in changes.items():
            setattr(org, f, v)
        org.version += 1
        org.save()
        for n in new_aliases:
            kind = AliasKind.SHORT if n in cleaned["short_names"] else AliasKind.FORMER
            OrganisationAlias.objects.get_or_create(organisation=org, name=n, defaults={"kind": kind})
        reindex.append(org.pk)
        audit_record(actor=actor, instance=org, action=AuditAction.UPDATE,
                     changes=diff(before, snapshot(org, IMPORTED_FIELDS)), note=f"数据导入：{source}"[:300])
        result.updated += 1
        result.organisation_ids.append(org.pk)
    if reindex:
        index_organisations(reindex)
    return result


_LOOKUP_CHUNK = 5_000  # values per IN list: within both databases' limits on parameters


@contextlib.contextmanager
def _by_index(cursor):
    """PostgreSQL: read the next lookups through their indexes. For thousands of values the planner
    prefers a (parallel) scan of the whole table, which it estimates cheaper than as many index
    lookups up to about a million rows; but the lookups' pages are in memory and the scan grows with
    the table, so during a large import every batch read the whole library four times and the
    import's time grew with the square of its rows. set_config(…, true) is SET LOCAL: it would end
    with the caller's transaction (every caller runs in one); it is put back right after anyway."""
    if connection.vendor != "postgresql":
        yield
        return
    cursor.execute("SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)")
    previous = cursor.fetchone()[0]
    yield
    # Put back only after the lookups succeeded: after a failed one the transaction is aborted (the
    # statement would hide the real error) and its rollback ends the setting anyway.
    cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])


def _select_in(cursor, select: str, column: str, values: list) -> list[tuple]:
    """`select` WHERE column (an indexed one) is one of `values`, read through its index. PostgreSQL
    takes the values as one array parameter (= ANY(%s)): an IN list of 5,000 placeholders cost the
    client more to parse (psycopg splits the query text on every call) than the server took to
    answer it."""
    rows: list[tuple] = []
    with _by_index(cursor):
        for start in range(0, len(values), _LOOKUP_CHUNK):
            chunk = values[start:start + _LOOKUP_CHUNK]
            if connection.vendor == "postgresql":
                cursor.execute(f"{select} WHERE {column} = ANY(%s)", [chunk])
            else:
                cursor.execute(f"{select} WHERE {column} IN ({', '.join(['%s'] * len(chunk))})", chunk)
            rows += cursor.fetchall()
    return rows


def _existing(column: str, values: list[str]) -> list[Organisation]:
    """The organisations whose `column` (credit_code or name: both indexed) is one of `values`, in
    name order. The ids come from plain SQL first: for a batch of 10,000 rows, the ORM spends longer
    preparing the IN list than the database spends answering it, and a fresh load matches nothing."""
    if not values:
        return []
    with connection.cursor() as cursor:
        ids = [row[0] for row in _select_in(cursor, "SELECT id FROM organisations_organisation", column, values)]
    return list(Organisation.objects.filter(pk__in=ids)) if ids else []


def _same_trade_name(valid: list[tuple[OrgRow, dict]]) -> dict[tuple[str, str], list[tuple[int, str, str | None]]]:
    """Existing organisations with the same 字号 and the same region in their name as a row of this
    batch, up to three each, in one query: the candidates a new row is compared with before it is
    added. The verdict "same" needs both to agree, and the pair is selective where a popular 字号
    alone would pull thousands of rows (the composite index serves it)."""
    pairs = sorted({(c["parts"]["trade_name"], c["parts"]["name_region"]) for _, c in valid
                    if len(c["parts"]["trade_name"]) >= 2})
    found: dict[tuple[str, str], list[tuple[int, str, str | None]]] = {}
    if not pairs:
        return found
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The pairs themselves, one lookup each on the composite index (an array parameter per
            # column): the 字号 alone would also read every organisation of a popular 字号 elsewhere,
            # tens of thousands of rows a batch late in a large import.
            with _by_index(cursor):
                cursor.execute(
                    "SELECT o.id, o.trade_name, o.name_region, o.name, o.credit_code, o.merged_into_id "
                    "FROM unnest(%s::text[], %s::text[]) AS v(trade_name, name_region) "
                    "JOIN organisations_organisation o ON o.trade_name = v.trade_name AND o.name_region = v.name_region",
                    [[t for t, _ in pairs], [r for _, r in pairs]])
                rows = sorted(cursor.fetchall())
        else:
            # Two steps, both on the composite index: the (字号, region, id) triples of these 字号
            # (read from the index alone), then the few rows whose region matches too.
            wanted = set(pairs)
            ids = [pk for trade_name, region, pk in _select_in(
                cursor, "SELECT trade_name, name_region, id FROM organisations_organisation", "trade_name",
                sorted({t for t, _ in pairs})) if (trade_name, region) in wanted]
            rows = sorted(_select_in(
                cursor, "SELECT id, trade_name, name_region, name, credit_code, merged_into_id "
                "FROM organisations_organisation", "id", ids)) if ids else []
    for pk, trade_name, region, name, code, merged_into in rows:
        bucket = found.setdefault((trade_name, region), [])
        if merged_into is None and len(bucket) < 3:
            bucket.append((pk, name, code))
    return found


def _same_reason(cleaned: dict, other_name: str, other_code: str | None) -> str:
    """Why a new row is probably an organisation already in the library ('' if it is not). Only the
    verdict "same" is reported: the same 字号 in another city is usually another company."""
    outcome = names.compare(cleaned["name"], other_name, code_a=cleaned["credit_code"], code_b=other_code)
    return (outcome.reason or "名称要素相同") if outcome.verdict == "same" else ""


ORG_COLUMNS = [
    "id", "name", "credit_code", "org_code", "kind", "region", "industry_section", "size", "is_fortune500",
    "is_specialised", "is_listed", "source", "description", "is_sample", "is_archived", "trade_name", "name_region",
    "name_industry", "name_form", "parent_id", "merged_into_id", "search_text", "created_by_id", "created_at",
    "updated_at", "version",
]


def _reserve_ids(count: int) -> list[int]:
    """Primary keys for a batch of new rows, so one executemany inserts them and their postings can be
    written without reading the rows back. PostgreSQL hands them out from the sequence; on SQLite the
    import's IMMEDIATE transaction already holds the write lock, so max(id) cannot move under us."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence('organisations_organisation', 'id')) "
                           "FROM generate_series(1, %s)", [count])
            return [row[0] for row in cursor.fetchall()]
        # AUTOINCREMENT never reuses the id of a deleted row; neither may we.
        cursor.execute("SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = "
                       "'organisations_organisation'), 0), COALESCE((SELECT MAX(id) FROM organisations_organisation), 0))")
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def _insert_organisations(creates, parents: dict[str, int], *, actor, source: str, result: BatchResult,
                          defer_index: bool = False) -> list[int]:
    now = timezone.now()
    # Adapted for the database once, not twice a row (SQLite's adapter formats it each time).
    stamp = connection.ops.adapt_datetimefield_value(now)
    actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
    ids = _reserve_ids(len(creates))
    org_rows, alias_rows, postings = [], [], []
    for pk, (row, cleaned) in zip(ids, creates, strict=True):
        parent_id = parents.get(cleaned["parent_name"])
        if cleaned["parent_name"] and parent_id is None:
            result.warnings.append(RowIssue(row.line, label("parent_name"),
                                            f"所属总公司“{cleaned['parent_name']}”不在目标库中，未建立关联。",
                                            cleaned["parent_name"]))
        parts = cleaned["parts"]
        text = cleaned["search_text"]
        org_rows.append((
            pk, cleaned["name"], cleaned["credit_code"], cleaned["org_code"], cleaned["kind"], cleaned["region"],
            cleaned["industry_section"], cleaned["size"], cleaned["is_fortune500"], cleaned["is_specialised"],
            cleaned["is_listed"], cleaned["source"] or source, cleaned["description"], False, False,
            parts["trade_name"], parts["name_region"], parts["name_industry"], parts["name_form"], parent_id, None,
            text, actor_id, stamp, stamp, 1,
        ))
        alias_rows += [(pk, n, AliasKind.SHORT.value) for n in cleaned["short_names"]]
        alias_rows += [(pk, n, AliasKind.FORMER.value) for n in cleaned["former_names"] if n not in cleaned["short_names"]]
        name_len = min(len(terms_of(text)[0]), 32767)
        if defer_index:
            postings.append((cleaned["index_keys"], name_len, pk))  # search.pending_row's shape
        else:
            postings += [(key, name_len, pk) for key in json.loads(cleaned["index_keys"])]
    copy_rows("organisations_organisation", ORG_COLUMNS, org_rows)
    if alias_rows:
        copy_rows("organisations_organisationalias", ("organisation_id", "name", "kind"), alias_rows)
    if defer_index:
        write_pending(postings)
    else:
        postings.sort()  # in key order the inserts walk the index instead of jumping about it
        write_postings(postings)
    return ids


def tune_connection_for_bulk() -> None:
    """A bigger page cache for the import's connection: the index B-tree then stays in memory."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -65536")  # 64 MiB, within the import's 500 MB budget
            # Pages touched through mmap count in the process's resident memory too; an import
            # touches the whole index, so it reads through the (bounded) cache instead.
            cursor.execute("PRAGMA mmap_size = 0")


# --- secondary indexes during a first load ---------------------------------------------------------
#
# Every index of the organisation and alias tables is updated row by row as a batch is written; on
# PostgreSQL that was 38% of a million-row import's rows phase. Into an empty or small library it is
# far cheaper to build the indexes once over the loaded rows, so a large import drops those that no
# import lookup reads (it keeps the primary keys, the unique credit code and alias constraints, the
# name index and the 字号 + region index) and builds them again at its end. Meanwhile the app keeps
# working: the queries those indexes serve (a parent's branches, 组织机构代码, an alias by name…) are
# slower, never wrong. The statements come from the models, as the migrations made them (same names),
# and are re-created with IF NOT EXISTS, so restoring is idempotent: the import's end, the stale-job
# sweep, resume and `manage.py import_organisations --repair-indexes` may all run it.

def _kept_during_load(editor) -> set[str]:
    table = Organisation._meta.db_table
    return {editor._create_index_name(table, ["name"], suffix=""), "org_trade_name_region"}


def deferrable_indexes() -> list[tuple[str, str]]:
    """(index name, CREATE INDEX IF NOT EXISTS …) of the organisation and alias tables' secondary
    indexes that an import does not read."""
    # Not entered as a context manager: SQLite's editor would switch foreign keys off (impossible
    # inside a transaction); only the statements are wanted.
    editor = connection.schema_editor(collect_sql=True)
    kept = _kept_during_load(editor)
    out = []
    for model in (Organisation, OrganisationAlias):
        for statement in editor._model_indexes_sql(model):
            name = str(statement.parts["name"]).strip('"')
            sql = str(statement)
            if name in kept or not sql.startswith("CREATE INDEX "):
                continue
            out.append((name, sql.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)))
    return out


def _present_indexes() -> set[str]:
    with connection.cursor() as cursor:
        names = set()
        for model in (Organisation, OrganisationAlias):
            names |= {name for name, info in connection.introspection.get_constraints(
                cursor, model._meta.db_table).items() if info["index"]}
        return names


def missing_indexes() -> list[str]:
    """The deferrable indexes not in the database now (dropped by an import that has not ended)."""
    present = _present_indexes()
    return [name for name, _ in deferrable_indexes() if name not in present]


def _fire_deferred_checks(cursor) -> None:
    """PostgreSQL refuses to create or drop an index of a table with deferred foreign-key checks
    still queued in the transaction (only possible when the caller wraps the import in one, as the
    tests do): run them now, and defer again the constraints Django declares deferred."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def drop_deferrable_indexes() -> list[str]:
    """Drop the indexes an import does not read (see above); returns their names. Each DROP is
    committed at once: holding PostgreSQL's exclusive lock on the table for longer would stop readers."""
    dropped = []
    present = _present_indexes()
    for name, _ in deferrable_indexes():
        if name in present:
            with transaction.atomic(), connection.cursor() as cursor:
                _fire_deferred_checks(cursor)
                cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(name)}")
            dropped.append(name)
    return dropped


def restore_deferrable_indexes() -> list[str]:
    """Build again whichever deferrable index is missing; returns their names. Idempotent."""
    built = []
    present = _present_indexes()
    for name, sql in deferrable_indexes():
        if name in present:
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            _fire_deferred_checks(cursor)
            if connection.vendor == "postgresql":
                # A sort of a million keys in memory instead of on disk (the server's memory, freed
                # when the statement ends; the default is 64 MB).
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cursor.execute(sql)
        built.append(name)
    return built
