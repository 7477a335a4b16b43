"""Forms of the project pages. They only parse what a person typed; every rule (who may register
which unit, what a stage needs, optimistic locking) is checked by apps.projects.services, whose
DomainError comes back through apps.core.forms.apply_domain_error."""

import datetime

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import DISTRICT_ROLES, OFFICE_ROLES, Role, User
from apps.accounts.permissions import actor_scope
from apps.chains.models import Cluster
from apps.core.forms import AmountField, ChineseFormMixin, DateInput, SubmissionKeyMixin, dress_field
from apps.organisations.models import Organisation
from apps.organisations.selectors import organisation_list
from apps.projects import stages
from apps.projects.choices import PIPELINE, ChainRole, Stage
from apps.projects.models import Project, StageChange
from apps.units.models import Unit, UnitKind
from apps.units.selectors import unit_choices_for_date

# How many organisations the select offers before the person narrows it with the search box: the
# library grows to a million rows, a page must not.
ORGANISATION_SHORTLIST = 50

_project = Project._meta.get_field
_change = StageChange._meta.get_field


def organisation_shortlist(actor, *, q: str = "", selected: Organisation | None = None) -> list[Organisation]:
    """The organisations the select shows: the best search matches, or without a query the newest
    (a person who has just added an organisation finds it at the top; by id, which the primary key
    serves even at a million rows), plus the one already chosen."""
    found = organisation_list(actor=actor, q=q.strip())
    if not q.strip():
        found = found.order_by("-id")
    rows = list(found[:ORGANISATION_SHORTLIST])
    if selected is not None and all(row.pk != selected.pk for row in rows):
        rows.insert(0, selected)
    return rows


# Likewise the projects a form may link to: 200,000 at the benchmark's scale, so the select offers a
# shortlist and the search box beside it (projects:project_options) finds the rest.
PROJECT_SHORTLIST = 50


def project_label(project: Project) -> str:
    return f"{project.name}（{project.unit.name}）"


def choosable_projects(actor):
    """The projects a record may be linked to: live ones the person may see. A posted id is checked
    against these, whether or not the select happened to show it."""
    from apps.projects.selectors import project_list

    return project_list(actor=actor).select_related("unit")


def project_shortlist(actor, *, q: str = "", selected: Project | None = None) -> list[Project]:
    """The projects the select offers: those whose project or organisation name contains what was typed,
    the most recently worked on first, plus the one already chosen."""
    from apps.projects.selectors import project_list

    rows = list(project_list(actor=actor, q=q.strip()).select_related("unit")[:PROJECT_SHORTLIST])
    if selected is not None and all(row.pk != selected.pk for row in rows):
        rows.insert(0, selected)
    return rows


def offer_projects(field: forms.ModelChoiceField, actor, *, posted=None, current: Project | None = None,
                   empty_label: str) -> None:
    """Point a project select at the projects the person may link to (for validation) while showing only
    the shortlist, the posted choice or the current one kept on it."""
    field.queryset = choosable_projects(actor)
    if current is not None:
        # The record's project as it is stays valid even if it was archived since, or belongs to a unit the
        # editor may not see: saving the form unchanged must not fail on it.
        field.queryset = field.queryset | Project.objects.filter(pk=current.pk)
    chosen = current
    if posted not in (None, "") and str(posted).isdigit():
        chosen = field.queryset.filter(pk=int(posted)).first() or current
    field.widget.choices = [("", empty_label)] + [(p.pk, project_label(p))
                                                  for p in project_shortlist(actor, selected=chosen)]


class SpecialistChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name}（{obj.unit or '—'}）"


def specialist_choices(actor=None, current_id: int | None = None):
    """Who may be named 服务专员: the service specialists, office staff, and the person's own unit —
    a district is not shown the staff list of every other district — plus whoever holds it now."""
    people = User.objects.filter(is_active=True).exclude(role=Role.LEADER)
    if actor is not None and not actor_scope(actor).all_units:
        people = people.filter(Q(role=Role.SPECIALIST) | Q(role__in=OFFICE_ROLES)
                               | Q(unit_id__in=actor_scope(actor).unit_ids) | Q(pk=current_id))
    return people.select_related("unit").order_by("unit__sort_order", "username")


