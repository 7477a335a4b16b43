"""The rules added so the engine generalises beyond the texts it was first tuned on (issue 7, second round).
Each test is a short sentence of our own, written for the rule it checks."""

import datetime

from apps.intelligence.extract import extract
from apps.intelligence.extract.evaluate import _match, _same_name
from apps.organisations.names import search_form

DAY = datetime.date(2025, 10, 20)


def _projects(text, published=DAY):
    return [(p.name, p.region, p.value, p.chain_role) for p in extract(text, published=published).projects]


def _orgs(text):
    return extract(text).to_json()["orgs"]


# --- projects ---------------------------------------------------------------------------------


def test_facility_named_without_xiangmu_is_a_project():
    got = _projects("重庆某某科技有限公司将在铜梁区建设高端轴承智能制造基地,计划投资9亿元。")
    assert got == [("高端轴承智能制造基地", "铜梁区", 900_000_000, "")]
    got = _projects("会上,某某大学与南岸区签约,双方将共建先进光电材料中试中心。")
    assert [g[:2] for g in got] == [("先进光电材料中试中心", "南岸区")]


def test_facility_after_de_keeps_only_its_own_name():
    got = _projects("某某精工股份有限公司增资2000万美元,扩建其位于綦江区的西南精密铸件生产中心。")
    assert [g[0] for g in got] == ["西南精密铸件生产中心"]


def test_a_goal_to_build_a_centre_is_not_a_project():
    assert _projects("我市将加快建设西部金融中心,打造全国重要的先进制造业基地。") == []


def test_xiangmu_as_an_ordinary_word_is_no_project():
    assert _projects("全区始终坚持“项目为王”,每季度调度一次项目推进情况。") == []
    assert _projects("基金将重点投向成渝地区的先进制造项目。") == []
    assert _projects("为每个签约项目建立“一项目一专班”服务机制。") == []
    assert _projects("公司将加快推进项目建设,做好项目服务保障。") == []


def test_xiangmu_inside_an_event_name_is_no_project():
    text = "当日,巴南区举行外资企业项目集中签约活动,签约项目6个,总投资30亿元。"
    assert _projects(text) == []
    assert [e.name for e in extract(text, published=DAY).events] == ["巴南区举行外资企业项目集中签约活动"[5:]]


def test_a_short_second_mention_is_the_same_project():
    text = "某某电子有限公司投资6亿元建设新型柔性电路板生产线项目。据介绍,柔性电路板项目由专班跟踪推进。"
    assert [p[0] for p in _projects(text)] == ["新型柔性电路板生产线项目"]


def test_quoted_chain_role_is_no_project_and_goes_to_the_real_one():
    text = "合川区引进的某某传动股份有限公司精密减速机项目,计划投资7亿元,属于“补链”项目。"
    assert _projects(text) == [("精密减速机项目", "合川区", 700_000_000, "补链")]


def test_chain_role_said_later_in_the_paragraph():
    text = ("某某材料有限公司将在涪陵区投资30亿元,建设高纯电子气体项目。“我们看好这里。”企业负责人说。"
            "该项目将补齐区内电子化学品环节,是典型的“延链”。")
    assert _projects(text) == [("高纯电子气体项目", "涪陵区", 3_000_000_000, "延链")]


def test_investment_beats_output_figure():
    text = "某某食品有限公司将在荣昌区投资12亿元,建设调味品智能工厂项目,达产后年产值约30亿元,年税收1亿元。"
    assert _projects(text) == [("调味品智能工厂项目", "荣昌区", 1_200_000_000, "")]
    text = "投资约2.4亿,建设火锅底料加工项目,预计年产值6亿元以上。"
    assert [p[2] for p in _projects(text)] == [240_000_000]


def test_project_region_from_the_region_the_article_is_about():
    text = ("开州区今年签约项目30个。\n开州区投资促进中心介绍,开州区正在加快建设。\n"
            "与此同时,汉丰湖文旅综合体三期项目正加快建设。")
    assert _projects(text) == [("汉丰湖文旅综合体三期项目", "开州区", None, "")]


# --- amounts and pairs ------------------------------------------------------------------------


def test_size_ranges_are_thresholds_not_pairs():
    result = extract("从规模看,100亿元以上项目1个,20亿元至100亿元项目5个,5亿元到20亿元的项目12个。")
    assert result.pairs == []
    assert {a.kind for a in result.amounts} == {"threshold"}


