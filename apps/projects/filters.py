"""The project filters, one definition for the list, the board and (later) the API: a GET form whose
valid values become the keyword arguments of selectors.project_list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.chains.models import Cluster
from apps.core.forms import ChineseFormMixin
from apps.projects.choices import ChainRole, Stage
from apps.units.models import Unit, UnitKind


class UnitFilterField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.ended_on and obj.successor_id:
            return _("%(name)s（已并入%(successor)s）") % {"name": obj.name, "successor": obj.successor.name}
        return obj.name


class ProjectFilterForm(ChineseFormMixin, forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("项目或企业名称"), "type": "search"}))
    stage = forms.ChoiceField(label=_("阶段"), required=False, choices=[("", _("全部阶段")), *Stage.choices])
    unit = UnitFilterField(label=_("承接区县"), required=False, empty_label=_("全部区县"),
                           queryset=Unit.objects.exclude(kind=UnitKind.OFFICE).select_related("successor"))
    cluster = forms.ModelChoiceField(label=_("产业集群"), required=False, empty_label=_("全部集群"),
                                     queryset=Cluster.objects.all())
    chain_role = forms.ChoiceField(label=_("链上作用"), required=False,
                                   choices=[("", _("全部")), *ChainRole.choices])
    mine = forms.BooleanField(label=_("只看我的"), required=False)

    def __init__(self, data=None, *args, **kwargs):
        # An empty query string is an unfiltered list, not an invalid form.
        super().__init__(data if data is not None else {}, *args, **kwargs)

    def selector_kwargs(self) -> dict:
        """Keyword arguments for project_list/project_board. A value that does not validate (a
        stale link, a hand-edited URL) is dropped rather than turning the list empty."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        unit = data.get("unit")
        cluster = data.get("cluster")
        return {
            "q": (data.get("q") or "").strip(),
            "stage": data.get("stage") or "",
            "unit_id": unit.pk if unit else None,
            "cluster_id": cluster.pk if cluster else None,
            "chain_role": data.get("chain_role") or "",
            "mine": bool(data.get("mine")),
        }

    @property
    def is_filtered(self) -> bool:
        kwargs = self.selector_kwargs()
        return any(kwargs.values())
