from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.uploads import MAX_IMPORT_BYTES, SizeLimit

ACCEPTED = ".csv,.xlsx,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("文件"), help_text=_("CSV（UTF-8 或 GBK 编码均可）或 XLSX；第一行为表头，须有“名称”列。"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ACCEPTED}),
        error_messages={"required": _("请选择要导入的文件。"), "empty": _("上传的文件是空的。")},
        validators=[SizeLimit(MAX_IMPORT_BYTES, _("文件"), _("请拆分成几个文件分批导入"))],
    )
    dry_run = forms.BooleanField(
        label=_("试运行：只检查并生成报告，不写入目标库"), required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
