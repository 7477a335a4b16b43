"""A chain map as plain data — the form shared by the shipped files (data/chain-maps/*.json), the
versions' snapshots, JSON import/export and (one row per link) XLSX. Pure Python: no database here.

    {"cluster": "先进材料", "sources": ["…"], "links": [
        {"name": "上游", "keywords": [], "description": "", "source_note": "", "foundation": false,
         "extension": false, "children": [ … ]}, … ]}

A link is named by its path from the top ("上游/关键材料/正极材料"); `flatten` turns the tree into rows in
pre-order (a parent before its children, siblings upstream → downstream) and `validate_rows` checks rows
the way an import needs: every problem, by row number, in Chinese."""

import re
from dataclasses import dataclass, field

SEP = "/"
MAX_NAME = 60
MAX_KEYWORDS = 40
KEYWORD_SPLIT = re.compile(r"[\s,，、;；]+")
YES = {"是", "Y", "y", "yes", "true", "1", "√", "✓"}


@dataclass
class Row:
    number: int  # as the person sees it: the spreadsheet row, or the link's place in a JSON file
    path: list[str]
    keywords: list[str] = field(default_factory=list)
    description: str = ""
    source_note: str = ""
    foundation: bool = False
    extension: bool = False
    id: int | None = None  # the link's id in snapshots, so a restore finds a renamed or moved link

    @property
    def path_text(self) -> str:
        return SEP.join(self.path)


def split_keywords(value) -> list[str]:
    if isinstance(value, list | tuple):
        items = [str(v).strip() for v in value]
    else:
        items = KEYWORD_SPLIT.split(str(value or "").strip())
    seen, out = set(), []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def flag(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip() in YES


def flatten(links: list[dict]) -> list[Row]:
    rows: list[Row] = []

    def walk(items, prefix):
        for item in items:
            path = [*prefix, str(item.get("name", "")).strip()]
            rows.append(Row(
                number=len(rows) + 1, path=path, keywords=split_keywords(item.get("keywords", [])),
                description=str(item.get("description", "") or "").strip(),
                source_note=str(item.get("source_note", "") or "").strip(),
                foundation=flag(item.get("foundation", False)), extension=flag(item.get("extension", False)),
                id=item["id"] if isinstance(item.get("id"), int) else None,
            ))
            children = item.get("children") or []
            if not isinstance(children, list):
                children = []
            walk(children, path)

    walk(links if isinstance(links, list) else [], [])
    return rows


def validate_rows(rows: list[Row]) -> list[str]:
    """Every problem, one Chinese sentence each, naming the row. An empty list means the rows are a map."""
    errors = []
    seen: set[str] = set()
    for row in rows:
        where = f"第{row.number}行"
        if not row.path or any(not part for part in row.path):
            errors.append(f"{where}：层级路径为空或含空的一级（如“上游//材料”），请写成“上游/材料/正极材料”。")
            continue
        if too_long := [p for p in row.path if len(p) > MAX_NAME]:
            errors.append(f"{where}：环节名称“{too_long[0][:20]}…”超过{MAX_NAME}个字，请缩短。")
        text = row.path_text
        if text in seen:
            errors.append(f"{where}：层级路径“{text}”重复出现，每个环节只能写一行。")
            continue
        parent = SEP.join(row.path[:-1])
        if parent and parent not in seen:
            errors.append(f"{where}：上级环节“{parent}”没有在前面的行中出现，请先写上级环节再写“{row.path[-1]}”。")
        if len(row.keywords) > MAX_KEYWORDS:
            errors.append(f"{where}：关键词超过{MAX_KEYWORDS}个，请精简。")
        if long_kw := [k for k in row.keywords if len(k) > 20]:
            errors.append(f"{where}：关键词“{long_kw[0][:20]}…”超过20个字，请拆成短词。")
        if len(row.source_note) > 300:
            errors.append(f"{where}：来源超过300个字，请缩短。")
        seen.add(text)
    return errors


def build_tree(rows: list[Row]) -> list[dict]:
    """Rows (already valid, pre-order) back into the nested form."""
    top: list[dict] = []
    by_path: dict[str, dict] = {}
    for row in rows:
        node = {"name": row.path[-1], "keywords": row.keywords, "description": row.description,
                "source_note": row.source_note, "foundation": row.foundation, "extension": row.extension,
                "children": []}
        if row.id is not None:
            node = {"id": row.id, **node}
        by_path[row.path_text] = node
        parent = SEP.join(row.path[:-1])
        (by_path[parent]["children"] if parent else top).append(node)
    return top


def parse_map(data) -> tuple[dict | None, list[str]]:
    """A map from decoded JSON: (normalised map, []) or (None, errors)."""
    if not isinstance(data, dict) or not isinstance(data.get("links"), list):
        return None, ["文件格式不对：应为一个对象，含“links”列表（可先导出一份作为模板）。"]
    rows = flatten(data["links"])
    errors = [e.replace("行", "个环节", 1) for e in validate_rows(rows)]
    if errors:
        return None, errors
    sources = data.get("sources") or []
    if not isinstance(sources, list):
        sources = [str(sources)]
    return {"cluster": str(data.get("cluster", "")), "sources": [str(s) for s in sources],
            "links": build_tree(rows)}, []
