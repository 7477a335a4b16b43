"""Forms of the target-library pages. They only parse what was typed; the services decide what may
be saved and say why not (apps.core.forms.apply_domain_error puts that next to the field)."""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.codes import normalise_code
from apps.core.forms import ChineseFormMixin, SubmissionKeyMixin
from apps.core.models import FormSubmission
from apps.core.text import normalise_name
from apps.organisations.choices import AliasKind
from apps.organisations.matching import match_organisation
from apps.organisations.models import Organisation, Person
from apps.organisations.selectors import organisation_list
from apps.organisations.services import ORG_FIELDS

# People type short names separated by commas or 顿号, in either width, or one per line.
SHORT_NAME_SEPARATORS = re.compile(r"[,，、;；\n\r]+")


def split_short_names(text: str) -> list[str]:
    return [part.strip() for part in SHORT_NAME_SEPARATORS.split(text or "") if part.strip()]


def _org_field(name, **kwargs):
    """The form field Django derives from the model, so labels stay the model's verbose_name."""
    return Organisation._meta.get_field(name).formfield(**kwargs)


def _person_field(name, **kwargs):
    return Person._meta.get_field(name).formfield(**kwargs)


class OrganisationForm(ChineseFormMixin, forms.Form):
    name = _org_field("name")
    # Longer than 18 on purpose: a code pasted with spaces or dashes is normalised by the service,
    # and a wrong length gets the service's message ("应为18位") rather than a generic one.
    credit_code = _org_field("credit_code", max_length=40)
    kind = _org_field("kind")
    region = _org_field("region")
    industry_section = _org_field("industry_section")
    size = _org_field("size")
    is_fortune500 = _org_field("is_fortune500")
    is_specialised = _org_field("is_specialised")
    is_listed = _org_field("is_listed")
    source = _org_field("source")
    description = _org_field("description", widget=forms.Textarea(attrs={"rows": 3}))
    short_names = forms.CharField(
        label=gettext_lazy("简称"), required=False, max_length=1000,
        help_text=gettext_lazy("多个简称用逗号或顿号分隔，如：骅远、骅远科技"),
    )

    # The fuzzy duplicate check (matching.py): the service refuses only exact duplicates (the same name
    # or credit code); a name the matcher judges to be the same firm ("…有限责任公司" for "…有限公司")
    # is refused here until the person says they checked.
    confirm_not_duplicate = forms.BooleanField(label=gettext_lazy("我已核对，确认不是同一主体"), required=False)

    def __init__(self, *args, exclude_id: int | None = None, check_duplicates: bool = True, **kwargs):
        self.exclude_id = exclude_id
        self.check_duplicates = check_duplicates
        self.same_candidate = None
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        if not self.check_duplicates or not name or cleaned.get("confirm_not_duplicate") or self.errors:
            return cleaned
        key = cleaned.get("submission_key")
        if key and FormSubmission.objects.filter(key=key).exists():
            # A repeat of a form already saved: the service sends it to what the first one made, rather
            # than this check calling that very record a duplicate.
            return cleaned
        result = match_organisation(name, credit_code=cleaned.get("credit_code") or "", exclude_id=self.exclude_id)
        best = result.candidates[0] if result.candidates else None
        if best is not None and best.verdict == "same":
            self.same_candidate = best
            existing = best.organisation
            if existing.credit_code:
                message = _("目标库中已有“%(name)s”（统一社会信用代码%(code)s），很可能是同一主体。请直接使用该记录；"
                            "确认不是同一主体请勾选“我已核对，确认不是同一主体”后再保存。")
            else:
                message = _("目标库中已有“%(name)s”，很可能是同一主体。请直接使用该记录；"
                            "确认不是同一主体请勾选“我已核对，确认不是同一主体”后再保存。")
            self.add_error("name", message % {"name": existing.name, "code": existing.credit_code})
        return cleaned

    def service_kwargs(self) -> dict:
        data = {name: self.cleaned_data[name] for name in ORG_FIELDS}
        data["credit_code"] = data["credit_code"] or ""
        data["short_names"] = split_short_names(self.cleaned_data["short_names"])
        return data

    @staticmethod
    def initial_for(organisation: Organisation) -> dict:
        initial = {name: getattr(organisation, name) for name in ORG_FIELDS}
        initial["short_names"] = "、".join(a.name for a in organisation.aliases.all() if a.kind == AliasKind.SHORT)
        initial["version"] = organisation.version
        return initial


class OrganisationCreateForm(SubmissionKeyMixin, OrganisationForm):
    pass


class OrganisationEditForm(OrganisationForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PersonCreateForm(SubmissionKeyMixin, ChineseFormMixin, forms.Form):
    name = _person_field("name")
    kind = _person_field("kind")
    # A name or credit code typed in, not a drop-down: the library holds far too many rows to list.
    organisation = forms.CharField(
        label=Person._meta.get_field("organisation").verbose_name, required=False, max_length=200,
        help_text=gettext_lazy("填写目标库中主体的全称、简称或统一社会信用代码；可留空"),
    )
    title = _person_field("title")
    phone = _person_field("phone")
    email = _person_field("email")
    notes = _person_field("notes", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, actor, **kwargs):
        self.actor = actor
        super().__init__(*args, **kwargs)

    def clean_organisation(self) -> Organisation | None:
        text = self.cleaned_data["organisation"].strip()
        if not text:
            return None
        name, code = normalise_name(text), normalise_code(text)
        candidates = list(organisation_list(actor=self.actor, q=text)[:10])
        for org in candidates:
            if org.name == name or org.credit_code == code or any(a.name == name for a in org.aliases.all()):
                return org
        label = self.fields["organisation"].label
        if candidates:
            names = "、".join(f"“{org.name}”" for org in candidates[:5])
            raise forms.ValidationError(
                _("%(field)s：目标库中没有与“%(text)s”完全相同的主体。您是不是要找：%(names)s？请填写完整名称。")
                % {"field": label, "text": text, "names": names}
            )
        raise forms.ValidationError(
            _("%(field)s：目标库中没有“%(text)s”，请先登记该主体，或留空。") % {"field": label, "text": text}
        )

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in ["name", "kind", "organisation", "title", "phone",
                                                            "email", "notes"]}
