"""The cockpit's figures over JSON: exactly selectors.summary, amounts written the two ways clients need."""

from decimal import Decimal

from django.utils import timezone
from ninja import Query, Router

from apps.cockpit.schemas import StatsFilters, SummaryOut
from apps.cockpit.selectors import StatsFilter, summary
from apps.core.schemas import READ_ERRORS, ErrorOut, yuan, yuan_display

router = Router(tags=["统计"])


def _as_api(value):
    """Decimal yuan → ``<key>_yuan`` and ``<key>_display``; a percentage stays a number as a string."""
    if isinstance(value, list):
        return [_as_api(item) for item in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        if isinstance(item, Decimal) and key != "percent":
            out[f"{key}_yuan"] = yuan(item)
            out[f"{key}_display"] = yuan_display(item)
        elif isinstance(item, Decimal):
            out[key] = str(item)
        else:
            out[key] = _as_api(item)
    return out


@router.get("/summary", response={200: SummaryOut, 400: ErrorOut, 403: ErrorOut, **READ_ERRORS},
            summary="驾驶舱统计（与页面、简报同一口径）")
def stats_summary(request, filters: Query[StatsFilters]):
    today = timezone.localdate()
    end = filters.end or today
    # Without a start, the year of the end date so far (今年以来 when neither is given).
    start = filters.start or StatsFilter.default_period(end)[0]
    f = StatsFilter(start=start, end=end, unit_id=filters.unit, cluster_id=filters.cluster)
    return _as_api(summary(actor=request.auth, f=f, today=today))
