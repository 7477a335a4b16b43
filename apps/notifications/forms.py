"""The work-group robot form; the rules live in apps.notifications.services and platforms."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role
from apps.accounts.permissions import actor_scope
from apps.core.forms import ChineseFormMixin
from apps.notifications.models import DeliveryStatus, WebhookEndpoint, WebhookPlatform
from apps.notifications.querysets import WEBHOOK_MANAGE_ROLES
from apps.units.models import Unit

_endpoint = WebhookEndpoint._meta.get_field


def unit_choices(actor):
    """The office admin sets robots for any unit in existence today; a district admin for their own."""
    today = timezone.localdate()
    scope = actor_scope(actor)
    qs = Unit.objects.all()
    if not (actor.is_superuser or scope.role == Role.OFFICE_ADMIN):
        qs = qs.filter(pk=actor.unit_id) if scope.role in WEBHOOK_MANAGE_ROLES else qs.none()
    return Unit.objects.filter(pk__in=[unit.pk for unit in qs if unit.is_active_on(today)])


class WebhookEndpointForm(ChineseFormMixin, forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_endpoint("unit").verbose_name)
    platform = forms.ChoiceField(choices=WebhookPlatform.choices, label=_endpoint("platform").verbose_name)
    name = forms.CharField(label=_endpoint("name").verbose_name, max_length=100,
                           help_text=_("群的名字，便于区分，如“九龙坡区招商工作群”。"))
    url = forms.CharField(label=_endpoint("url").verbose_name, max_length=500,
                          widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
                          help_text=_("在群设置 → 群机器人中添加自定义机器人后复制。"))
    secret = forms.CharField(
        label=_endpoint("secret").verbose_name, required=False, max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        # The keyword is platforms.SIGNATURE, which ends every message.
        help_text=_("钉钉“加签”的 SEC… 密钥，或飞书“签名校验”的密钥；企业微信留空。若机器人的安全设置为"
                    "“自定义关键词”，请把关键词设为“双招双引工作平台”。"))
    clear_secret = forms.BooleanField(label=_("清除已保存的签名密钥"), required=False)
    is_active = forms.BooleanField(label=_endpoint("is_active").verbose_name, required=False, initial=True)

    def __init__(self, *args, actor, endpoint: WebhookEndpoint | None = None, **kwargs):
        self.endpoint = endpoint
        if endpoint is not None:
            kwargs.setdefault("initial", {"name": endpoint.name, "is_active": endpoint.is_active})
        super().__init__(*args, **kwargs)
        if endpoint is None:
            field = self.fields["unit"]
            field.queryset = unit_choices(actor)
            field.empty_label = _("请选择单位")
            if field.queryset.count() == 1:
                field.empty_label, field.initial = None, field.queryset.first()
            del self.fields["clear_secret"]
        else:
            # Unit and platform are fixed once set; the address and secret are never sent back to the page.
            del self.fields["unit"], self.fields["platform"]
            self.fields["url"].required = False
            self.fields["url"].help_text = _("留空则保持不变。当前：%(url)s") % {"url": endpoint.masked_url}
            if endpoint.secret:
                self.fields["secret"].help_text = _("已设置；留空则保持不变。")
            else:
                del self.fields["clear_secret"]

    def service_values(self) -> dict:
        data = self.cleaned_data
        values = {"name": data["name"], "url": data.get("url") or "", "secret": data.get("secret") or "",
                  "is_active": bool(data.get("is_active"))}
        if self.endpoint is None:
            values |= {"unit": data["unit"], "platform": data["platform"]}
        else:
            values["clear_secret"] = bool(data.get("clear_secret"))
        return values


class DeliveryFilterForm(ChineseFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *DeliveryStatus.choices])
    endpoint = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data if data is not None else {}, *args, **kwargs)

    def selector_kwargs(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"status": data.get("status") or "", "endpoint_id": data.get("endpoint")}
