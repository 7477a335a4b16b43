"""Forms of the event pages. They parse; apps.events.services decides."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.core.forms import ChineseFormMixin, DateInput, SubmissionKeyMixin
from apps.core.money import Foreign, parse_money
from apps.events import publicity
from apps.events.models import Event, EventKind, Signing
from apps.events.selectors import signable_projects
from apps.fulfilment.forms import AmountTextField
from apps.organisations.models import Organisation
from apps.projects.choices import AgreementType
from apps.projects.forms import OrganisationSelect, organisation_shortlist
from apps.projects.models import Project
from apps.units.models import Unit
from apps.units.selectors import unit_choices_for_date

_event = Event._meta.get_field
_signing = Signing._meta.get_field


class SigningAmountField(AmountTextField):
    """签约金额 in yuan ("5亿", "3000万") or in another currency ("3亿美元", "2000万欧元"), whose rate
    is the exchange_rate box beside it (the service converts and checks both)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("写明单位，如 5亿、3000万；外币写明币种，如 3亿美元；金额未公开的留空。"))
        super().__init__(**kwargs)
        self.widget.attrs["placeholder"] = _("如 5亿、3000万、3亿美元")

    def prepare_value(self, value):
        if isinstance(value, Foreign):
            return str(value)
        return super().prepare_value(value)

    def clean(self, value):
        text = forms.CharField.clean(self, value)
        if not text:
            return None
        try:
            return parse_money(text, field=str(self.label))
        except DomainError as error:
            raise forms.ValidationError(error.message, code=error.code) from error


def exchange_rate_field() -> forms.CharField:
    return forms.CharField(
        label=_("折算汇率"), required=False, max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "placeholder": _("如 7.1")}),
        help_text=_("仅外币签约填写：1单位外币折合人民币元数（如1美元=7.1元填7.1）。"))


