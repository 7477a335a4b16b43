"""Forms of the talent pages. They parse what a person typed; every rule is the services'."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import DISTRICT_ROLES
from apps.accounts.permissions import VIEW, actor_scope
from apps.chains.models import Cluster
from apps.core.errors import DomainError
from apps.core.forms import ChineseFormMixin, DateInput, SubmissionKeyMixin
from apps.organisations.choices import OrgKind
from apps.organisations.models import Organisation
from apps.projects.forms import offer_projects, specialist_choices, specialist_field
from apps.projects.models import Project
from apps.talent import stages
from apps.talent.choices import IntroductionMode, ProjectLinkKind, TalentKind, TalentStage
from apps.talent.models import Talent, TalentStageChange
from apps.talent.selectors import NONE
from apps.units.models import Unit, UnitKind
from apps.units.selectors import unit_choices_for_date

_talent = Talent._meta.get_field
_change = TalentStageChange._meta.get_field
# Affiliations offered in the select: universities, institutes and enterprises, newest first; the
# library grows to a million rows, so only a bounded list (plus the one already chosen).
AFFILIATION_SHORTLIST = 200


def affiliation_choices(actor, current: Organisation | None = None):
    rows = list(Organisation.objects.restrict(actor, VIEW).filter(
        kind__in=[OrgKind.UNIVERSITY, OrgKind.INSTITUTE, OrgKind.ENTERPRISE, OrgKind.CENTRAL_SOE],
        merged_into__isnull=True).order_by("-id").values_list("pk", "name")[:AFFILIATION_SHORTLIST])
    if current is not None and all(pk != current.pk for pk, _name in rows):
        rows.insert(0, (current.pk, current.name))
    return [("", _("未填写"))] + rows


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.unit.name}）"


class TalentFieldsForm(ChineseFormMixin, forms.Form):
    """The facts shared by the create and edit forms."""

    name = _talent("name").formfield()
    kind = forms.ChoiceField(label=_talent("kind").verbose_name, choices=TalentKind.choices,
                             initial=TalentKind.EXPERT)
    team_size = forms.IntegerField(label=_talent("team_size").verbose_name, required=False, min_value=1,
                                   help_text=_("人才类别为“团队”时必填。"))
    title = _talent("title").formfield()
    affiliation = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False,
                                         label=_talent("affiliation").verbose_name,
                                         help_text=_("高校、科研院所或企业；目标库中没有的请先在目标库登记。"))
    field = _talent("field").formfield()
    clusters = forms.ModelMultipleChoiceField(queryset=Cluster.objects.all(), required=False,
                                              label=_talent("clusters").verbose_name,
                                              help_text=_("可多选：按住 Ctrl（Mac 为 ⌘）点选。"),
                                              widget=forms.SelectMultiple(attrs={"size": 6}))
    source_unit = forms.ModelChoiceField(queryset=Unit.objects.all(), required=False, empty_label=_("无"),
                                         label=_talent("source_unit").verbose_name)
    specialist = specialist_field()
    project = ProjectChoiceField(queryset=Project.objects.none(), required=False, empty_label=_("不关联"),
                                 label=_talent("project").verbose_name)
    link_kind = forms.ChoiceField(label=_talent("link_kind").verbose_name, required=False,
                                  choices=[("", _("未选择")), *ProjectLinkKind.choices])
    description = _talent("description").formfield(widget=forms.Textarea(attrs={"rows": 3}))

    service_fields = ["name", "kind", "team_size", "title", "affiliation", "field", "source_unit", "specialist",
                      "project", "link_kind", "description"]

    def __init__(self, *args, actor, talent: Talent | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["specialist"].queryset = specialist_choices(actor, talent.specialist_id if talent else None)
        self.fields["affiliation"].queryset = Organisation.objects.restrict(actor, VIEW)
        self.fields["affiliation"].widget.choices = affiliation_choices(actor, talent.affiliation if talent else None)
        # 200,000 projects at scale: a shortlist and the search box beside the select (projects:project_options);
        # any visible live project validates.
        offer_projects(self.fields["project"], actor, posted=self.data.get("project") if self.is_bound else None,
                       current=talent.project if talent else None, empty_label=_("不关联"))

    def service_values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.service_fields}
        values["clusters"] = list(self.cleaned_data["clusters"])
        return values


class TalentCreateForm(SubmissionKeyMixin, TalentFieldsForm):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_talent("unit").verbose_name)
    first_contact_date = _talent("first_contact_date").formfield(widget=DateInput)

    field_order = ["name", "kind", "team_size", "title", "affiliation", "field", "clusters", "unit",
                   "first_contact_date"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        today = timezone.localdate()
        self.fields["first_contact_date"].initial = today
        scope = actor_scope(actor)
        units = [u for u in unit_choices_for_date(today) if u.kind != UnitKind.OFFICE
                 and (scope.role not in DISTRICT_ROLES or u.id in scope.unit_ids)]
        self.fields["unit"].queryset = Unit.objects.exclude(kind=UnitKind.OFFICE)
        self.fields["unit"].widget.choices = [("", _("请选择承接区县"))] + [(u.pk, u.name) for u in units]
        if actor.unit_id and any(u.pk == actor.unit_id for u in units):
            self.fields["unit"].initial = actor.unit_id

    def service_values(self) -> dict:
        return super().service_values() | {
            "unit": self.cleaned_data["unit"],
            "first_contact_date": self.cleaned_data["first_contact_date"],
            "submission_key": self.cleaned_data.get("submission_key", ""),
        }


class TalentEditForm(TalentFieldsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class TalentStageForm(ChineseFormMixin, forms.Form):
    """Move a talent record to another stage. The signing and arrival facts are offered while they are
    still empty; the service decides whether the move may happen and which facts it needs."""

    to_stage = forms.ChoiceField(label=_("新阶段"), choices=TalentStage.choices)
    expected_stage = forms.ChoiceField(choices=TalentStage.choices, widget=forms.HiddenInput)
    mode = forms.ChoiceField(label=_talent("mode").verbose_name, required=False,
                             choices=[("", _("未选择")), *IntroductionMode.choices], help_text=_("进入“签约”时必填。"))
    signed_date = forms.DateField(label=_talent("signed_date").verbose_name, required=False, widget=DateInput,
                                  help_text=_("进入“签约”时必填。"))
    arrived_date = forms.DateField(label=_talent("arrived_date").verbose_name, required=False, widget=DateInput,
                                   help_text=_("进入“到岗/落地”时必填。"))
    note = _change("note").formfield(widget=forms.Textarea(attrs={"rows": 2}), help_text=_("改为暂缓或终止时必填。"))
    skip_reason = _change("skip_reason").formfield(widget=forms.Textarea(attrs={"rows": 2}),
                                                   help_text=_("跳过中间阶段时必填。"))
    evidence = _change("evidence").formfield(widget=forms.TextInput)
    occurred_on = forms.DateField(label=_("发生日期"), required=False, widget=DateInput,
                                  help_text=_("默认今天；补录时填写实际发生的日期。"))

    def __init__(self, *args, talent: Talent, **kwargs):
        super().__init__(*args, **kwargs)
        self.talent = talent
        self.fields["expected_stage"].initial = talent.stage
        # Any stage value reaches the service, so a backward or stale choice gets its explanation; the
        # select offers only the stages that may follow.
        self.fields["to_stage"].widget.choices = [("", _("请选择新阶段"))] + [
            (value, TalentStage(value).label) for value in stages.allowed_targets(talent.stage, talent.paused_from)
        ]
        for name in stages.GATED_FIELDS:
            if getattr(talent, name) not in (None, ""):
                del self.fields[name]

    def gated_fields(self):
        return [self[name] for name in stages.GATED_FIELDS if name in self.fields]

    def gated_values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in stages.GATED_FIELDS if name in self.fields}


class SpecialistForm(ChineseFormMixin, forms.Form):
    specialist = specialist_field(_("服务专员"))
    note = forms.CharField(label=_("交接说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("更换服务专员时必填：进展、对人才的承诺、未办结的事项。"))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, actor, talent: Talent, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialist"].required = True
        self.fields["specialist"].queryset = specialist_choices(actor).exclude(pk=talent.specialist_id)


class ArchiveForm(ChineseFormMixin, forms.Form):
    reason = forms.CharField(label=_("归档原因"), max_length=300)


class TalentFilterForm(ChineseFormMixin, forms.Form):
    """One filter form for the list page and GET /api/v1/talent."""

    q = forms.CharField(label=_("关键词"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("姓名、单位、领域"), "type": "search"}))
    stage = forms.ChoiceField(label=_("阶段"), required=False, choices=[("", _("全部阶段")), *TalentStage.choices])
    kind = forms.ChoiceField(label=_("人才类别"), required=False, choices=[("", _("全部类别")), *TalentKind.choices])
    cluster = forms.ChoiceField(label=_("产业集群"), required=False)
    unit = forms.ModelChoiceField(label=_("承接区县"), required=False, empty_label=_("全部区县"),
                                  queryset=Unit.objects.exclude(kind=UnitKind.OFFICE))
    # The cockpit's figures open the list with these (引进 by signing date, 到岗 by arrival date).
    signed_from = forms.DateField(label=_("签约日期起"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    signed_to = forms.DateField(label=_("签约日期止"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    arrived_from = forms.DateField(label=_("到岗日期起"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    arrived_to = forms.DateField(label=_("到岗日期止"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].choices = [("", _("全部集群")), (NONE, _("未选择产业集群"))] + [
            (str(c.pk), c.name) for c in Cluster.objects.all()]

    def selector_kwargs(self) -> dict:
        """The valid values as talent_list arguments; an invalid one is dropped (the page shows all)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        unit = data.get("unit")
        return {"q": (data.get("q") or "").strip(), "stage": data.get("stage") or "", "kind": data.get("kind") or "",
                "cluster_id": data.get("cluster") or None, "unit_id": unit.pk if unit else None,
                **{name: data.get(name) for name in ("signed_from", "signed_to", "arrived_from", "arrived_to")}}

    def checked_selector_kwargs(self) -> dict:
        """For a program (the API): a value that does not validate is a DomainError naming the
        parameter, never dropped, since a script would take the wider list for the one it asked for."""
        if not self.is_valid():
            name, errors = next(iter(self.errors.items()))
            label = str(self.fields[name].label)
            raise DomainError(f"{label}（{name}）：{str(errors[0]).removeprefix(f'{label}：')}", field=name)
        return self.selector_kwargs()

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.fields)


class AttendForm(ChineseFormMixin, forms.Form):
    """Record that the talent took part in one of the platform's events (the latest first)."""

    event = forms.ModelChoiceField(label=_("参加的活动"), queryset=None, empty_label=_("选择活动"))

    def __init__(self, *args, **kwargs):
        from apps.events.models import Event

        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.order_by("-date", "-id")[:100] if not self.is_bound \
            else Event.objects.all()
