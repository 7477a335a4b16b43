"""Forms of the cooperation pages. They parse; apps.thinktanks.services decides."""

from itertools import zip_longest

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role, User
from apps.accounts.permissions import VIEW, actor_scope
from apps.core.forms import ChineseFormMixin, DateInput, SubmissionKeyMixin
from apps.events.models import Event
from apps.organisations.models import Organisation
from apps.projects.forms import (
    OrganisationSelect,
    offer_projects,
    organisation_shortlist,
    project_label,
)
from apps.projects.models import Project
from apps.thinktanks.models import (
    PARTNER_KINDS,
    STORED_STATUSES,
    ActivityKind,
    Cooperation,
    CooperationActivity,
    CooperationOutcome,
    OutcomeKind,
)
from apps.units.models import Unit
from apps.units.selectors import unit_choices_for_date

_coop = Cooperation._meta.get_field
_activity = CooperationActivity._meta.get_field
_outcome = CooperationOutcome._meta.get_field
# The project select shows this many of the projects the person may see (the most recently worked on),
# plus the one already chosen; the search box beside it refills it from all of them
# (views.outcome_project_options_view), as the organisation select is refilled from the library.


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name}（{obj.unit or '—'}）"


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return project_label(obj)


PARTNER_SHORTLIST = 50


def partner_shortlist(actor, *, q: str = "", selected: Organisation | None = None) -> list[Organisation]:
    """The partners the select offers: think tanks, universities and institutes matching what was typed
    (ranked by the library's search), or without a query the newest; plus the one already chosen. At a
    million organisations these kinds alone are some 16,000 rows — the whole list took 2.4 s a page."""
    from apps.organisations.selectors import organisation_list

    q = q.strip()
    if q:
        # One ranked search per kind (the index filters by kind): filtering the whole library's top hits
        # afterwards would lose a partner behind two hundred enterprises with the same words in their names.
        per_kind = [list(organisation_list(actor=actor, q=q, kind=kind)[:PARTNER_SHORTLIST]) for kind in PARTNER_KINDS]
        found = [org for rank in zip_longest(*per_kind) for org in rank if org is not None]
    else:
        found = list(organisation_list(actor=actor).filter(kind__in=PARTNER_KINDS).order_by("-id")[:PARTNER_SHORTLIST])
    rows = found[:PARTNER_SHORTLIST]
    if selected is not None and all(row.pk != selected.pk for row in rows):
        rows.insert(0, selected)
    return rows


