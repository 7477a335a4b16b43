import time

import pytest

from apps.fairness.check import check_text, fold, ruleset, source
from apps.fairness.tests.corpus import HELD_OUT, LABELLED


def measure(labelled):
    """(true positives, false positives, false negatives, flagged with another rule than expected)."""
    tp = fp = fn = other_rule = 0
    for sentence, expected in labelled:
        rule_ids = [finding.rule_id for finding in check_text(sentence)]
        if expected and rule_ids:
            tp += 1
            other_rule += expected not in rule_ids
        elif expected:
            fn += 1
        elif rule_ids:
            fp += 1
    return tp, fp, fn, other_rule


def test_the_labelled_corpus_is_large_and_mixed():
    assert len(LABELLED) + len(HELD_OUT) >= 40
    assert sum(1 for _, rule in LABELLED + HELD_OUT if rule is None) >= 20
    known = {rule.id for rule in ruleset().rules}
    assert {rule for _, rule in LABELLED + HELD_OUT if rule} <= known


def test_precision_and_recall_on_the_sentences_the_rules_were_written_against():
    tp, fp, fn, other_rule = measure(LABELLED)
    # 55 terms, 44 allowed sentences. Before 一企一策 without a firm and land at a share of 评估价/基准地价
    # were added: 48 found, 3 allowed flagged ("不低于/不得低于基准地价的70%", 村级一事一议奖补) — precision
    # 0.94, recall 0.87. Still missed: "区级分成…给予企业发展资金" (no reward word for the context).
    assert (tp, fp, fn, other_rule) == (54, 0, 1, 0)


def test_precision_and_recall_on_sentences_the_rules_never_saw():
    tp, fp, fn, other_rule = measure(HELD_OUT)
    # measured: 8 of 10 terms found (missed "城镇土地使用税…返还" and "租金前两年全免"), none of the 9
    # allowed sentences flagged, each hit under the expected rule. With the rules before the last change:
    # 3 found, 3 allowed flagged (precision 0.5, recall 0.3).
    assert (tp, fp, fn, other_rule) == (8, 0, 2, 0)
    assert tp / (tp + fp) == 1.0
    assert tp / (tp + fn) == 0.8


@pytest.mark.parametrize("sentence", [
    "乙方依法享受国家统一的税收优惠政策。",
    "乙方可按国家规定享受软件产品增值税即征即退政策。",
    "政策措施不得给予特定经营者税收返还。",
])
def test_national_uniform_policy_and_prohibitions_are_not_flagged(sentence):
    assert check_text(sentence) == []


def test_the_national_exemption_only_covers_its_own_clause():
    text = "除依法享受国家统一的税收优惠政策外，甲方另按乙方实际缴纳税收的30%予以返还。"
    [finding] = check_text(text)
    assert finding.rule_id == "tax-rebate"
    assert finding.article == "第十条第（一）项"
    assert text[finding.start:finding.end] == finding.matched
    assert "返还" in finding.matched


def test_instant_refund_is_flagged_only_for_a_named_firm():
    assert check_text("软件企业增值税即征即退政策由税务机关统一办理。") == []
    [finding] = check_text("甲方承诺重庆骅远软件有限公司增值税即征即退部分由区财政补足。")
    assert finding.rule_id == "vat-refund-firm"
    assert finding.severity == "提示"


def test_one_firm_policy_is_flagged_without_a_firm_or_a_reward_named():
    [finding] = check_text("对固定资产投资10亿元以上的项目实行一企一策。")
    assert (finding.rule_id, finding.matched) == ("one-firm-policy", "一企一策")
    # the same words naming a per-firm pollution or safety plan, or the village public-works scheme
    assert check_text("对排污重点企业实行“一企一策”治理。") == []
    assert check_text("村级公益事业建设一事一议财政奖补资金按上级规定使用。") == []


@pytest.mark.parametrize(("sentence", "matched"), [
    ("土地出让价格按评估价的30%执行。", "土地出让价格按评估价的30%"),
    ("乙方项目用地出让价格按基准地价的50%确定。", "用地出让价格按基准地价的50%"),
    ("工业用地按评估价的三折出让给乙方。", "用地按评估价的三折"),
    ("出让价格按基准地价的69.5%确定。", "出让价格按基准地价的69.5%"),
])
def test_land_priced_at_a_small_share_of_its_value_is_flagged(sentence, matched):
    [finding] = check_text(sentence)
    assert (finding.rule_id, finding.matched) == ("below-cost-land", matched)


@pytest.mark.parametrize("sentence", [
    "协议出让价格不低于基准地价的70%。",  # the national floor itself
    "出让底价不得低于基准地价的70%。",
    "土地出让价格按基准地价的70%确定。",
    "出让价格按基准地价的100%确定。",
    "按评估价确定出让底价。",
    "竞买保证金按基准地价的20%缴纳。",  # a deposit, not the price
    "闲置设备按评估价的50%作价转让。",  # not land
])
def test_land_prices_at_or_above_the_lawful_share_are_not_flagged(sentence):
    assert check_text(sentence) == []


def test_traditional_and_full_width_text_points_back_into_the_original():
    text = "第一條　總則。甲方對乙方實行稅收返還，期限５年；乙方以ＺＥＲＯ成本取得零地價用地。"
    findings = check_text(text)
    assert [f.rule_id for f in findings] == ["tax-rebate", "zero-land-price"]
    assert [text[f.start:f.end] for f in findings] == ["稅收返還", "零地價"]
    assert findings[0].sentence == "甲方對乙方實行稅收返還，期限５年；"
    assert findings[0].offset_in_sentence == findings[0].sentence.index("稅收返還")


def test_fold_maps_each_folded_character_to_its_origin():
    folded, origin = fold("（稅）ＡＢ")
    assert folded == "(税)AB"
    assert origin == [0, 1, 2, 3, 4, 5]


def test_one_finding_per_sentence_and_article_item():
    findings = check_text("甲方按乙方缴纳增值税地方留成部分的50%给予奖励。甲方另给予乙方设备补贴200万元。")
    assert [(f.rule_id, f.article) for f in findings] == [
        ("tax-linked-reward", "第十条第（二）项"), ("subsidy-firm", "第十条第（二）项"),
    ]
    assert findings[1].sentence == "甲方另给予乙方设备补贴200万元。"


def test_empty_and_harmless_text():
    assert check_text("") == []
    assert check_text("   \n ") == []
    assert check_text("甲方协助乙方办理项目立项、环评、能评等手续。") == []


def test_a_long_agreement_is_checked_quickly():
    paragraph = ("甲方协助乙方办理项目立项、环评、能评等手续，乙方承诺项目固定资产投资不低于10亿元。"
                 "甲方对乙方实行税收返还。")
    text = paragraph * 2000  # about 110,000 characters
    began = time.perf_counter()
    findings = check_text(text)
    assert len(findings) == 2000
    assert time.perf_counter() - began < 2  # measured about 0.3 s


def test_the_rules_record_their_source():
    info = source()
    assert info["number"] == "中华人民共和国国务院令第783号"
    assert info["in_force"] == "2024-08-01"
    for rule in ruleset().rules:
        assert rule.article.startswith(("第八条", "第九条", "第十条", "第十一条"))
        assert rule.severity in ("需审查", "提示")
        assert rule.explanation
