"""What a public page may show: the catalogue of fields an editor can tick, per kind of subject.

The public pages and the posters are built only from `public_event_facts` / `public_project_facts`,
which copy a field into their result only when its key is ticked. A template therefore cannot show
what was not ticked, whatever it asks for. The title (event) or name (project) and the date are
always shown: a public page without them says nothing."""

from django.utils.translation import gettext_lazy as _

EVENT_FIELDS: dict[str, str] = {
    "kind": _("活动类型"),
    "place": _("举办地点"),
    "hosts": _("主办/承办单位"),
    "attendees": _("参会人数"),
    "summary": _("活动简介"),
    "agenda": _("活动议程"),
    "totals": _("签约项目数与总金额"),
    "signings": _("签约项目名单"),
    "photos": _("活动照片"),
}
EVENT_DEFAULT = ["kind", "place", "hosts", "attendees", "summary", "totals", "signings"]

PROJECT_FIELDS: dict[str, str] = {
    "organisation": _("投资企业"),
    "unit": _("落地区县"),
    "cluster": _("所属产业集群"),
    "chain_role": _("链上作用"),
    "planned_investment": _("计划总投资"),
    "signing": _("签约情况（日期、协议类型、金额）"),
    "registration": _("注册落地（注册主体、注册日期）"),
    "construction": _("开工日期"),
    "production": _("投产日期"),
    "description": _("项目简介"),
}
PROJECT_DEFAULT = ["organisation", "unit", "cluster", "chain_role", "signing", "registration"]


def clean_fields(keys, catalogue: dict) -> list[str]:
    """The ticked keys in catalogue order; unknown keys are refused by the caller (services)."""
    wanted = set(keys or ())
    return [key for key in catalogue if key in wanted]
