"""Forms of the activity pages; the rules live in apps.activities.services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.activities.models import Activity, ActivityKind
from apps.core.forms import ChineseFormMixin, DateInput, SubmissionKeyMixin, dress_field
from apps.organisations.models import Organisation
from apps.organisations.selectors import organisation_list
from apps.projects.forms import organisation_shortlist

_activity = Activity._meta.get_field


class ActivityFilterForm(ChineseFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型")), *ActivityKind.choices])
    # Reached from an organisation's page; a select of the whole library would not fit on a page.
    organisation = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data if data is not None else {}, *args, **kwargs)

    def selector_kwargs(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"kind": data.get("kind") or "", "organisation_id": data.get("organisation")}


class ActivityForm(SubmissionKeyMixin, ChineseFormMixin, forms.Form):
    kind = _activity("kind").formfield()
    date = _activity("date").formfield(widget=DateInput)
    participants = _activity("participants").formfield()
    counterparts = _activity("counterparts").formfield()
    summary = _activity("summary").formfield(widget=forms.Textarea(attrs={"rows": 4}))
    next_step = _activity("next_step").formfield()
    next_step_due = _activity("next_step_due").formfield(widget=DateInput)

    def __init__(self, *args, actor, fixed_organisation: Organisation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        if fixed_organisation is None:
            # Neither a project nor an organisation in the link: the person picks the organisation.
            field = forms.ModelChoiceField(queryset=organisation_list(actor=actor),
                                           label=_activity("organisation").verbose_name)
            chosen = None
            if self.is_bound and str(self.data.get("organisation", "")).isdigit():
                chosen = field.queryset.filter(pk=int(self.data["organisation"])).first()
            field.widget.choices = [("", _("请选择对象单位"))] + [
                (org.pk, org.name) for org in organisation_shortlist(actor, selected=chosen)
            ]
            self.fields = {"organisation": dress_field(field), **self.fields}

    def service_values(self) -> dict:
        keys = ["kind", "date", "participants", "counterparts", "summary", "next_step", "next_step_due",
                "submission_key"]
        values = {key: self.cleaned_data.get(key) for key in keys}
        values["submission_key"] = values["submission_key"] or ""
        if "organisation" in self.fields:
            values["organisation"] = self.cleaned_data["organisation"]
        return values
