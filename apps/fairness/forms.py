"""Pages' input: a review of a flag, and a draft pasted or uploaded for a one-off check."""

import io
import zipfile

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.forms import ChineseFormMixin
from apps.fairness.models import FlagStatus

MAX_UPLOAD = 5 * 1024 * 1024
MAX_TEXT = 200_000
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ReviewForm(ChineseFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("审查结论"), widget=forms.RadioSelect,
                               choices=[(FlagStatus.CLEARED, FlagStatus.CLEARED.label),
                                        (FlagStatus.AMENDED, FlagStatus.AMENDED.label)])
    note = forms.CharField(label=_("审查意见"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("写明依据（如国家统一政策的文件名）或修改后的条款。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # RadioSelect is a Select subclass for dress_field, but radios take Bootstrap's check classes.
        self.fields["status"].widget.attrs["class"] = "form-check-input"


def docx_text(data: bytes) -> str:
    """The paragraphs and table cells of a .docx. Raises ValueError with a Chinese sentence when the bytes
    are not a Word document, whatever the file was called."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValueError(gettext("上传文件：不是有效的 .docx 文件（Word 2007 及以后的格式），请另存为 .docx 后再上传。"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        if "word/document.xml" not in names or "[Content_Types].xml" not in names:
            raise ValueError(gettext("上传文件：压缩包里没有 Word 正文，请上传 .docx 文件。"))
        if sum(info.file_size for info in archive.infolist()) > 20 * MAX_UPLOAD:
            raise ValueError(gettext("上传文件：解压后内容过大，请拆分后再上传。"))
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several types for a damaged package
        raise ValueError(gettext("上传文件：Word 文件已损坏，无法读取，请重新保存后再上传。")) from error
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("；".join(cell.text for cell in row.cells))
    return "\n".join(lines)


class CheckForm(ChineseFormMixin, forms.Form):
    text = forms.CharField(label=_("条款文字"), required=False, widget=forms.Textarea(attrs={"rows": 10}),
                           help_text=_("粘贴协议草案、政策条款或优惠承诺的文字。"))
    file = forms.FileField(label=_("或上传 Word 文件"), required=False,
                           help_text=_("仅支持 .docx，最大 5MB。内容只用于本次检查，不会保存。"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".docx," + DOCX_CONTENT_TYPE}))

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("上传文件：文件超过 5MB，请删去附件图片或拆分后再上传。"))
        if not upload.name.lower().endswith(".docx"):
            raise forms.ValidationError(_("上传文件：仅支持 .docx 文件；.doc 请先在 Word 里另存为 .docx。"))
        try:
            return docx_text(upload.read())
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        text = data.get("file") or (data.get("text") or "")
        if not text.strip():
            raise forms.ValidationError(_("请粘贴条款文字，或上传 .docx 文件。"))
        if len(text) > MAX_TEXT:
            raise forms.ValidationError(_("条款文字：超过 20 万字，请分段检查。"))
        data["content"] = text
        return data
