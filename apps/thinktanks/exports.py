"""The cooperation list as a workbook (智库合作一览): one row per cooperation with its dates, status and
what it produced, in Chinese whatever language the exporter browses in, since the file is handed on.
Text cells go through imports.export.neutralise like every export (no formula injection)."""

from django.conf import settings
from django.utils import timezone, translation

from apps.imports.export import write_xlsx
from apps.thinktanks.models import CooperationStatus, OutcomeKind

HEADER = ["合作机构", "机构类型", "协议名称", "协议编号", "签订日期", "开始日期", "结束日期", "状态", "负责单位",
          "我方联系人", "对方联系人", "合作活动（场）", *[f"{kind.label}成果" for kind in OutcomeKind], "合作内容"]
WIDTHS = [30, 10, 34, 14, 12, 12, 12, 8, 12, 10, 16, 12, 8, 8, 8, 10, 8, 50]


def _date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def cooperations_xlsx(rows):
    """`rows` as selectors.cooperation_list returns them (with the count annotations). Returns an open
    temporary file, rewound; the response closes it."""
    today = timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        def lines():
            for row in rows:
                yield [
                    row.partner.name, str(row.partner.get_kind_display()), row.title, row.agreement_no,
                    _date(row.signed_date), _date(row.start_date), _date(row.end_date) or "长期",
                    str(CooperationStatus(row.display_status_on(today)).label), row.unit.name,
                    str(row.contact) if row.contact else "", row.partner_contact, row.activity_count,
                    *[getattr(row, f"{kind}_count") for kind in OutcomeKind.values], row.terms,
                ]
        return write_xlsx("智库合作", HEADER, lines(), WIDTHS)
