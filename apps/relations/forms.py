from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.uploads import MAX_SHEET_BYTES, SizeLimit
from apps.organisations.models import Person
from apps.relations.choices import RelationKind, Strength, TieChannel, Warmth

SELECT = {"class": "form-select"}
TEXT = {"class": "form-control"}


class RelationForm(forms.Form):
    related = forms.CharField(label=_("关联企业"), max_length=200,
                              widget=forms.TextInput(attrs={**TEXT, "placeholder": _("名称、简称或统一社会信用代码")}),
                              error_messages={"required": _("关联企业：请填写名称或统一社会信用代码。")})
    kind = forms.ChoiceField(label=_("它是本企业的"), choices=RelationKind.choices, widget=forms.Select(attrs=SELECT))
    strength = forms.TypedChoiceField(label=_("强度"), choices=Strength.choices, coerce=int, initial=Strength.MEDIUM,
                                      widget=forms.Select(attrs=SELECT))
    evidence = forms.CharField(label=_("依据"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={**TEXT, "rows": 2,
                                                            "placeholder": _("如：年报披露的前五大供应商")}))


class PersonTieForm(forms.Form):
    person = forms.CharField(label=_("人员"), max_length=50,
                             widget=forms.TextInput(attrs={**TEXT, "placeholder": _("人员库中的姓名或编号")}),
                             error_messages={"required": _("人员：请填写人员库中的姓名或编号。")})
    channel = forms.ChoiceField(label=_("渠道"), choices=TieChannel.choices, widget=forms.Select(attrs=SELECT))
    warmth = forms.TypedChoiceField(label=_("熟悉程度"), choices=Warmth.choices, coerce=int, initial=Warmth.WARM,
                                    widget=forms.Select(attrs=SELECT))
    note = forms.CharField(label=_("说明"), required=False, max_length=500,
                           widget=forms.TextInput(attrs={**TEXT, "placeholder": _("如：2023年挂职时对接过该企业")}))

    def clean_person(self):
        text = self.cleaned_data["person"].strip().lstrip("#＃")
        people = Person.objects.filter(is_archived=False)
        if text.isdigit():
            person = people.filter(pk=int(text)).first()
            if person is None:
                raise forms.ValidationError(_("人员：编号%(pk)s不在人员库中。") % {"pk": text})
            return person
        matches = list(people.filter(name=text)[:3])
        if not matches:
            raise forms.ValidationError(_("人员：人员库中没有“%(name)s”，请先在人员库登记。") % {"name": text})
        if len(matches) > 1:
            numbers = "、".join(str(p.pk) for p in matches)
            raise forms.ValidationError(_("人员：人员库中有多位“%(name)s”（编号%(numbers)s），请改填编号。")
                                        % {"name": text, "numbers": numbers})
        return matches[0]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX文件"), error_messages={"required": _("文件：请选择要导入的XLSX文件。")},
                           widget=forms.ClearableFileInput(attrs={**TEXT, "accept": ".xlsx,.csv"}),
                           validators=[SizeLimit(MAX_SHEET_BYTES, _("文件"), _("请拆分成几个文件分批导入"))])
    create_missing = forms.BooleanField(label=_("目标库中没有的企业自动登记为新主体"), required=False,
                                        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("开始日期"), required=False,
                            widget=forms.DateInput(attrs={**TEXT, "type": "date"}))
    end = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={**TEXT, "type": "date"}))
    unit = forms.ModelChoiceField(label=_("引荐单位"), required=False, queryset=None,
                                  widget=forms.Select(attrs=SELECT), empty_label=_("全部"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.units.models import Unit

        self.fields["unit"].queryset = Unit.objects.all()

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("结束日期：不能早于开始日期。"))
        return data
