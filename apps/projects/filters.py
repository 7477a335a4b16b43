"""The project filters, one definition for the list, the board and the API (GET /api/v1/projects): a GET
form whose valid values become the keyword arguments of selectors.project_list. The page drops a value
that does not validate; the API refuses it (checked_selector_kwargs)."""

import functools

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.chains.models import Cluster
from apps.core.errors import DomainError
from apps.core.forms import ChineseFormMixin
from apps.core.reference import Kept
from apps.projects.choices import ChainRole, Stage
from apps.projects.selectors import NONE
from apps.units.models import Unit, UnitKind
from apps.units.selectors import unit_rollup_note

# The unit and cluster options of ProjectFilterForm, per language (forgotten when this process saves a unit or a
# cluster: apps.projects.apps).
FILTER_CHOICES = Kept(ttl=30.0)


def _kept_options(field, name: str) -> list:
    return FILTER_CHOICES.get((name, get_language()), lambda: list(field.iterator(field)))


class UnitFilterField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.ended_on and obj.successor_id:
            return _("%(name)s（已并入%(successor)s）") % {"name": obj.name, "successor": obj.successor.name}
        return obj.name


class _NoneAfterEmpty(ModelChoiceIterator):
    """The select's options with "none" (records without one) right after "all"."""

    def __iter__(self):
        choices = super().__iter__()
        if self.field.empty_label is not None:
            yield next(choices)
        yield (NONE, self.field.none_label)
        yield from choices

    def __len__(self):
        return super().__len__() + 1


class NoneOrModelChoiceField(forms.ModelChoiceField):
    """A reference that may also be NONE: the records that have none (a cockpit row "未归类")."""

    iterator = _NoneAfterEmpty

    def __init__(self, *args, none_label, **kwargs):
        self.none_label = none_label
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value == NONE:
            return NONE
        return super().to_python(value)


def place_narrowing(unit: Unit | None, cluster: Cluster | None) -> str:
    """"承接区县：两江新区，含原江北区、原渝北区（2025年11月6日撤销，并入两江新区） · 产业集群：…" — said above
    a list that a link (a cockpit figure) narrowed by unit and cluster, so the count is understood."""
    parts = []
    if unit is not None:
        note = unit_rollup_note(unit)
        parts.append(f"{_('承接区县')}：{unit.name}" + (f"，{note}" if note else ""))
    if cluster is not None:
        parts.append(f"{_('产业集群')}：{cluster.name}")
    return " · ".join(parts)


