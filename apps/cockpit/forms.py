"""The cockpit's filters: period (今年以来 by default), unit (for those who see every unit) and cluster."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.chains.models import Cluster
from apps.cockpit.selectors import StatsFilter
from apps.core.forms import ChineseFormMixin, DateInput
from apps.projects.filters import UnitFilterField
from apps.units.models import Unit, UnitKind


class CockpitFilterForm(ChineseFormMixin, forms.Form):
    start = forms.DateField(label=_("开始日期"), required=False, widget=DateInput)
    end = forms.DateField(label=_("结束日期"), required=False, widget=DateInput)
    unit = UnitFilterField(label=_("承接区县"), required=False, empty_label=_("全部区县"),
                           queryset=Unit.objects.exclude(kind=UnitKind.OFFICE).select_related("successor"))
    cluster = forms.ModelChoiceField(label=_("产业集群"), required=False, empty_label=_("全部集群"),
                                     queryset=Cluster.objects.all())

    def __init__(self, data=None, *, all_units: bool, **kwargs):
        super().__init__(data if data is not None else {}, **kwargs)
        if not all_units:
            # A district's cockpit is its own district; the field would only offer a refusal.
            del self.fields["unit"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("start", _("开始日期不能晚于结束日期。"))
        return data

    def stats_filter(self, today: datetime.date) -> StatsFilter:
        """The filter counted: the valid fields as given, 今年以来 for a missing or invalid period."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        default_start, default_end = StatsFilter.default_period(today)
        if "start" in self.errors or "end" in self.errors:
            start, end = default_start, default_end
        else:
            end = data.get("end") or default_end
            # Without a start, the year of the end date so far — the same rule as the API.
            start = data.get("start") or StatsFilter.default_period(end)[0]
        unit, cluster = data.get("unit"), data.get("cluster")
        return StatsFilter(start=start, end=end, unit_id=unit.pk if unit else None,
                           cluster_id=cluster.pk if cluster else None)
