"""Match verdicts on a labelled set of name pairs (tests/data/match_pairs.csv).

The labels were set by hand per kind of variation, not copied from compare(): full-width / half-width,
traditional characters, spaces, brackets, the 字号+行业(地区)+组织形式 order, 有限公司 vs 有限责任公司,
简称 and "(以下简称…)" notes, former-name-like changes, branches, credit codes; and near-misses
(one character of 字号 changed, same industry with another 字号, the same 字号 in another city)."""

import csv
from pathlib import Path

import pytest

from apps.organisations.names import compare

PAIRS_FILE = Path(__file__).parent / "data" / "match_pairs.csv"


def _pairs():
    with PAIRS_FILE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


PAIRS = _pairs()


def test_the_labelled_set_is_large_and_covers_every_verdict():
    assert len(PAIRS) >= 220
    verdicts = [row["verdict"] for row in PAIRS]
    assert {v: verdicts.count(v) >= 50 for v in ("same", "likely", "different")} == {
        "same": True, "likely": True, "different": True,
    }
    notes = [row["note"] for row in PAIRS]
    assert len(set(notes)) == len(notes)


@pytest.mark.parametrize("row", PAIRS, ids=[row["note"] for row in PAIRS])
def test_pair_verdict(row):
    result = compare(row["a"], row["b"], code_a=row["code_a"] or None, code_b=row["code_b"] or None)
    assert result.verdict == row["verdict"], result.reason
    assert 0.0 <= result.score <= 1.0
    assert result.reason
    # the verdict does not depend on which side is which
    flipped = compare(row["b"], row["a"], code_a=row["code_b"] or None, code_b=row["code_a"] or None)
    assert (flipped.verdict, flipped.score) == (result.verdict, result.score)


def test_scores_order_candidates_same_before_likely_before_different():
    query = "北京信技源信息服务有限公司"
    candidates = [
        "北京信达源信息服务有限公司",            # different: one character of 字号
        "上海信技源信息服务有限公司",            # likely: another city
        "北京信技源信息服务有限责任公司",        # same: only the form differs
        "北京博远信息服务有限公司",              # different: another 字号
        "北京信技源信息服务有限公司重庆分公司",  # likely: a branch
        "北京信技源",                            # likely: region + 字号
        "北京信技源信息服務有限公司",            # same: traditional characters
    ]
    results = {c: compare(query, c) for c in candidates}
    ranked = sorted(candidates, key=lambda c: results[c].score, reverse=True)
    verdicts = [results[c].verdict for c in ranked]
    assert verdicts == ["same", "same", "likely", "likely", "likely", "different", "different"]
    # within a verdict, closer is higher
    assert results["北京信技源信息服務有限公司"].score > results["北京信技源信息服务有限责任公司"].score
    assert results["北京信技源"].score > results["上海信技源信息服务有限公司"].score
    assert results["北京信达源信息服务有限公司"].score > results["北京博远信息服务有限公司"].score
    assert min(r.score for r in results.values() if r.verdict == "same") >= 0.9
    assert max(r.score for r in results.values() if r.verdict == "different") < 0.6


def test_reasons_are_chinese_sentences_a_user_can_read():
    assert compare("甲", "乙", code_a="91110000600037341L", code_b="91110000600037341L").reason == "统一社会信用代码相同"
    assert compare("北京信技源信息服务有限公司", "北京信技源信息服务有限责任公司").reason == "字号、地区相同，组织形式不同"
    assert "分公司" in compare("北京信技源信息服务有限公司", "北京信技源信息服务有限公司重庆分公司").reason
    assert "信技源/信达源" in compare("北京信技源信息服务有限公司", "北京信达源信息服务有限公司").reason


def test_regions_given_beside_the_names_separate_same_trade_names():
    a, b = "信技源信息服务有限公司", "信技源信息服务有限责任公司"
    assert compare(a, b).verdict == "same"
    assert compare(a, b, region_a="北京", region_b="北京市").verdict == "same"
    different_place = compare(a, b, region_a="九龙坡区", region_b="长寿区")
    assert different_place.verdict == "likely"
    assert "地区" in different_place.reason


def test_empty_names_are_different_from_everything():
    assert compare("", "北京信技源信息服务有限公司").verdict == "different"
    assert compare("   ", "  ").verdict == "different"