def test_output_figures_and_goals_make_no_pairs():
    assert extract("累计引进500强企业投资项目31个,外资企业工业总产值超过900亿元。").pairs == []
    assert extract("力争全年新签约项目60个以上,协议投资额突破500亿元。").pairs == []


def test_threshold_group_with_its_own_sum_is_a_pair():
    text = "本次签约项目40个,总投资320亿元。其中,10亿元以上项目8个,投资额合计210.5亿元,5亿元以上项目12个。"
    assert [[p.count, p.value] for p in extract(text).pairs] == [[40, 32_000_000_000], [8, 21_050_000_000]]


def test_bare_trillion_amount():
    assert extract("全市规上工业产值突破万亿元。").to_json()["amounts"] == [[10**12, "CNY"]]
    assert extract("打造“万亿之城”").to_json()["amounts"] == []


# --- organisations ----------------------------------------------------------------------------


def test_branch_company_is_its_own_name():
    assert _orgs("某某银行股份有限公司成都分行与某某保险有限公司四川分公司签约。") == [
        "某某银行股份有限公司成都分行", "某某保险有限公司四川分公司"]


def test_descriptive_prefix_before_a_company_is_dropped():
    assert _orgs("港交所上市公司鸿运物流集团有限公司昨日公告。") == ["鸿运物流集团有限公司"]


def test_university_institute_in_another_city():
    assert _orgs("会后,沙坪坝区与浙江大学杭州国际科创研究院达成合作。") == ["浙江大学杭州国际科创研究院"]


def test_foreign_forms():
    assert _orgs("日本精机株式会社与德国汉斯公司、Müller Technik GmbH和Acme Robotics Inc.签约。") == [
        "日本精机株式会社", "德国汉斯公司", "Müller Technik GmbH", "Acme Robotics Inc."]
    assert _orgs("一家来自美国的公司和美国一家公司") == []


# --- regions, dates, events -------------------------------------------------------------------


def test_national_new_area_is_a_region():
    got = extract("推介会在河北雄安新区举行,贵安新区也派员参加。").to_json()["region_details"]
    assert [(r["name"], r["province"]) for r in got] == [("雄安新区", "河北省"), ("贵安新区", "贵州省")]


def test_same_day_refers_to_the_day_named_before():
    text = "某某集团昨日公告了此事。同日,两江新区举行外资项目签约仪式,签约项目5个,总投资20亿元。"
    (event,) = extract(text, published=datetime.date(2025, 11, 12)).events
    assert event.date == datetime.date(2025, 11, 11)


def test_event_takes_the_date_written_next_to_it():
    text = "新华网10月9日电 10月8日,2025渝黔产业合作推介会在贵阳举行。"
    (event,) = extract(text, published=datetime.date(2025, 10, 9)).events
    assert event.date == datetime.date(2025, 10, 8)


def test_events_told_of_in_passing_are_not_events():
    text = "10月9日,綦江区秋季项目集中签约活动举行。邻近的南川区、万盛也在本月相继举行了项目签约活动。"
    assert [e.name for e in extract(text, published=DAY).events] == ["綦江区秋季项目集中签约活动"]


def test_month_only_dates():
    got = extract("今年3月,该项目开工;2024年12月份完成备案。", published=DAY).to_json()
    assert got["months"] == ["2025-03", "2024-12"]
    assert got["dates"] == []


def test_undated_article_takes_its_year_from_the_text():
    (event,) = extract("2026年渝港经贸合作推介会于4月18日在香港举行。").events
    assert event.date == datetime.date(2026, 4, 18)


# --- evaluation -------------------------------------------------------------------------------


def test_evaluation_folds_names_like_the_engine():
    assert search_form("德盛實業（香港）有限公司") == search_form("德盛实业(香港)有限公司")
    assert _same_name("西部智能物流總部項目", "西部智能物流总部项目")
    assert _match(["华星控股集团有限公司"], ["華星控股集團有限公司"],
                  lambda p, e: search_form(p) == search_form(e)) == 1


def test_two_character_name_after_yu_for_groups_and_universities():
    assert _orgs("会上,区政府与华润集团签署协议,璧山区与四川大学共建实验室。") == ["华润集团", "四川大学"]
