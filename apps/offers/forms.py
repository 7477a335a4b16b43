"""Forms of the offers pages. They parse; apps.offers.services decides."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.chains.models import ChainLink, Cluster
from apps.core.forms import ChineseFormMixin, DateInput
from apps.offers.models import NeedProfile, Park, Policy, Resource, Site
from apps.organisations.models import Organisation
from apps.organisations.selectors import organisation_list
from apps.projects.forms import OrganisationSelect, organisation_shortlist
from apps.units.models import Unit
from apps.units.selectors import unit_choices_for_date


def _clusters_field(label):
    return forms.ModelMultipleChoiceField(queryset=Cluster.objects.all(), required=False, label=label,
                                          widget=forms.SelectMultiple(attrs={"size": 6}))


class OfferForm(ChineseFormMixin, forms.Form):
    model = None
    fields_order: list[str] = []

    def __init__(self, *args, unit: Unit, instance=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instance)
        super().__init__(*args, **kwargs)
        self.unit = unit

    def initial_from(self, instance) -> dict:
        initial = {}
        for name in self.base_fields:
            value = getattr(instance, name)
            if hasattr(value, "all"):
                value = list(value.all())
            initial[name] = value
        return initial

    def service_values(self) -> dict:
        return dict(self.cleaned_data)


def _f(model, name, **kwargs):
    return model._meta.get_field(name).formfield(**kwargs)


class ParkForm(OfferForm):
    name = _f(Park, "name")
    kind = _f(Park, "kind")
    address = _f(Park, "address", required=False)
    clusters = _clusters_field(_("主导产业集群"))
    leading_industries = _f(Park, "leading_industries", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    description = _f(Park, "description", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class SiteForm(OfferForm):
    name = _f(Site, "name")
    kind = _f(Site, "kind")
    park = forms.ModelChoiceField(queryset=Park.objects.none(), required=False, label=_("所在园区"),
                                  empty_label=_("不在园区内"))
    area = forms.DecimalField(label=_("面积（平方米）"), required=False, max_digits=12, decimal_places=2,
                              help_text=_("土地也按平方米填写（1亩≈666.67平方米），页面同时显示亩数。"))
    price = forms.DecimalField(label=_("价格"), required=False, max_digits=12, decimal_places=2)
    price_unit = _f(Site, "price_unit", required=False)
    power_kva = forms.IntegerField(label=_("供电容量（千伏安）"), required=False)
    water_tpd = forms.DecimalField(label=_("供水能力（吨/日）"), required=False, max_digits=10, decimal_places=1)
    ready_date = _f(Site, "ready_date", widget=DateInput, required=False)
    status = _f(Site, "status")
    note = _f(Site, "note", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, unit=unit, **kwargs)
        self.fields["park"].queryset = Park.objects.live().filter(unit=unit)
        self.fields["price_unit"].choices = [("", _("未填写"))] + [
            c for c in self.fields["price_unit"].choices if c[0]]


class PolicyForm(OfferForm):
    title = _f(Policy, "title")
    doc_number = _f(Policy, "doc_number", required=False)
    summary = _f(Policy, "summary", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    conditions = _f(Policy, "conditions", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    valid_from = _f(Policy, "valid_from", widget=DateInput, required=False)
    valid_until = _f(Policy, "valid_until", widget=DateInput, required=False)
    clusters = _clusters_field(_("适用产业集群"))


class ResourceForm(OfferForm):
    kind = _f(Resource, "kind")
    title = _f(Resource, "title")
    description = _f(Resource, "description", widget=forms.Textarea(attrs={"rows": 3}), required=False)


FORMS = {"park": ParkForm, "site": SiteForm, "policy": PolicyForm, "resource": ResourceForm}


class LinkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.cluster.name} · {obj.name}"


class NeedForm(ChineseFormMixin, forms.Form):
    title = _f(NeedProfile, "title")
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("企业"), required=False,
                                          widget=OrganisationSelect,
                                          help_text=_("向区县推荐前必须选择企业。"))
    cluster = forms.ModelChoiceField(queryset=Cluster.objects.all(), label=_("产业集群"), required=False)
    chain_link = LinkChoiceField(queryset=ChainLink.objects.select_related("cluster"), required=False,
                                 label=_("产业链环节"), help_text=_("选填；须属于所选产业集群。"))
    site_kind = _f(NeedProfile, "site_kind", required=False)
    area_min = forms.DecimalField(label=_("面积下限（平方米）"), required=False, max_digits=12, decimal_places=2)
    area_max = forms.DecimalField(label=_("面积上限（平方米）"), required=False, max_digits=12, decimal_places=2)
    power_kva = forms.IntegerField(label=_("用电需求（千伏安）"), required=False)
    water_tpd = forms.DecimalField(label=_("用水需求（吨/日）"), required=False, max_digits=10, decimal_places=1)
    needs_talent = _f(NeedProfile, "needs_talent", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    needs_market = _f(NeedProfile, "needs_market", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    needed_by = _f(NeedProfile, "needed_by", widget=DateInput, required=False)
    notes = _f(NeedProfile, "notes", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    service_fields = ["title", "organisation", "cluster", "chain_link", "site_kind", "area_min", "area_max",
                      "power_kva", "water_tpd", "needs_talent", "needs_market", "needed_by", "notes"]

    def __init__(self, *args, actor, need: NeedProfile | None = None, **kwargs):
        if need is not None and "initial" not in kwargs:
            kwargs["initial"] = {key: getattr(need, key) for key in self.service_fields}
        super().__init__(*args, **kwargs)
        self.fields["site_kind"].choices = [("", _("不需要载体"))] + [c for c in self.fields["site_kind"].choices if c[0]]
        org_field = self.fields["organisation"]
        org_field.queryset = organisation_list(actor=actor)
        chosen = need.organisation if need is not None else None
        if self.is_bound and str(self.data.get("organisation", "")).isdigit():
            chosen = org_field.queryset.filter(pk=int(self.data["organisation"])).first() or chosen
        org_field.widget.choices = [("", _("请选择企业"))] + [
            (org.pk, org.name) for org in organisation_shortlist(actor, selected=chosen)]

    def service_values(self) -> dict:
        return {key: self.cleaned_data.get(key) for key in self.service_fields}


class SendForm(forms.Form):
    units = forms.ModelMultipleChoiceField(queryset=Unit.objects.none(), required=False, label=_("推荐区县"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        active = [unit.pk for unit in unit_choices_for_date(timezone.localdate())]
        self.fields["units"].queryset = Unit.objects.filter(pk__in=active)