class CooperationForm(SubmissionKeyMixin, ChineseFormMixin, forms.Form):
    partner = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_coop("partner").verbose_name,
                                     help_text=_("目标库中类型为智库、高校或科研院所的机构；没有的请先在目标库中登记。"))
    title = _coop("title").formfield()
    agreement_no = _coop("agreement_no").formfield(required=False)
    status = forms.ChoiceField(choices=[(s.value, s.label) for s in STORED_STATUSES], label=_coop("status").verbose_name,
                               help_text=_("“已到期”无需选择：合作结束日期过后自动显示为已到期。"))
    signed_date = _coop("signed_date").formfield(widget=DateInput, required=False,
                                                 help_text=_("合作中、已终止的合作必填。"))
    start_date = _coop("start_date").formfield(widget=DateInput, required=False, help_text=_("不填则按签订日期。"))
    end_date = _coop("end_date").formfield(widget=DateInput, required=False)
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_coop("unit").verbose_name,
                                  help_text=_("该单位的管理员和招商干部可以修改合作、登记活动和成果。"))
    contact = PersonChoiceField(queryset=User.objects.none(), label=_coop("contact").verbose_name, required=False)
    partner_contact = _coop("partner_contact").formfield(required=False)
    terms = _coop("terms").formfield(widget=forms.Textarea(attrs={"rows": 5}), required=False)

    service_fields = ["partner", "title", "agreement_no", "status", "signed_date", "start_date", "end_date", "unit",
                      "contact", "partner_contact", "terms"]

    def __init__(self, *args, actor, cooperation: Cooperation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        scope = actor_scope(actor)
        partners = Organisation.objects.restrict(actor, VIEW).filter(kind__in=PARTNER_KINDS, merged_into__isnull=True)
        if cooperation is not None:
            partners = partners | Organisation.objects.filter(pk=cooperation.partner_id)
        self.fields["partner"].queryset = partners.distinct()
        # Any partner validates; the select shows a shortlist, refilled by the search box beside it
        # (thinktanks:partner_options), with the posted or current partner kept on it.
        chosen = cooperation.partner if cooperation is not None else None
        posted = self.data.get("partner") if self.is_bound else None
        if posted and str(posted).isdigit():
            chosen = self.fields["partner"].queryset.filter(pk=int(posted)).first() or chosen
        self.fields["partner"].widget.choices = [("", "---------")] + [
            (org.pk, org.name) for org in partner_shortlist(actor, selected=chosen)]
        active = [unit.pk for unit in unit_choices_for_date(timezone.localdate())]
        units = Unit.objects.filter(pk__in=active) | Unit.objects.filter(kind="office")
        if not scope.all_units:
            units = units.filter(pk__in=scope.unit_ids)
        if cooperation is not None:
            units = units | Unit.objects.filter(pk=cooperation.unit_id)
        self.fields["unit"].queryset = units.distinct().order_by("sort_order", "code")
        people = User.objects.filter(is_active=True).exclude(role=Role.LEADER)
        if not scope.all_units:
            people = people.filter(unit_id__in=scope.unit_ids)
        if cooperation is not None and cooperation.contact_id:
            people = people | User.objects.filter(pk=cooperation.contact_id)
        self.fields["contact"].queryset = people.distinct().select_related("unit").order_by("unit__sort_order",
                                                                                             "username")
        if cooperation is None and not self.is_bound:
            self.fields["unit"].initial = actor.unit_id
            self.fields["contact"].initial = actor.pk

    def service_values(self) -> dict:
        return {key: self.cleaned_data.get(key) for key in self.service_fields}


class ActivityForm(SubmissionKeyMixin, ChineseFormMixin, forms.Form):
    date = _activity("date").formfield(widget=DateInput)
    kind = forms.ChoiceField(choices=ActivityKind.choices, label=_activity("kind").verbose_name)
    title = _activity("title").formfield()
    participant_count = _activity("participant_count").formfield(required=False)
    event = forms.ModelChoiceField(queryset=Event.objects.none(), label=_activity("event").verbose_name,
                                   required=False, empty_label=_("无"),
                                   help_text=_("该活动同时登记在“活动与签约”中时选择，如院士人才沙龙。"))
    output_title = _activity("output_title").formfield(required=False)
    summary = _activity("summary").formfield(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    service_fields = ["date", "kind", "title", "participant_count", "event", "output_title", "summary"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.restrict(actor, VIEW).order_by("-date", "-id")

    def service_values(self) -> dict:
        return {key: self.cleaned_data.get(key) for key in self.service_fields}


class OutcomeForm(SubmissionKeyMixin, ChineseFormMixin, forms.Form):
    kind = forms.ChoiceField(choices=OutcomeKind.choices, label=_outcome("kind").verbose_name)
    date = _outcome("date").formfield(widget=DateInput)
    project = ProjectChoiceField(queryset=Project.objects.none(), label=_outcome("project").verbose_name,
                                 required=False, empty_label=_("无"), help_text=_("成果类型为“项目”时必选。"))
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False,
                                          label=_outcome("organisation").verbose_name, widget=OrganisationSelect,
                                          help_text=_("引荐的企业或机构；可在左侧输入名称查找。"))
    talent = forms.ModelChoiceField(queryset=None, required=False, label=_outcome("talent").verbose_name,
                                    empty_label=_("无"), help_text=_("成果类型为“人才”且已登记在招才引智中时选择。"))
    note = _outcome("note").formfield(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                      help_text=_("人才写明姓名与去向，报告写明标题与采纳情况。"))

    service_fields = ["kind", "date", "project", "organisation", "talent", "note"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.organisations.selectors import organisation_list

        offer_projects(self.fields["project"], actor, posted=self.data.get("project") if self.is_bound else None,
                       empty_label=_("无"))
        from apps.talent.models import Talent

        self.fields["talent"].queryset = Talent.objects.restrict(actor, VIEW).filter(is_archived=False).order_by("name")
        organisation = self.fields["organisation"]
        organisation.queryset = organisation_list(actor=actor)
        selected = None
        if self.is_bound and str(self.data.get("organisation", "")).isdigit():
            selected = organisation.queryset.filter(pk=int(self.data["organisation"])).first()
        organisation.widget.choices = [("", _("无"))] + [
            (org.pk, org.name) for org in organisation_shortlist(actor, selected=selected)]

    def service_values(self) -> dict:
        return {key: self.cleaned_data.get(key) for key in self.service_fields}
