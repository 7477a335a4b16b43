"""Forms of the fulfilment pages. They parse what a person typed; the rules live in
apps.fulfilment.services, whose DomainError comes back through apps.core.forms.apply_domain_error."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.chains.models import Cluster
from apps.core.errors import DomainError
from apps.core.forms import ChineseFormMixin, DateInput, SubmissionKeyMixin
from apps.core.money import format_amount, parse_amount
from apps.fulfilment.choices import AlertKind
from apps.fulfilment.models import FundsEntry, FundsPlanItem
from apps.projects.filters import UnitFilterField, place_narrowing
from apps.units.models import Unit, UnitKind

_entry = FundsEntry._meta.get_field
_plan = FundsPlanItem._meta.get_field


class AmountTextField(forms.CharField):
    """One box for an amount written the way people say it — "1.2亿", "3000万", "800万元" — parsed to
    exact yuan by apps.core.money.parse_amount. A bare number is refused (元 or 万元?) rather than guessed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off",
                                  "placeholder": _("如 1.2亿、3000万")})

    def prepare_value(self, value):
        return format_amount(value) if value not in (None, "") and not isinstance(value, str) else value

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_amount(text, field=str(self.label))
        except DomainError as error:
            raise forms.ValidationError(error.message, code=error.code) from error


class FundsEntryForm(SubmissionKeyMixin, ChineseFormMixin, forms.Form):
    date = _entry("date").formfield(widget=DateInput)
    amount = AmountTextField(label=_("到位金额"), help_text=_("写明单位，如 1.2亿、3000万。"))
    note = _entry("note").formfield()
    evidence = _entry("evidence").formfield(widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()

    def service_values(self) -> dict:
        values = {key: self.cleaned_data.get(key) for key in ("date", "amount", "note", "evidence")}
        values["submission_key"] = self.cleaned_data.get("submission_key") or ""
        return values


class FundsDeleteForm(ChineseFormMixin, forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=300)


class PlanItemForm(ChineseFormMixin, forms.Form):
    due_date = _plan("due_date").formfield(widget=DateInput, required=False)
    amount = AmountTextField(label=_("本期计划金额"), required=False)
    note = _plan("note").formfield()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The rows sit in a table under column headings; each box still needs its own accessible name.
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("due_date") and data.get("amount") is None and not data.get("note")


class BasePlanFormSet(forms.BaseFormSet):
    def items(self) -> list[dict]:
        """The rows a person filled in (blank rows and rows ticked for deletion left out)."""
        rows = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.is_blank():
                continue
            if self.can_delete and form.cleaned_data.get("DELETE"):
                continue
            rows.append({key: form.cleaned_data.get(key) for key in ("due_date", "amount", "note")})
        return rows


PlanFormSet = forms.formset_factory(PlanItemForm, formset=BasePlanFormSet, extra=3, can_delete=True,
                                    max_num=60, validate_max=True)


def _unit_field():
    return UnitFilterField(label=_("承接区县"), required=False, empty_label=_("全部区县"),
                           queryset=Unit.objects.exclude(kind=UnitKind.OFFICE).select_related("successor"))


def _cluster_field():
    return forms.ModelChoiceField(label=_("产业集群"), required=False, empty_label=_("全部集群"),
                                  queryset=Cluster.objects.all())


class _PlaceFilter(ChineseFormMixin, forms.Form):
    """A GET filter by the project's unit (ended units rolled up) and cluster, as the cockpit counts.
    A value that does not validate (a stale link) is dropped rather than turning the list empty."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data if data is not None else {}, *args, **kwargs)

    def _data(self) -> dict:
        self.is_valid()
        return getattr(self, "cleaned_data", {})

    def place_kwargs(self) -> dict:
        data = self._data()
        unit, cluster = data.get("unit"), data.get("cluster")
        return {"unit_id": unit.pk if unit else None, "cluster_id": cluster.pk if cluster else None}

    def narrowing(self) -> str:
        data = self._data()
        return place_narrowing(data.get("unit"), data.get("cluster"))


class AlertFilterForm(_PlaceFilter):
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型")), *AlertKind.choices])
    unit = _unit_field()
    cluster = _cluster_field()
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("open", _("未解除")), ("all", _("全部（含已解除）"))])

    def selector_kwargs(self) -> dict:
        data = self._data()
        return {"kind": data.get("kind") or "", "open_only": (data.get("status") or "open") == "open",
                **self.place_kwargs()}


class FundsFilterForm(_PlaceFilter):
    """The funds ledger's filter: a cockpit figure's unit, cluster and period (funds_from/funds_to)."""

    unit = _unit_field()
    cluster = _cluster_field()
    funds_from = forms.DateField(label=_("到位日期自"), required=False, widget=DateInput)
    funds_to = forms.DateField(label=_("到位日期至"), required=False, widget=DateInput)

    def selector_kwargs(self) -> dict:
        data = self._data()
        return {"start": data.get("funds_from"), "end": data.get("funds_to"), **self.place_kwargs()}
