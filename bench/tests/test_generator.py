"""The benchmark data generator: deterministic, unique names and credit codes, valid codes, files
that read back in every encoding offices send, and the proportions a purchased dataset has."""

import collections
import csv
import io
import json
import random
import re

import pytest

from apps.core.codes import validate_uscc
from bench import generator as g

N = 200_000
KIND_LABELS = {"企业", "央企", "高校", "科研院所", "商协会", "智库", "基金"}
SIZES = {"大型", "中型", "小型", "微型", ""}
REGION_STARTS = tuple(sorted({p.city_short for p in g.PLACES} | {p.province_short for p in g.PLACES if p.province}))


@pytest.fixture(scope="module")
def stats():
    """One pass over 200,000 rows, keeping only what the assertions need."""
    names: set[str] = set()
    codes: set[str] = set()
    trade_names: set[str] = set()
    counts: collections.Counter = collections.Counter()
    problems: list[str] = []
    for rec in g.Generator(1).records(N):
        fields = rec[0]
        name, code, org_code, kind, region, section, size, short, former, parent = fields[:10]
        if name in names:
            problems.append(f"duplicate name {name}")
        if parent:
            counts["branch"] += 1
            if parent not in names:  # names holds exactly the rows before this one
                problems.append(f"branch {name} names a parent not generated before it: {parent}")
            if not (name.startswith(parent) and name.endswith("分公司")):
                problems.append(f"branch name {name} does not start with its parent {parent}")
        else:
            if g.canonical_of(name) != rec[1]:
                problems.append(f"variant {name!r} does not fold back to {rec[1]!r}")
            if kind == "企业" and not rec[1].startswith(REGION_STARTS) and "（" not in rec[1]:
                counts["no_region"] += 1
        names.add(name)
        if code:
            if code in codes:
                problems.append(f"duplicate credit code {code}")
            codes.add(code)
        else:
            counts["no_code"] += 1
        if rec[3]:
            trade_names.add(rec[3])
        if org_code or kind not in KIND_LABELS or size not in SIZES or not ("A" <= section <= "T"):
            problems.append(f"bad field in {fields}")
        if not region.endswith(("区", "县", "市")):
            problems.append(f"bad region {region}")
        if any(flag not in ("是", "") for flag in fields[11:14]):
            problems.append(f"bad flag in {fields}")
        counts["short"] += bool(short)
        counts["former"] += bool(former)
        counts["kind:" + kind] += 1
        counts["trad"] += name != name.translate(g._TO_SIMP)
        counts["space"] += " " in name
        counts["width"] += bool(re.search(r"[()Ａ-Ｚ]", name)) and not parent
        counts["order2"] += bool(re.search(r"（[^）]+）(有限|集团|股份)", rec[1])) and not parent
    return {"names": names, "codes": codes, "trade_names": trade_names, "counts": counts, "problems": problems}


def share(stats, key):
    return stats["counts"][key] / N


def test_names_are_unique_and_variants_fold_back(stats):
    assert stats["problems"] == []
    assert len(stats["names"]) == N


def test_credit_codes_unique_and_valid(stats):
    assert len(stats["codes"]) == N - stats["counts"]["no_code"]
    assert 0.07 < share(stats, "no_code") < 0.09
    for code in stats["codes"]:
        assert validate_uscc(code) == code


def test_fast_credit_code_equals_make_uscc():
    rnd = random.Random(5)
    prefixes = ["91110108", "91500107", "12110000", "51500000", "52310115", "91440305"]
    for _ in range(5000):
        prefix, v, ma = rnd.choice(prefixes), rnd.randrange(10**8), rnd.random() < 0.5
        assert g.credit_code(prefix, v, ma) == g.credit_code_slow(prefix, v, ma)
    for v in (0, 1, 10**8 - 1):
        for ma in (False, True):
            assert g.credit_code("91110000", v, ma) == g.credit_code_slow("91110000", v, ma)


def test_distributions_look_like_a_purchased_dataset(stats):
    assert len(stats["trade_names"]) >= 50_000
    assert 0.025 < share(stats, "branch") < 0.035
    assert 0.35 < share(stats, "short") < 0.45
    assert 0.04 < share(stats, "former") < 0.065
    assert 0.03 < share(stats, "width") < 0.07
    assert 0.004 < share(stats, "trad") < 0.02
    assert 0.006 < share(stats, "space") < 0.015
    assert 0.06 < share(stats, "order2") < 0.10
    assert 0.08 < share(stats, "no_region") < 0.13
    others = sum(share(stats, "kind:" + k) for k in ("高校", "科研院所", "商协会", "智库", "基金"))
    assert 0.03 < others < 0.07
    assert share(stats, "kind:央企") > 0.002


def test_every_name_is_gbk_encodable(stats):
    for name in stats["names"]:
        name.encode("gbk")


