"""The cockpit page and the briefing downloads: thin over selectors.summary and briefing; what the view
adds is where each figure leads (the list page and its query string) and the chart data."""

import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.accounts.permissions import actor_scope
from apps.audit.decorators import audited_export
from apps.cockpit import briefing
from apps.cockpit.forms import CockpitFilterForm
from apps.cockpit.selectors import StatsFilter, summary
from apps.core.errors import DomainError
from apps.core.money import UNITS, format_amount
from apps.events.selectors import event_list, event_totals

# The page each kind of figure opens; a figure without ``list`` opens the project list.
LISTS = {"funds": "fulfilment:funds", "service_requests": "servicedesk:list", "alerts": "fulfilment:index",
         "talent": "talent:list", "thinktanks": "thinktanks:list"}
# The funnel's organisation steps are drilled on the recommendations funnel page, which counts them.
FUNNEL_PAGE_STEPS = {"visited", "recommended", "site_visited"}
YI = UNITS["亿元"]


def _query_value(value) -> str:
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def figure_url(figure: dict) -> str:
    """The list that shows the records behind ``figure``, narrowed by its params."""
    url = reverse(LISTS.get(figure.get("list"), "projects:list"))
    params = {key: _query_value(value) for key, value in (figure.get("params") or {}).items()}
    return f"{url}?{urlencode(params)}" if params else url


def _funnel_url(f: StatsFilter) -> str:
    params = {"start": f.start.isoformat(), "end": f.end.isoformat()}
    if f.unit_id:
        params["unit"] = f.unit_id
    return f"{reverse('recommendations:funnel')}?{urlencode(params)}"


def _link_all(data: dict, f: StatsFilter) -> None:
    """Give every figure and every breakdown row its ``url``."""
    for key in ("signed", "signed_to_date", "landed", "in_production", "funds", "overdue_requests", "stalled"):
        data[key]["url"] = figure_url(data[key])
    for name in ("stages", "by_cluster", "by_chain_role", "by_unit", "by_source_unit", "by_month", "ranking",
                 "by_referrer"):
        for row in data[name]:
            row["url"] = figure_url(row)
    for step in data["funnel"]:
        step["url"] = _funnel_url(f) if step["key"] in FUNNEL_PAGE_STEPS or "params" not in step else figure_url(step)
    for event in data["events"]:
        event["url"] = reverse("events:detail", args=[event["id"]])
    for figure in (data["talent"]["introduced"], data["talent"]["landed"], *data["talent"]["by_kind"],
                   *data["talent"]["by_cluster"], data["thinktanks"]):
        figure["url"] = figure_url(figure)


def _yi(amount: Decimal) -> float:
    # Charts draw bars from a float; every number a person reads comes from the Decimal (format_amount).
    return round(float(amount / YI), 4)


def _series(rows: list[dict], *, with_amount: bool = True) -> list[dict]:
    return [{"label": str(row["label"]), "count": row["count"], "url": row["url"],
             **({"amount": _yi(row["amount"]), "amount_display": format_amount(row["amount"])} if with_amount else {})}
            for row in rows]


def _charts(data: dict) -> dict:
    """What cockpit.js draws; the same rows are in the tables beside each chart."""
    return {
        "funnel": [{"label": step["label"], "count": step["count"], "url": step["url"]} for step in data["funnel"]],
        "stages": _series(data["stages"], with_amount=False),
        "by_cluster": _series(data["by_cluster"]),
        "by_chain_role": _series(data["by_chain_role"]),
        "by_unit": _series(data["by_unit"]),
        "by_source_unit": _series(data["by_source_unit"]),
        "by_referrer": _series(data["by_referrer"]),
        "by_month": _series(data["by_month"]),
        "labels": {"amount": _("签约金额（亿元）"), "count": _("项目数（个）"), "funnel": _("数量")},
    }


def _presets(request, today: datetime.date) -> list[dict]:
    """The periods leaders ask for, as links that keep the unit and cluster chosen."""
    year_start = datetime.date(today.year, 1, 1)
    last_year = (datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31))
    # 近12个月: this month and the eleven before it, whole months (the chart's bars are months).
    month = today.year * 12 + today.month - 1 - 11
    twelve = datetime.date(month // 12, month % 12 + 1, 1)
    periods = [
        (_("今年以来"), year_start, today),
        (_("%(year)s年全年") % {"year": today.year - 1}, *last_year),
        (_("近12个月"), twelve, today),
    ]
    kept = {key: request.GET[key] for key in ("unit", "cluster") if request.GET.get(key)}
    return [{"label": label, "start": start, "end": end,
             "url": "?" + urlencode(kept | {"start": start.isoformat(), "end": end.isoformat()})}
            for label, start, end in periods]


def _filter_for(request) -> tuple[CockpitFilterForm, StatsFilter, datetime.date]:
    today = timezone.localdate()
    form = CockpitFilterForm(request.GET, all_units=actor_scope(request.user).all_units)
    return form, form.stats_filter(today), today


@login_required
@require_GET
def cockpit_view(request):
    form, f, today = _filter_for(request)
    error = None
    try:
        data = summary(actor=request.user, f=f, today=today)
    except DomainError as exc:
        error, f = exc.message, StatsFilter.for_today(today)
        data = summary(actor=request.user, f=f, today=today)
    _link_all(data, f)
    latest = None
    if not data["events"]:
        # A period without events still points to the last one, outside the period's figures.
        event = event_list(actor=request.user).filter(date__lt=f.start).first()
        if event is not None:
            totals = event_totals(event)
            latest = {"event": event, "count": totals.count, "amount": totals.amount,
                      "undisclosed": totals.undisclosed, "url": reverse("events:detail", args=[event.pk])}
    if not form.errors:
        # The boxes show the period actually counted (今年以来 when none was given).
        form = CockpitFilterForm({"start": f.start.isoformat(), "end": f.end.isoformat(), "unit": f.unit_id or "",
                                  "cluster": f.cluster_id or ""}, all_units=actor_scope(request.user).all_units)
        form.is_valid()
    query = urlencode({key: value for key, value in request.GET.items() if value})
    return render(request, "cockpit/index.html", {
        "form": form, "data": data, "charts": _charts(data), "error": error, "query": query,
        "all_units": actor_scope(request.user).all_units, "presets": _presets(request, today),
        "latest_event": latest,
        # The ranking's table lists who signed; those who signed nothing are named on one line below it.
        "ranked": [row for row in data["ranking"] if row["count"]],
        "idle": [row for row in data["ranking"] if not row["count"]],
    })


def _briefing_name(f: StatsFilter, suffix: str) -> str:
    return f"招商简报_{f.start:%Y%m%d}-{f.end:%Y%m%d}.{suffix}"


def _download(request, render_file, suffix: str, content_type: str) -> HttpResponse:
    form, f, today = _filter_for(request)
    if form.errors:
        # A download never silently changes the period asked for: say what is wrong instead.
        message = "；".join(str(error) for errors in form.errors.values() for error in errors)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    try:
        content = render_file(actor=request.user, f=f, today=today)
    except DomainError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, _briefing_name(f, suffix))
    return response


@login_required
@require_GET
@audited_export("招商简报（Word）")
def briefing_docx_view(request):
    return _download(request, briefing.briefing_docx, "docx",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@login_required
@require_GET
@audited_export("招商简报（Excel明细）")
def briefing_xlsx_view(request):
    return _download(request, briefing.briefing_xlsx, "xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
