"""The shared form pieces: the amount box with its unit, and placing a service's refusal on the form."""

from decimal import Decimal

from django import forms

from apps.core.errors import DomainError
from apps.core.forms import AmountField, ChineseFormMixin, apply_domain_error


class InvestmentForm(ChineseFormMixin, forms.Form):
    name = forms.CharField(label="项目名称")
    planned_investment = AmountField(label="计划投资")
    registered_credit_code = forms.CharField(label="注册主体统一社会信用代码", required=False)


def post(text, unit, **extra):
    return InvestmentForm({"name": "测试", "planned_investment_0": text, "planned_investment_1": unit, **extra})


def test_a_number_is_taken_in_the_chosen_unit():
    form = post("5", "亿元")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["planned_investment"] == Decimal("500000000.00")

    form = post("3,000", "万元")
    assert form.is_valid() and form.cleaned_data["planned_investment"] == Decimal("30000000.00")


def test_a_unit_typed_into_the_box_that_disagrees_with_the_select_is_refused():
    form = post("5亿", "万元")
    assert not form.is_valid()
    message = form.errors["planned_investment"][0]
    assert message.startswith("计划投资：") and "亿元" in message and "万元" in message


def test_words_where_a_number_is_expected_are_refused_naming_the_field():
    form = post("五个亿", "万元")
    assert not form.is_valid()
    assert "计划投资：无法识别" in form.errors["planned_investment"][0]


def test_an_empty_optional_amount_is_none_and_a_required_one_says_so():
    form = post("", "万元")
    assert form.is_valid() and form.cleaned_data["planned_investment"] is None

    class Required(forms.Form):
        amount = AmountField(label="签约金额", required=True)

    form = Required({"amount_0": "", "amount_1": "万元"})
    assert not form.is_valid()
    assert form.errors["amount"] == ["签约金额：请填写金额。"]


def test_a_stored_amount_is_shown_back_in_the_unit_that_writes_it_exactly():
    widget = AmountField(label="计划投资").widget
    assert widget.decompress(Decimal("500000000.00")) == ["5", "亿元"]
    assert widget.decompress(Decimal("30000000")) == ["3000", "万元"]
    assert widget.decompress(Decimal("150000000.50")) == ["15000.00005", "万元"]
    assert widget.decompress(Decimal("800")) == ["800", "元"]
    assert widget.decompress(None) == ["", "万元"]
    html = InvestmentForm(initial={"planned_investment": Decimal("500000000")})["planned_investment"].as_widget()
    assert 'value="5"' in html and '<option value="亿元" selected>' in html


def test_required_messages_name_the_field():
    form = InvestmentForm({"planned_investment_0": "", "planned_investment_1": "万元"})
    assert not form.is_valid()
    assert form.errors["name"] == ["请填写项目名称。"]


def test_a_domain_error_lands_on_the_field_it_names_by_name_or_by_label():
    form = post("5", "亿元")
    form.is_valid()
    apply_domain_error(form, DomainError("项目名称：请填写项目名称。", field="name"))
    apply_domain_error(form, DomainError("注册主体统一社会信用代码“X”校验位错误", field="注册主体统一社会信用代码"))
    apply_domain_error(form, DomainError("签约金额：超出范围", field="签约金额（元）"))
    apply_domain_error(form, DomainError("该项目已被他人修改", field=None))
    assert form.errors["name"] == ["项目名称：请填写项目名称。"]
    assert "校验位" in form.errors["registered_credit_code"][0]
    assert form.non_field_errors() == ["签约金额：超出范围", "该项目已被他人修改"]
    assert "is-invalid" in form["name"].as_widget()


def test_in_english_the_field_leads_the_message():
    """English labels are capitalised ("New stage"): "Select New stage." read oddly mid-sentence, so the English
    messages put the field first, as the Chinese ones with a colon do elsewhere."""
    from django.utils.translation import gettext_lazy, override

    class StageChoice(ChineseFormMixin, forms.Form):
        stage = forms.ChoiceField(label=gettext_lazy("新阶段"), choices=[("a", "a")])
        note = forms.CharField(label=gettext_lazy("新阶段"))

    with override("en"):
        form = StageChoice({})
        assert not form.is_valid()
        assert form.errors["stage"] == ["New stage: please choose one."]
        assert form.errors["note"] == ["New stage: please fill this in."]
    with override("zh-hans"):
        form = StageChoice({})
        assert not form.is_valid()
        assert form.errors["stage"] == ["请选择新阶段。"]