class ProjectFilterForm(ChineseFormMixin, forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("项目或企业名称"), "type": "search"}))
    stage = forms.ChoiceField(label=_("阶段"), required=False, choices=[("", _("全部阶段")), *Stage.choices])
    unit = UnitFilterField(label=_("承接区县"), required=False, empty_label=_("全部区县"),
                           queryset=Unit.objects.exclude(kind=UnitKind.OFFICE).select_related("successor"))
    cluster = NoneOrModelChoiceField(label=_("产业集群"), required=False, empty_label=_("全部集群"),
                                     none_label=_("未选择产业集群"), queryset=Cluster.objects.all())
    chain_role = forms.ChoiceField(label=_("链上作用"), required=False,
                                   choices=[("", _("全部")), (NONE, _("未选择链上作用")), *ChainRole.choices])
    mine = forms.BooleanField(label=_("只看我的"), required=False)
    source_unit = NoneOrModelChoiceField(label=_("线索来源单位"), required=False, empty_label=_("全部"),
                                         none_label=_("无线索来源单位"), queryset=Unit.objects.all())
    signed_from = forms.DateField(label=_("签约日期自"), required=False)
    signed_to = forms.DateField(label=_("签约日期至"), required=False)
    registered_from = forms.DateField(label=_("注册落地日期自"), required=False)
    registered_to = forms.DateField(label=_("注册落地日期至"), required=False)
    production_from = forms.DateField(label=_("投产日期自"), required=False)
    production_to = forms.DateField(label=_("投产日期至"), required=False)
    intention_from = forms.DateField(label=_("达成意向日期自"), required=False)
    intention_to = forms.DateField(label=_("达成意向日期至"), required=False)
    # Set by the cockpit's 以商招商 rows: the projects a landed firm brought (organisation id), credited when.
    referred_by = forms.IntegerField(label=_("引荐企业"), required=False, min_value=1, widget=forms.HiddenInput)
    referred_from = forms.DateField(label=_("引荐日期自"), required=False)
    referred_to = forms.DateField(label=_("引荐日期至"), required=False)

    # The fields a figure of the cockpit may set; shown as a line above the list, not as inputs.
    RANGE_LABELS = {"signed": _("签约日期"), "registered": _("注册落地日期"), "production": _("投产日期"),
                    "intention": _("达成意向日期"), "referred": _("引荐日期")}

    def __init__(self, data=None, *args, **kwargs):
        # An empty query string is an unfiltered list, not an invalid form.
        super().__init__(data if data is not None else {}, *args, **kwargs)
        # The district and cluster selects list reference data: reading and labelling their options was a third
        # of the project list's time. Kept per process and language for seconds (core.reference, ADR 0014), and
        # read only when a page renders the select (the API validates with this form and shows none); a chosen
        # value is still checked against the database (the fields' querysets).
        for name in ("unit", "cluster"):
            self.fields[name].choices = functools.partial(_kept_options, self.fields[name], name)

    def selector_kwargs(self) -> dict:
        """Keyword arguments for project_list/project_board. A value that does not validate (a
        stale link, a hand-edited URL) is dropped rather than turning the list empty."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        unit = data.get("unit")
        cluster = data.get("cluster")
        source_unit = data.get("source_unit")
        dates = {key: (data.get(f"{key}_from"), data.get(f"{key}_to")) for key in self.RANGE_LABELS
                 if data.get(f"{key}_from") or data.get(f"{key}_to")}
        return {
            "q": (data.get("q") or "").strip(),
            "stage": data.get("stage") or "",
            "unit_id": unit.pk if unit else None,
            "cluster_id": NONE if cluster == NONE else (cluster.pk if cluster else None),
            "chain_role": data.get("chain_role") or "",
            "mine": bool(data.get("mine")),
            "source_unit_id": NONE if source_unit == NONE else (source_unit.pk if source_unit else None),
            "dates": dates,
            "referred_by_id": data.get("referred_by"),
        }

    def checked_selector_kwargs(self) -> dict:
        """selector_kwargs for a program (the API): a value that does not validate is refused with a
        DomainError naming the field (400), never dropped, since a script would take the wider list
        for the one it asked for."""
        if not self.is_valid():
            name, errors = next(iter(self.errors.items()))
            label, message = str(self.fields[name].label), str(errors[0])
            # "产业集群：所选的值不是可选项…" → "产业集群（cluster）：…": the sentence and the parameter.
            message = message.removeprefix(f"{label}：")
            raise DomainError(f"{label}（{name}）：{message}", field=name, code="invalid")
        return self.selector_kwargs()

    CARRIED = ["source_unit", "signed_from", "signed_to", "registered_from", "registered_to", "production_from",
               "production_to", "intention_from", "intention_to", "referred_by", "referred_from", "referred_to"]

    def carried(self) -> list[tuple[str, str]]:
        """The link-set conditions as hidden inputs, so refining the list keeps them."""
        return [(name, self.data[name]) for name in self.CARRIED if self.data.get(name)]

    def narrowing(self) -> list[str]:
        """The conditions set by a link (a cockpit figure) rather than the inputs above the list, in words:
        "签约日期：2025年1月1日至2025年12月31日", "未选择产业集群"."""
        from apps.core.templatetags.display import cndate

        kwargs = self.selector_kwargs()
        out = []
        for key, (start, end) in kwargs["dates"].items():
            span = f"{cndate(start) if start else '…'}至{cndate(end) if end else '今'}"
            out.append(f"{self.RANGE_LABELS[key]}：{span}")
        if kwargs["source_unit_id"] == NONE:
            out.append(str(_("无线索来源单位")))
        elif kwargs["source_unit_id"]:
            out.append(f"{_('线索来源单位')}：{self.cleaned_data['source_unit'].name}")
        if kwargs["referred_by_id"]:
            from apps.organisations.models import Organisation

            name = Organisation.objects.filter(pk=kwargs["referred_by_id"]).values_list("name", flat=True).first()
            out.append(f"{_('引荐企业')}：{name or kwargs['referred_by_id']}")
        if kwargs["cluster_id"] == NONE:
            out.append(str(_("未选择产业集群")))
        if kwargs["chain_role"] == NONE:
            out.append(str(_("未选择链上作用")))
        return out

    @property
    def is_filtered(self) -> bool:
        kwargs = self.selector_kwargs()
        return any(kwargs.values())
