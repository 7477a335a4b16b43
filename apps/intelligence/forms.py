"""招商情报 input: an article pasted or uploaded. The service reads and checks the content; the form
only parses the shape."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import ChineseFormMixin, DateInput
from apps.projects.choices import AgreementType


class ArticleForm(ChineseFormMixin, forms.Form):
    text = forms.CharField(label=_("文章正文"), required=False, widget=forms.Textarea(attrs={"rows": 12}),
                           help_text=_("粘贴整篇报道（可含标题、日期）；分享栏、编辑署名、“相关推荐”等会自动去掉。"))
    file = forms.FileField(label=_("或上传文件"), required=False,
                           help_text=_("支持 .txt（UTF-8 或 GBK）、.html、.docx，最大 5MB。"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".txt,.html,.htm,.docx"}))
    title = forms.CharField(label=_("标题"), required=False, max_length=300, help_text=_("留空则取文章第一行。"))
    source = forms.CharField(label=_("来源"), required=False, max_length=100,
                             widget=forms.TextInput(attrs={"placeholder": _("如：重庆日报")}))
    url = forms.URLField(label=_("原文链接"), required=False, max_length=500, assume_scheme="https")
    published = forms.DateField(label=_("发布日期"), required=False, widget=DateInput,
                                help_text=_("留空则取文中日期；用于推算“昨日”等相对日期。"))

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("file"):
            raise forms.ValidationError(_("请粘贴文章正文，或上传 .txt、.html、.docx 文件。"))
        return data


class SigningActionForm(forms.Form):
    agreement_type = forms.ChoiceField(label=_("协议类型"), choices=AgreementType.choices,
                                       initial=AgreementType.FRAMEWORK)
    exchange_rate = forms.CharField(label=_("折算汇率（元）"), required=False, max_length=20)