def specialist_field(label=None, *, actor=None, current_id: int | None = None) -> SpecialistChoiceField:
    return SpecialistChoiceField(
        queryset=specialist_choices(actor, current_id),
        required=False,
        empty_label=_("未指定"),
        label=label or _project("specialist").verbose_name,
    )


class OrganisationSelect(forms.Select):
    """A select whose options are a short list; the search box beside it (htmx) refills them."""


class ProjectFieldsForm(ChineseFormMixin, forms.Form):
    """The facts a person types about a project, shared by the create and edit forms."""

    name = _project("name").formfield()
    planned_investment = AmountField(label=_("计划投资"), help_text=_("填写数字并选择单位，如 5 亿元、3000 万元。"))
    cluster = forms.ModelChoiceField(queryset=Cluster.objects.all(), required=False, empty_label=_("未选择"),
                                     label=_project("cluster").verbose_name)
    chain_role = forms.ChoiceField(choices=[("", _("未选择")), *ChainRole.choices], required=False,
                                   label=_project("chain_role").verbose_name)
    specialist = specialist_field()
    priority = _project("priority").formfield()
    confidentiality = _project("confidentiality").formfield()
    description = _project("description").formfield(widget=forms.Textarea(attrs={"rows": 3}))

    service_fields = ["name", "planned_investment", "cluster", "chain_role", "specialist", "priority",
                      "confidentiality", "description"]

    def __init__(self, *args, actor, project: Project | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["specialist"].queryset = specialist_choices(actor, project.specialist_id if project else None)

    def service_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.service_fields}


