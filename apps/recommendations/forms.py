"""Forms of the recommendation pages. They parse; apps.recommendations.services decides."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.activities.models import Activity
from apps.core.forms import ChineseFormMixin, DateInput, SubmissionKeyMixin
from apps.organisations.models import Organisation
from apps.organisations.selectors import organisation_list
from apps.projects.forms import OrganisationSelect, organisation_shortlist
from apps.recommendations.models import Recommendation
from apps.units.models import Unit
from apps.units.selectors import unit_choices_for_date

_recommendation = Recommendation._meta.get_field
_activity = Activity._meta.get_field


class RecommendationForm(SubmissionKeyMixin, ChineseFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("推荐企业"),
                                          widget=OrganisationSelect)
    # Not required here: the service's sentence ("请至少选择一个区县") is the one the API gives too.
    units = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.none(), label=_("推荐区县"), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("可多选；每个区县分别答复，互相看不到对方的答复。"))
    reason = _recommendation("reason").formfield(widget=forms.Textarea(attrs={"rows": 4}))
    date = _recommendation("date").formfield(widget=DateInput, required=False,
                                             help_text=_("默认今天；补录时填写实际推荐的日期。"))

    def __init__(self, *args, actor, organisation: Organisation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        org_field = self.fields["organisation"]
        org_field.queryset = organisation_list(actor=actor)
        chosen = organisation
        if self.is_bound and str(self.data.get("organisation", "")).isdigit():
            chosen = org_field.queryset.filter(pk=int(self.data["organisation"])).first() or chosen
        if organisation is not None:
            org_field.initial = organisation.pk
        org_field.widget.choices = [("", _("请选择推荐企业"))] + [
            (org.pk, org.name) for org in organisation_shortlist(actor, selected=chosen)
        ]
        # Units that exist today: not the office, not 江北区/渝北区 after 2025-11-06.
        active = [unit.pk for unit in unit_choices_for_date(timezone.localdate())]
        self.fields["units"].queryset = Unit.objects.filter(pk__in=active).order_by("sort_order", "code")

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {"organisation": data["organisation"], "units": list(data["units"]), "reason": data["reason"],
                "date": data.get("date"), "submission_key": data.get("submission_key") or ""}


class AcceptForm(ChineseFormMixin, forms.Form):
    reason = forms.CharField(label=_("答复意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("选填，如安排的考察时间、对接人。"))


class DeclineForm(ChineseFormMixin, forms.Form):
    # Required by the service, which says why; the form lets the empty value reach it.
    reason = forms.CharField(label=_("婉拒理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(ChineseFormMixin, forms.Form):
    reason = forms.CharField(label=_("撤回理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SiteVisitForm(SubmissionKeyMixin, ChineseFormMixin, forms.Form):
    date = forms.DateField(label=_("考察日期"), widget=DateInput)
    participants = _activity("participants").formfield()
    counterparts = _activity("counterparts").formfield()
    summary = _activity("summary").formfield(widget=forms.Textarea(attrs={"rows": 3}))
    next_step = _activity("next_step").formfield()
    next_step_due = _activity("next_step_due").formfield(widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()

    def service_values(self) -> dict:
        values = {key: self.cleaned_data.get(key) for key in
                  ["date", "participants", "counterparts", "summary", "next_step", "next_step_due"]}
        values["submission_key"] = self.cleaned_data.get("submission_key") or ""
        return values


class PeriodForm(ChineseFormMixin, forms.Form):
    """The funnel's period (default 今年以来) and, for those who see every unit, one unit to look at."""

    start = forms.DateField(label=_("开始日期"), required=False, widget=DateInput)
    end = forms.DateField(label=_("结束日期"), required=False, widget=DateInput)
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("单位"), required=False,
                                  empty_label=_("驻京办（全部推荐）"))

    def __init__(self, data=None, *, all_units: bool, **kwargs):
        super().__init__(data if data is not None else {}, **kwargs)
        if all_units:
            self.fields["unit"].queryset = Unit.objects.exclude(kind="office").order_by("sort_order", "code")
        else:
            del self.fields["unit"]

    def values(self, default: tuple[datetime.date, datetime.date]) -> tuple[datetime.date, datetime.date, int | None]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        unit = data.get("unit")
        return data.get("start") or default[0], data.get("end") or default[1], unit.pk if unit else None
