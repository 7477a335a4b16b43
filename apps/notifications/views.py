"""The inbox (every signed-in person, their own messages only) and the work-group robot settings
(office admin: every unit; district admin: own unit; leader: read-only; others: 403). Thin: forms
parse, services write, selectors read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.permissions import CHANGE
from apps.core.errors import DomainError
from apps.core.forms import apply_domain_error
from apps.notifications import services
from apps.notifications.forms import DeliveryFilterForm, WebhookEndpointForm
from apps.notifications.models import DeliveryStatus, WebhookEndpoint
from apps.notifications.querysets import may_manage_webhooks, may_view_webhooks
from apps.notifications.selectors import (
    notification_get,
    notification_list,
    unread_count,
    webhook_delivery_get,
    webhook_delivery_list,
    webhook_endpoint_get,
    webhook_endpoint_list,
)

PAGE_SIZE = 25


def _local(request, target: str) -> str:
    """``target`` if it stays on this site, else ''."""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return ""


# --- the inbox ---------------------------------------------------------------------------------------

@login_required
@require_GET
def inbox_view(request):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(notification_list(actor=request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "notifications/inbox.html", {
        "page": page, "unread_only": unread_only, "unread_count": unread_count(request.user)})


@login_required
@require_POST
def notification_read_view(request, pk: int):
    notification = services.notification_mark_read(actor=request.user,
                                                   notification=notification_get(actor=request.user, pk=pk))
    if request.htmx:
        return render(request, "notifications/partials/notification_row.html", {"n": notification})
    return redirect(_local(request, request.POST.get("next", "")) or reverse("notifications:inbox"))


@login_required
@require_GET
def notification_open_view(request, pk: int):
    """Following a message's link marks it read, as in any mail client."""
    notification = notification_get(actor=request.user, pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    return redirect(_local(request, notification.url) or reverse("notifications:inbox"))


@login_required
@require_POST
def notification_read_all_view(request):
    count = services.notification_mark_all_read(actor=request.user)
    messages.success(request, _("已将 %(n)s 条通知标记为已读。") % {"n": count})
    return redirect(reverse("notifications:inbox"))


# --- work-group robots -------------------------------------------------------------------------------

def _require_view(user) -> None:
    if not may_view_webhooks(user):
        raise PermissionDenied(_("群机器人设置只对驻京办管理员、区县管理员和领导开放。"))


def _require_manage(user) -> None:
    _require_view(user)
    if not may_manage_webhooks(user):
        raise PermissionDenied(_("您的角色为只读，不能修改群机器人设置。"))


@login_required
@require_GET
def webhook_list_view(request):
    _require_view(request.user)
    filters = DeliveryFilterForm(request.GET)
    kwargs = filters.selector_kwargs()
    endpoints = list(webhook_endpoint_list(actor=request.user))
    chosen = next((e for e in endpoints if e.pk == kwargs["endpoint_id"]), None)
    if kwargs["endpoint_id"] and chosen is None:
        kwargs["endpoint_id"] = -1  # not one of theirs: an empty log, as for any unknown id
    deliveries = Paginator(webhook_delivery_list(actor=request.user, **kwargs), PAGE_SIZE).get_page(
        request.GET.get("page"))
    changeable = set()
    if may_manage_webhooks(request.user):
        changeable = set(WebhookEndpoint.objects.restrict(request.user, CHANGE).values_list("pk", flat=True))
    return render(request, "notifications/webhooks.html", {
        "endpoints": endpoints, "changeable": changeable, "may_manage": may_manage_webhooks(request.user),
        "page": deliveries, "filters": filters, "chosen": chosen, "FAILED": DeliveryStatus.FAILED,
    })


@login_required
@require_http_methods(["GET", "POST"])
def webhook_create_view(request):
    _require_manage(request.user)
    form = WebhookEndpointForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.webhook_endpoint_create(actor=request.user, **form.service_values())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已添加群机器人“%(name)s”。建议先发送一条测试消息。") % {"name": endpoint.name})
            return redirect(reverse("notifications:webhooks") + f"?endpoint={endpoint.pk}")
    return render(request, "notifications/webhook_form.html", {"form": form, "endpoint": None})


@login_required
@require_http_methods(["GET", "POST"])
def webhook_edit_view(request, pk: int):
    _require_manage(request.user)
    endpoint = webhook_endpoint_get(actor=request.user, pk=pk, action=CHANGE)
    form = WebhookEndpointForm(request.POST or None, actor=request.user, endpoint=endpoint)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.webhook_endpoint_update(actor=request.user, endpoint=endpoint, **form.service_values())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已保存群机器人“%(name)s”。") % {"name": endpoint.name})
            return redirect(reverse("notifications:webhooks") + f"?endpoint={endpoint.pk}")
    return render(request, "notifications/webhook_form.html", {"form": form, "endpoint": endpoint})


@login_required
@require_POST
def webhook_test_view(request, pk: int):
    _require_manage(request.user)
    endpoint = webhook_endpoint_get(actor=request.user, pk=pk, action=CHANGE)
    try:
        delivery = services.webhook_endpoint_send_test(actor=request.user, endpoint=endpoint)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if delivery.status == DeliveryStatus.SENT:
            messages.success(request, _("测试消息已发送到“%(name)s”，请到群里查看。") % {"name": endpoint.name})
        else:
            messages.error(request, _("测试消息发送失败：%(error)s") % {"error": delivery.last_error})
    return redirect(reverse("notifications:webhooks") + f"?endpoint={endpoint.pk}")


@login_required
@require_POST
def delivery_retry_view(request, pk: int):
    _require_manage(request.user)
    delivery = webhook_delivery_get(actor=request.user, pk=pk, action=CHANGE)
    try:
        services.webhook_delivery_retry(actor=request.user, delivery=delivery)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已安排重新发送“%(title)s”。") % {"title": delivery.title})
    return redirect(reverse("notifications:webhooks") + f"?endpoint={delivery.endpoint_id}")
