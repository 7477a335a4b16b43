"""The filters of the target-library lists, one definition for the HTML pages (and the API, which
can validate its query parameters with the same form)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.organisations.choices import IndustrySection, OrgKind


class FilterForm(forms.Form):
    def selector_kwargs(self) -> dict:
        """The valid filters, ready for the selector. A stale or hand-edited value in the address
        (say ?kind=foo) is dropped rather than answered with an empty list."""
        if not self.is_bound:
            return {}
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned[name] for name in self.fields if cleaned.get(name)}


class OrganisationFilter(FilterForm):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100, strip=True)
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型")), *OrgKind.choices])
    industry_section = forms.ChoiceField(
        label=_("行业门类"), required=False, choices=[("", _("全部行业")), *IndustrySection.choices]
    )


class PersonFilter(FilterForm):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100, strip=True)
