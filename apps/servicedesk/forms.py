"""HTML input for service requests. The forms check shape; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.chains.models import Cluster
from apps.core.forms import ChineseFormMixin, SubmissionKeyMixin
from apps.projects.filters import UnitFilterField, place_narrowing
from apps.servicedesk.attachments import ACCEPT_ATTRIBUTE, ALLOWED_TEXT, MAX_ATTACHMENT_BYTES
from apps.servicedesk.choices import TRANSITIONS, Category, Status
from apps.servicedesk.services import MAX_DEADLINE_DAYS, contact_link_days
from apps.units.models import Unit, UnitKind

ATTACHMENT_HELP = _("可选。%(types)s，不超过 %(mb)s MB。") % {"types": ALLOWED_TEXT,
                                                         "mb": MAX_ATTACHMENT_BYTES // 1024 // 1024}
YES = [("", _("全部")), ("1", _("是"))]


def _attachment_field():
    return forms.FileField(label=_("附件"), required=False, help_text=ATTACHMENT_HELP,
                           widget=forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))


class RequestFilterForm(ChineseFormMixin, forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("标题、项目或联系人")}))
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部"))] + Status.choices)
    category = forms.ChoiceField(label=_("诉求类别"), required=False, choices=[("", _("全部"))] + Category.choices)
    overdue = forms.ChoiceField(label=_("已逾期"), required=False, choices=YES)
    mine = forms.ChoiceField(label=_("我承办或提出的"), required=False, choices=YES)
    # The project's unit (ended units rolled up) and cluster, as the cockpit counts them.
    unit = UnitFilterField(label=_("承接区县"), required=False, empty_label=_("全部区县"),
                           queryset=Unit.objects.exclude(kind=UnitKind.OFFICE).select_related("successor"))
    cluster = forms.ModelChoiceField(label=_("产业集群"), required=False, empty_label=_("全部集群"),
                                     queryset=Cluster.objects.all())
    subject = forms.ChoiceField(label=_("诉求对象"), required=False,
                                choices=[("", _("全部")), ("project", _("招商项目")), ("talent", _("引进人才"))])
    project = forms.IntegerField(required=False, widget=forms.HiddenInput)
    talent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def selector_kwargs(self) -> dict:
        """A value that does not validate (a stale link) is dropped, as on the project list."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        unit, cluster = data.get("unit"), data.get("cluster")
        return {"q": (data.get("q") or "").strip(), "status": data.get("status") or "",
                "category": data.get("category") or "", "overdue": data.get("overdue") == "1",
                "mine": data.get("mine") == "1", "project_id": data.get("project"),
                "talent_id": data.get("talent"), "subject": data.get("subject") or "",
                "unit_id": unit.pk if unit else None, "cluster_id": cluster.pk if cluster else None}

    def narrowing(self) -> str:
        """The unit and cluster in words ("承接区县：两江新区，含原江北区…"), for a list opened from a figure."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return place_narrowing(data.get("unit"), data.get("cluster"))


class RequestCreateForm(ChineseFormMixin, SubmissionKeyMixin, forms.Form):
    category = forms.ChoiceField(label=_("诉求类别"), choices=[("", "—")] + Category.choices)
    title = forms.CharField(label=_("诉求标题"), max_length=200,
                            widget=forms.TextInput(attrs={"placeholder": _("如：厂房用电增容报装")}))
    description = forms.CharField(label=_("诉求内容"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=_("企业遇到的问题、已做的工作、希望何时解决。"))


class _Prefixed:
    """Several forms share the detail page: distinct element ids, the same field names."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class ReplyForm(_Prefixed, ChineseFormMixin, forms.Form):
    id_prefix = "reply"
    body = forms.CharField(label=_("答复内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("企业联系人可以通过链接看到答复。"))
    attachment = _attachment_field()


class StatusForm(_Prefixed, ChineseFormMixin, forms.Form):
    id_prefix = "status"
    to_status = forms.ChoiceField(label=_("改为"), choices=Status.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("办结须写明办理结果，关闭须写明理由；企业联系人可以看到。"))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        if request is not None:
            allowed = TRANSITIONS[Status(request.status)]
            self.fields["to_status"].choices = [(s.value, s.label) for s in allowed]
            if not self.is_bound:
                self.initial.setdefault("version", request.version)


class AssignForm(_Prefixed, ChineseFormMixin, forms.Form):
    id_prefix = "assign"
    owner_unit = forms.ModelChoiceField(label=_("承办单位"), queryset=Unit.objects.filter(ended_on__isnull=True))
    owner = forms.ModelChoiceField(label=_("承办人"), required=False, queryset=None,
                                   help_text=_("改派到其他单位时可不选，由该单位负责人指定。"))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, request=None, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.accounts.models import User

        self.fields["owner"].queryset = owners if owners is not None else User.objects.none()
        self.fields["owner"].label_from_instance = lambda u: f"{u.display_name}（{u.unit or '—'} · {u.get_role_display()}）"
        if request is not None and not self.is_bound:
            self.initial.update({"owner_unit": request.owner_unit_id, "owner": request.owner_id,
                                 "version": request.version})


class ContactLinkForm(ChineseFormMixin, forms.Form):
    contact_name = forms.CharField(label=_("企业联系人"), required=False, max_length=50,
                                   help_text=_("链接交给谁，便于日后辨认和作废。"))
    valid_days = forms.IntegerField(label=_("有效期（天）"), min_value=1, max_value=max(MAX_DEADLINE_DAYS, 730))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_days"].initial = contact_link_days()
        self.fields["valid_days"].error_messages.update({
            "min_value": _("有效期（天）：至少1天。"), "max_value": _("有效期（天）：不能超过%(limit_value)s天。"),
            "invalid": _("有效期（天）：请填写整数天数。")})


class DeadlineForm(ChineseFormMixin, forms.Form):
    category = forms.ChoiceField(choices=Category.choices, widget=forms.HiddenInput)
    days = forms.IntegerField(label=_("办理时限（天）"), min_value=1, max_value=MAX_DEADLINE_DAYS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].error_messages.update({
            "min_value": _("办理时限（天）：至少1天。"), "max_value": _("办理时限（天）：不能超过%(limit_value)s天。"),
            "invalid": _("办理时限（天）：请填写整数天数。")})


# --- The enterprise contact's forms (public pages) --------------------------------------------------

class ContactRequestForm(ChineseFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("诉求类别"), choices=[("", "—")] + Category.choices)
    title = forms.CharField(label=_("诉求标题"), max_length=200,
                            widget=forms.TextInput(attrs={"placeholder": _("一句话说明需要解决的问题")}))
    description = forms.CharField(label=_("具体情况"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    contact_name = forms.CharField(label=_("联系人姓名"), max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30,
                                    widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))


class ContactReplyForm(ChineseFormMixin, forms.Form):
    body = forms.CharField(label=_("留言"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    contact_name = forms.CharField(label=_("联系人姓名"), max_length=50)
    attachment = _attachment_field()