class ProjectCreateForm(SubmissionKeyMixin, ProjectFieldsForm):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(),
                                          label=_project("organisation").verbose_name, widget=OrganisationSelect)
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_project("unit").verbose_name)
    first_contact_date = _project("first_contact_date").formfield(widget=DateInput)

    field_order = ["organisation", "unit", "name", "first_contact_date", "planned_investment", "cluster",
                   "chain_role", "specialist", "priority", "confidentiality", "description"]

    def __init__(self, *args, actor, organisation: Organisation | None = None, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        today = timezone.localdate()
        self.fields["first_contact_date"].initial = today

        org_field = self.fields["organisation"]
        org_field.queryset = organisation_list(actor=actor)
        chosen = organisation
        if self.is_bound and self.data.get("organisation"):
            chosen = org_field.queryset.filter(pk=_int(self.data.get("organisation"))).first() or chosen
        if organisation is not None:
            org_field.initial = organisation.pk
        org_field.widget.choices = [("", _("请选择目标主体"))] + [
            (org.pk, org.name) for org in organisation_shortlist(actor, selected=chosen)
        ]

        scope = actor_scope(actor)
        candidates = Unit.objects.exclude(kind=UnitKind.OFFICE)
        if scope.role in DISTRICT_ROLES:
            candidates = candidates.filter(id__in=scope.unit_ids)
        unit_field = self.fields["unit"]
        unit_field.queryset = candidates
        self.fields["first_contact_date"].widget.attrs.update({
            "hx-get": reverse("projects:unit_options"), "hx-trigger": "change", "hx-target": "#id_unit",
            "hx-include": "[name='unit']",
        })
        day = parse_day(self.data.get("first_contact_date", "")) if self.is_bound else today
        unit_field.widget.choices = unit_options(actor, day or today)
        if not self.is_bound and actor.unit_id and any(str(value) == str(actor.unit_id)
                                                       for value, _label in unit_field.widget.choices):
            unit_field.initial = actor.unit_id

    def service_values(self) -> dict:
        return super().service_values() | {
            "organisation": self.cleaned_data["organisation"],
            "unit": self.cleaned_data["unit"],
            "first_contact_date": self.cleaned_data["first_contact_date"],
            "submission_key": self.cleaned_data.get("submission_key", ""),
        }


def unit_options(actor, day: datetime.date) -> list[tuple]:
    """Units that exist on the first-contact date (江北区 and 渝北区 only before 2025-11-06); a district
    person is offered only their own."""
    scope = actor_scope(actor)
    units = unit_choices_for_date(day)
    if scope.role in DISTRICT_ROLES:
        units = [u for u in units if u.id in scope.unit_ids]
    return [("", _("请选择承接区县"))] + [(u.pk, u.name) for u in units]


class ProjectEditForm(ProjectFieldsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class StageForm(ChineseFormMixin, forms.Form):
    """Move a project to another stage. Only the facts the chosen stage needs are shown (htmx swaps
    them in when the select changes); the service decides whether the move may happen."""

    to_stage = forms.ChoiceField(label=_("新阶段"), choices=Stage.choices)
    expected_stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
    note = _change("note").formfield(widget=forms.Textarea(attrs={"rows": 2}))
    skip_reason = _change("skip_reason").formfield(
        widget=forms.Textarea(attrs={"rows": 2}), help_text=_("跳过中间阶段时必填。")
    )
    evidence = _change("evidence").formfield(widget=forms.TextInput)
    evidence_file = _change("evidence_file").formfield()
    occurred_on = forms.DateField(label=_("发生日期"), required=False, widget=DateInput,
                                  help_text=_("默认今天；补录时填写实际发生的日期。"))

    def __init__(self, *args, project: Project, actor=None, target: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.actor = actor
        self.fields["expected_stage"].initial = project.stage
        # Any stage value is accepted here so that a stale or backward choice reaches the service and
        # gets its explanation ("不能从…退回…", "该项目的阶段已变为…"); the select offers only the
        # stages that may follow.
        self.fields["to_stage"].widget.choices = [("", _("请选择新阶段"))] + [
            (value, Stage(value).label) for value in stages.allowed_targets(project.stage, project.paused_from)
        ]
        self.fields["to_stage"].widget.attrs.update({
            "hx-get": reverse("projects:stage", args=[project.pk]),
            "hx-trigger": "change",
            "hx-target": f"#stage-gated-{project.pk}",
            "hx-swap": "innerHTML",
        })
        if target is None and self.is_bound:
            target = self.data.get("to_stage")
        self.target = target if target in Stage.values else ""
        self.gated = gated_requirements(project, self.target)
        for field_name, label in self.gated:
            self.fields[field_name] = dress_field(gated_field(field_name, label, actor, project))
            current = getattr(project, field_name)
            if current not in (None, ""):
                self.fields[field_name].initial = current
            else:
                self.fields[field_name].widget.attrs["aria-required"] = "true"
                self.fields[field_name].help_text = _("进入该阶段必须填写。")
    @property
    def target_label(self) -> str:
        return Stage(self.target).label if self.target else ""

    def gated_fields(self):
        return [self[name] for name, _label in self.gated]

    def gated_values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name, _label in self.gated}


def gated_requirements(project: Project, target: str) -> list[tuple[str, str]]:
    """(field, label) the move from the project's stage to ``target`` needs, without duplicates."""
    if target not in PIPELINE:
        return []
    here = stages.effective_stage(project.stage, project.paused_from)
    seen, out = set(), []
    for _stage, field_name, label in stages.requirements_between(here, target):
        if field_name not in seen:
            seen.add(field_name)
            out.append((field_name, label))
    return out


def gated_field(field_name: str, label: str, actor, project: Project) -> forms.Field:
    if field_name in ("planned_investment", "signed_amount"):
        return AmountField(label=label)
    if field_name == "specialist":
        return specialist_field(label, actor=actor, current_id=project.specialist_id)
    if field_name in stages.DATE_FIELDS:
        return forms.DateField(label=label, required=False, widget=DateInput)
    field = _project(field_name).formfield(required=False)
    field.label = label
    return field


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def parse_day(value: str) -> datetime.date | None:
    try:
        return parse_date(value)
    except ValueError:  # well formed but impossible, e.g. 2025-02-30
        return None


class HandoverForm(ChineseFormMixin, forms.Form):
    """换服务专员: who takes over, and what is handed over (the note stays in the history)."""

    specialist = specialist_field(_("接任服务专员"))
    note = forms.CharField(label=_("交接说明"), widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("进展、对企业的承诺、未办结的事项。"))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, actor, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialist"].required = True
        # A first assignment has nothing to hand over; a handover does (the service insists).
        self.fields["note"].required = bool(project.specialist_id)
        self.fields["specialist"].queryset = specialist_choices(actor).exclude(pk=project.specialist_id)
