"""Form pieces every app's pages share: the amount box with its unit, the once-only submission key,
Chinese "please fill in X" messages, and turning a service's DomainError into a form error."""

from decimal import Decimal

from django import forms
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import DomainError
from apps.core.money import UNITS, parse_amount, split_for_input

AMOUNT_UNITS = [(unit, unit) for unit in UNITS]  # 元, 万元, 亿元
DEFAULT_AMOUNT_UNIT = "万元"


class AmountWidget(forms.MultiWidget):
    """A number box and a unit select side by side (rendered as a Bootstrap input group)."""

    def __init__(self, attrs=None):
        widgets = [
            forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "form-control"}),
            forms.Select(choices=AMOUNT_UNITS, attrs={"class": "form-select flex-grow-0 w-auto"}),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        """Show a stored yuan amount in the largest unit that writes it exactly: 5亿元 → "5" 亿元,
        3,000万元 → "3000" 万元, 800元 → "800" 元."""
        if value in (None, ""):
            return ["", DEFAULT_AMOUNT_UNIT]
        yuan = Decimal(value)
        for unit in ("亿元", "万元"):
            if abs(yuan) >= UNITS[unit] and Decimal(split_for_input(yuan, unit)) * UNITS[unit] == yuan:
                return [split_for_input(yuan, unit), unit]
        if yuan == 0:
            return ["0", DEFAULT_AMOUNT_UNIT]
        return [split_for_input(yuan, "元"), "元"]

    def render(self, name, value, attrs=None, renderer=None):
        inner = super().render(name, value, attrs, renderer)
        return format_html('<div class="input-group amount-input">{}</div>', inner)


class AmountField(forms.MultiValueField):
    """An amount typed with a chosen unit, cleaned to exact yuan by apps.core.money.parse_amount —
    so "5亿" typed while 万元 is selected is refused with the money module's message, and "5" with
    亿元 becomes Decimal("500000000.00")."""

    widget = AmountWidget

    def __init__(self, *, required=False, **kwargs):
        fields = (
            forms.CharField(required=False),
            forms.ChoiceField(choices=AMOUNT_UNITS, required=False),
        )
        super().__init__(fields, required=required, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        text, unit = (list(data_list) + ["", ""])[:2]
        if not (text or "").strip():
            if self.required:
                raise forms.ValidationError(_("%(field)s：请填写金额。") % {"field": self.label}, code="required")
            return None
        try:
            return parse_amount(text, unit=unit or DEFAULT_AMOUNT_UNIT, field=str(self.label or _("金额")))
        except DomainError as error:
            raise forms.ValidationError(error.message, code=error.code) from error

    def clean(self, value):
        # MultiValueField's own "required" check would say "这个字段是必填项。" without naming the field.
        if self.required and (not value or not str(value[0] or "").strip()):
            raise forms.ValidationError(_("%(field)s：请填写金额。") % {"field": self.label}, code="required")
        return super().clean(value)


class SubmissionKeyMixin(forms.Form):
    """A hidden once-only key (apps.core.idempotency): the service that creates the record claims it,
    so a double click or a re-sent form cannot create a second record."""

    submission_key = forms.CharField(widget=forms.HiddenInput, required=False)


class ChineseFormMixin:
    """Required-field messages that name the field ("请填写项目名称。") instead of Django's generic
    "这个字段是必填项。", and Bootstrap classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            dress_field(field)

    def add_error(self, field, error):
        super().add_error(field, error)
        # Bootstrap shows a field's message only next to an input marked is-invalid.
        names = list(error) if isinstance(error, dict) else [field]
        for name in names:
            if name in self.fields:
                widget = self.fields[name].widget
                for part in getattr(widget, "widgets", [widget]):
                    css = part.attrs.get("class", "")
                    if "is-invalid" not in css:
                        part.attrs["class"] = f"{css} is-invalid".strip()


REQUIRED_CHOICE = gettext_lazy("请选择%(field)s。")
REQUIRED_TEXT = gettext_lazy("请填写%(field)s。")
INVALID_CHOICE = gettext_lazy("%(field)s：所选的值不是可选项，请重新选择。")
INVALID_DATE = gettext_lazy("%(field)s：请按“年-月-日”填写日期，如 2025-11-01。")


def _naming(message, label) -> str:
    return str(message) % {"field": label}


# The message is put together when it is shown, in the language of that request: a form is built on every view
# of its page (the project list's filter form has eighteen fields), and translating its messages up front, three
# per field, was half of building it — for messages nobody sees unless they make a mistake.
_named = lazy(_naming, str)


def dress_field(field: forms.Field) -> forms.Field:
    """Chinese messages naming the field, and the Bootstrap class its widget needs. Call it for a
    field added after the form was built."""
    if field.label:
        choosing = isinstance(field.widget, forms.Select) and not isinstance(field.widget, forms.MultiWidget)
        field.error_messages["required"] = _named(REQUIRED_CHOICE if choosing else REQUIRED_TEXT, field.label)
        if "invalid_choice" in field.error_messages:
            field.error_messages["invalid_choice"] = _named(INVALID_CHOICE, field.label)
        if isinstance(field, forms.DateField):
            field.error_messages["invalid"] = _named(INVALID_DATE, field.label)
    widget = field.widget
    if isinstance(widget, (forms.HiddenInput, forms.MultiWidget)):
        return field
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    widget.attrs.setdefault("class", css)
    return field


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def apply_domain_error(form: forms.BaseForm, error: DomainError, field_map: dict | None = None) -> None:
    """Show a service's refusal where the person will look for it: next to the field it names.

    ``error.field`` is a form field name ("signed_amount"), or — for messages produced by shared
    validators such as parse_amount/validate_uscc — the field's Chinese label ("注册主体统一社会信用代码").
    ``field_map`` translates service field names to form field names where they differ. Anything
    that cannot be placed becomes a non-field error at the top of the form."""
    target = None
    name = (field_map or {}).get(error.field, error.field)
    if name and name in form.fields:
        target = name
    elif name:
        for field_name, field in form.fields.items():
            if str(field.label or "") == name or _label_stem(field.label) == name:
                target = field_name
                break
    form.add_error(target, forms.ValidationError(error.message, code=error.code))


def _label_stem(label) -> str:
    """"签约金额（元）" → "签约金额": model labels carry their unit, messages do not."""
    text = str(label or "")
    return text.split("（", 1)[0]


__all__ = [
    "AmountField", "AmountWidget", "ChineseFormMixin", "DateInput", "SubmissionKeyMixin", "apply_domain_error",
    "dress_field",
]