class EventForm(SubmissionKeyMixin, ChineseFormMixin, forms.Form):
    title = _event("title").formfield()
    kind = forms.ChoiceField(choices=EventKind.choices, label=_event("kind").verbose_name)
    date = _event("date").formfield(widget=DateInput)
    end_date = _event("end_date").formfield(widget=DateInput, required=False)
    city = _event("city").formfield(required=False)
    venue = _event("venue").formfield(required=False)
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_event("unit").verbose_name,
                                  help_text=_("负责该活动的单位：其管理员和招商干部可以修改活动、登记签约。"))
    hosts = _event("hosts").formfield(required=False)
    attendee_count = _event("attendee_count").formfield(required=False)
    attendee_count_is_floor = _event("attendee_count_is_floor").formfield(required=False)
    summary = _event("summary").formfield(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    agenda = _event("agenda").formfield(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    service_fields = ["title", "kind", "date", "end_date", "city", "venue", "unit", "hosts", "attendee_count",
                      "attendee_count_is_floor", "summary", "agenda"]

    def __init__(self, *args, actor, event: Event | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.accounts.permissions import actor_scope

        scope = actor_scope(actor)
        active = [unit.pk for unit in unit_choices_for_date(timezone.localdate())]
        units = Unit.objects.filter(pk__in=active) | Unit.objects.filter(kind="office")
        if not scope.all_units:
            units = units.filter(pk__in=scope.unit_ids)
        if event is not None:
            units = units | Unit.objects.filter(pk=event.unit_id)
        self.fields["unit"].queryset = units.distinct().order_by("sort_order", "code")
        if event is None and actor.unit_id:
            self.fields["unit"].initial = actor.unit_id

    def service_values(self) -> dict:
        return {key: self.cleaned_data.get(key) for key in self.service_fields}


class ProjectSelect(forms.Select):
    """A select whose options are a short list; the search box beside it (htmx) refills them."""


class SigningForm(SubmissionKeyMixin, ChineseFormMixin, forms.Form):
    project = forms.ModelChoiceField(queryset=Project.objects.none(), label=_("签约项目"), widget=ProjectSelect)
    agreement_type = forms.ChoiceField(choices=AgreementType.choices, label=_signing("agreement_type").verbose_name,
                                       initial=AgreementType.FRAMEWORK)
    amount = SigningAmountField(label=_("签约金额"), required=False)
    exchange_rate = exchange_rate_field()
    date = _signing("date").formfield(widget=DateInput, required=False, help_text=_("默认活动当天。"))
    our_signatory = _signing("our_signatory").formfield(required=False)
    their_signatory = _signing("their_signatory").formfield(required=False)
    # No initial value: the model's default 0 would be shown and then refused ("1到10000").
    order = _signing("order").formfield(required=False, initial=None, help_text=_("留空排在最后；填写则插入到该位置。"))
    advance_stage = forms.BooleanField(
        label=_("同时更新项目阶段"), required=False, initial=True,
        help_text=_("意向协议→“意向/协议”，框架协议、正式合同→“签约”（签约日期不晚于今天时）。"))

    def __init__(self, *args, actor, event: Event | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.accounts.permissions import CHANGE

        field = self.fields["project"]
        field.queryset = Project.objects.restrict(actor, CHANGE).filter(is_archived=False)
        chosen = None
        if self.is_bound and str(self.data.get("project", "")).isdigit():
            chosen = field.queryset.filter(pk=int(self.data["project"])).first()
        field.widget.choices = project_choices(actor, event=event, selected=chosen)
        if event is not None:
            self.fields["date"].initial = event.date

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {key: data.get(key) for key in ("agreement_type", "amount", "exchange_rate", "date", "our_signatory",
                                               "their_signatory", "order")}


def project_choices(actor, *, event=None, q: str = "", selected=None) -> list:
    rows = signable_projects(actor=actor, q=q, exclude_event=event)
    if selected is not None and all(row.pk != selected.pk for row in rows):
        rows.insert(0, selected)
    return [("", _("请选择签约项目"))] + [(row.pk, f"{row.name}（{row.unit.name}）") for row in rows]


class StandaloneSigningForm(SubmissionKeyMixin, ChineseFormMixin, forms.Form):
    """A signing of one project outside any event (signed at the district, or by exchange of letters)."""

    agreement_type = forms.ChoiceField(choices=AgreementType.choices, label=_signing("agreement_type").verbose_name,
                                       initial=AgreementType.CONTRACT)
    amount = SigningAmountField(label=_("签约金额"), required=False)
    exchange_rate = exchange_rate_field()
    date = _signing("date").formfield(widget=DateInput)
    our_signatory = _signing("our_signatory").formfield(required=False)
    their_signatory = _signing("their_signatory").formfield(required=False)
    advance_stage = forms.BooleanField(
        label=_("同时更新项目阶段"), required=False, initial=True,
        help_text=_("意向协议→“意向/协议”，框架协议、正式合同→“签约”（签约日期不晚于今天时）。"))

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {key: data.get(key) for key in ("agreement_type", "amount", "exchange_rate", "date", "our_signatory",
                                               "their_signatory")}


class SigningEditForm(ChineseFormMixin, forms.Form):
    agreement_type = forms.ChoiceField(choices=AgreementType.choices, label=_signing("agreement_type").verbose_name)
    amount = SigningAmountField(label=_("签约金额"), required=False)
    exchange_rate = exchange_rate_field()
    date = _signing("date").formfield(widget=DateInput)
    our_signatory = _signing("our_signatory").formfield(required=False)
    their_signatory = _signing("their_signatory").formfield(required=False)
    order = _signing("order").formfield()
    version = forms.IntegerField(widget=forms.HiddenInput)

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {key: data.get(key) for key in ("agreement_type", "amount", "exchange_rate", "date", "our_signatory",
                                               "their_signatory", "order")}


class ReasonForm(ChineseFormMixin, forms.Form):
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PublicFieldsForm(forms.Form):
    fields_ = forms.MultipleChoiceField(
        label=_("公开的内容"), required=False, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))

    def __init__(self, *args, catalogue: dict, initial_fields=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields_"].choices = list(catalogue.items())
        if initial_fields is not None:
            self.fields["fields_"].initial = list(initial_fields)


EVENT_PUBLIC_CATALOGUE = publicity.EVENT_FIELDS
PROJECT_PUBLIC_CATALOGUE = publicity.PROJECT_FIELDS


class ParticipantForm(ChineseFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("参会主体"),
                                          widget=OrganisationSelect)
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.organisations.selectors import organisation_list

        field = self.fields["organisation"]
        field.queryset = organisation_list(actor=actor)
        field.widget.choices = [("", _("请选择参会主体"))] + [
            (org.pk, org.name) for org in organisation_shortlist(actor)]


class PhotoForm(ChineseFormMixin, forms.Form):
    image = forms.FileField(label=_("照片"), help_text=_("JPEG、PNG或WEBP，不超过10MB。"))
    caption = forms.CharField(label=_("说明"), required=False, max_length=200)