def test_same_seed_same_rows_and_row_is_pure():
    first = list(g.generate(3000, seed=7))
    assert first == list(g.generate(3000, seed=7))
    assert first != list(g.generate(3000, seed=8))
    assert set(first[0]) == set(g.KEYS)
    gen = g.Generator(7)
    recs = list(gen.records(3000))
    # row i regenerated alone gives the same record unless that index had to be redrawn
    same = sum(gen.row(i) == recs[i] for i in range(3000))
    assert same > 2800
    # and its name is always somewhere in the output at or before i
    names = [r[0][0] for r in recs]
    for i in range(0, 3000, 7):
        assert gen.row(i)[0][0] in names[: i + 1]


def test_name_patterns():
    rows = list(g.generate(20_000, seed=3))
    names = [r["name"] for r in rows]
    assert any(re.fullmatch(r"\S+（北京）有限公司", n) for n in names)  # 字号+行业（地区）+组织形式
    assert any(n.startswith("中国") and n.endswith("集团有限公司") for n in names)
    assert any(n.endswith("大学") for n in names)
    assert any(n.endswith(("研究院", "研究所")) for n in names)
    assert any(n.endswith("商会") for n in names)
    assert any(n.endswith("（有限合伙）") for n in names)
    for row in rows:
        if row["kind"] == "企业" and not row["parent_name"]:
            assert row["name"].strip().endswith(("公司", ")", "）")), row["name"]
        if row["short_names"]:
            assert all(2 <= len(s) <= 8 for s in row["short_names"].split("、"))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_round_trip(tmp_path, encoding):
    path = tmp_path / f"orgs-{encoding}.csv"
    g.write_csv(path, 5000, seed=2, encoding=encoding)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    with open(path, encoding=encoding, newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == list(g.HEADER)
    assert rows[0][:3] == ["名称", "统一社会信用代码", "组织机构代码"]
    expected = [list(r.values()) for r in g.generate(5000, seed=2)]
    assert rows[1:] == expected
    assert any(" " in r[0] for r in rows[1:]) and any(r[9] for r in rows[1:])


def test_xlsx_round_trip(tmp_path):
    import openpyxl
    path = tmp_path / "orgs.xlsx"
    g.write_xlsx(path, 500, seed=4)
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = [[c if c is not None else "" for c in row] for row in wb.active.iter_rows(values_only=True)]
    assert rows[0] == list(g.HEADER)
    assert rows[1:] == [list(r.values()) for r in g.generate(500, seed=4)]


def test_sample_queries_come_from_generated_names():
    orgs_n = 20_000
    queries = g.sample_queries(200, seed=1, orgs_n=orgs_n)
    assert queries == g.sample_queries(200, seed=1, orgs_n=orgs_n)
    assert set(queries) == {"2char", "3char", "tradename", "4plus"}
    assert all(len(v) == 200 for v in queries.values())
    assert all(len(q) == 2 for q in queries["2char"])
    assert all(len(q) == 3 for q in queries["3char"])
    assert all(4 <= len(q) <= 8 for q in queries["4plus"])
    assert all(2 <= len(q) <= 4 for q in queries["tradename"])
    text = "\n".join(g.canonical_of(r["name"]) for r in g.generate(orgs_n, seed=1))
    for cls, items in queries.items():
        missing = [q for q in items if q not in text]
        assert missing == [], cls


def test_command_line_reports_rows_per_second(tmp_path, capsys):
    out = tmp_path / "orgs.csv"
    assert g.main(["--rows", "2000", "--format", "csv", "--encoding", "gb18030", "--out", str(out)]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["rows"] == 2000 and report["rows_per_s"] > 0
    text = out.read_bytes().decode("gb18030")
    assert len(list(csv.reader(io.StringIO(text)))) == 2001


def test_traditional_characters_never_appear_in_canonical_names():
    # canonical_of() can only undo the traditional variant if canonical names never contain its characters
    fixed = (g._UNI_SUBJECTS + g._FIELDS + g._ASSOC_FIELDS + g._THINK_TANKS + g._FUND_KINDS + g._SUFFIXES
             + ("中国", "集团有限公司", "大学", "学院", "职业技术学院", "职业学院", "研究院", "研究所", "技术研究院",
                "协会", "行业协会", "企业商会", "促进会", "学会", "投资基金", "私募基金管理", "股权投资基金管理",
                "创业投资", "资本", "分公司", g._CN_NUMS))
    universe = set(g.POOL) | set("".join(fixed)) | {c for term, _ in g.INDUSTRIES for c in term}
    universe |= {c for p in g.PLACES for c in p.region + "".join(p.prefixes) + p.abbr}
    assert universe & g._TRAD_CHARS == set()
    assert all(g._gbk_ok(c) for c in g._TRAD_CHARS)
