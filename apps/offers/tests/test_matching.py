import datetime
from decimal import Decimal

import pytest

from apps.offers import matching, services
from apps.offers.matching import Book, Need, ParkRow, PolicyRow, SiteRow, UnitRow, rank_book

pytestmark = pytest.mark.django_db

A, B = UnitRow(1, "甲区"), UnitRow(2, "乙区")


def _book(**extra):
    return Book(
        units=[A, B],
        parks=[ParkRow(1, 1, "甲园", frozenset({7}), ("智能网联新能源汽车",), "热管理系统、汽车电子")],
        sites=[SiteRow(1, 1, "甲厂房", "factory", Decimal(12000), power_kva=5000),
               SiteRow(2, 2, "乙厂房", "factory", Decimal(6000), power_kva=3000),
               SiteRow(3, 2, "乙地块", "land", Decimal(20000), power_kva=3000)],
        policies=[PolicyRow(1, 1, "汽车十条", datetime.date(2025, 1, 1), datetime.date(2027, 12, 31), frozenset({7}),
                            "甲府发〔2025〕3号"),
                  PolicyRow(2, 2, "旧政策", datetime.date(2020, 1, 1), datetime.date(2024, 12, 31), frozenset({7}))],
        **extra)


NEED = Need(cluster_id=7, cluster_name="智能网联新能源汽车", link_name="热管理系统", link_keywords=("热管理",),
            site_kind="factory", area_min=Decimal(8000), area_max=Decimal(15000), power_kva=4000,
            needed_by=datetime.date(2026, 6, 30))


def test_the_fitting_district_comes_first_with_reasons():
    first, second = rank_book(NEED, _book())
    assert first.unit.name == "甲区" and first.score == 100.0
    assert "甲园主导产业含智能网联新能源汽车" in first.reasons
    assert "可用标准厂房12,000平方米，满足8,000–15,000平方米" in first.reasons
    assert "电力容量5,000千伏安 ≥ 需求4,000" in first.reasons
    assert any("汽车十条（甲府发〔2025〕3号）" in r for r in first.reasons)
    assert first.missing == []
    assert [f.site.name for f in first.sites] == ["甲厂房"]


def test_what_is_missing_is_said():
    second = rank_book(NEED, _book())[1]
    assert second.score < 30
    assert "无满足面积的可用标准厂房" in second.missing
    assert "供电容量不足：最大3,000千伏安 < 4,000" in second.missing
    assert "没有以智能网联新能源汽车为主导产业的园区" in second.missing
    # The expired policy does not count on the day the need is due.
    assert "无在有效期内的相关政策" in second.missing


def test_a_site_ready_too_late_is_only_a_partial_fit():
    book = _book()
    book.sites[0] = SiteRow(1, 1, "甲厂房", "factory", Decimal(12000), power_kva=5000,
                            ready_date=datetime.date(2027, 3, 31))
    first = rank_book(NEED, book)[0]
    assert first.fits["space"] == 0.5
    assert any("晚于需要日期" in m for m in first.missing)


def test_a_reserved_site_does_not_count():
    book = _book()
    book.sites[0] = SiteRow(1, 1, "甲厂房", "factory", Decimal(12000), power_kva=5000, status="reserved")
    first = [m for m in rank_book(NEED, book) if m.unit.name == "甲区"][0]
    assert first.fits["space"] == 0.0 and "无可用标准厂房" in first.missing


def test_land_is_talked_about_in_mu():
    need = Need(cluster_id=7, cluster_name="智能网联新能源汽车", site_kind="land", area_min=Decimal(15000))
    match = [m for m in rank_book(need, _book()) if m.unit.name == "乙区"][0]
    assert "可用工业用地30亩（20,000平方米），满足不少于15,000平方米" in match.reasons


def test_criteria_the_need_does_not_state_are_not_judged():
    need = Need(cluster_id=7, cluster_name="智能网联新能源汽车")
    first = rank_book(need, _book())[0]
    assert set(first.fits) == {"cluster", "policy"} and first.score == 100.0


def test_rank_from_the_database_reads_in_a_fixed_number_of_queries(users, units, jlp_offers, cs_offers,
                                                                   clusters, thermal_link,
                                                                   django_assert_max_num_queries):
    need = services.need_create(actor=users["office"], values={
        "title": "热管理基地", "cluster": clusters["智能网联新能源汽车"], "chain_link": thermal_link,
        "site_kind": "factory", "area_min": "8000", "area_max": "15000", "power_kva": 4000})
    need = type(need).objects.select_related("cluster", "chain_link").get(pk=need.pk)
    with django_assert_max_num_queries(7):
        matches = matching.rank(need)
    assert matches[0].unit.name == "九龙坡区"
    assert "九龙坡智能制造产业园主导产业含热管理系统（热管理系统环节）" in matches[0].reasons
    changshou = [m for m in matches if m.unit.name == "长寿区"][0]
    assert "供电容量不足：最大3,000千伏安 < 4,000" in changshou.missing


def test_a_market_term_written_differently_still_counts():
    assert matching.text_hits(["整车厂配套"], "整车厂二级配套、热管理与汽车电子采购") == ["整车厂配套"]
    assert matching.text_hits(["医院采购"], "整车厂二级配套") == []


def test_an_oversize_site_is_a_partial_fit_and_says_so():
    need = Need(cluster_id=7, cluster_name="智能网联新能源汽车", site_kind="factory", area_min=Decimal(5000),
                area_max=Decimal(10000))
    first = [m for m in rank_book(need, _book()) if m.unit.name == "甲区"][0]
    assert first.fits["space"] == 0.7
    assert "可用标准厂房12,000平方米，超出所需上限，需分割或预留" in first.reasons
    assert "无面积合适的可用标准厂房（需5,000–10,000平方米）" in first.missing
