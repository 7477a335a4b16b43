"""What the activity API reads and writes."""

import datetime

from ninja import Field, Schema

from apps.activities.models import ActivityKind
from apps.core.schemas import Ref, UserRef, choices_text


class ActivityOut(Schema):
    id: int
    kind: str
    kind_label: str
    date: datetime.date
    organisation: Ref
    project: Ref | None
    unit: Ref
    participants: str
    counterparts: str
    summary: str
    next_step: str
    next_step_due: datetime.date | None
    next_step_done: bool
    created_by: UserRef | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()


class ActivityFilters(Schema):
    project: int | None = Field(None, description="关联项目 id")
    organisation: int | None = Field(None, description="对象单位（目标主体）id")
    kind: str = Field("", description=choices_text(ActivityKind))


class ActivityIn(Schema):
    """Give the project, or the organisation for a visit that is not (yet) about a project."""

    date: datetime.date
    summary: str = Field(description="洽谈内容与共识")
    kind: str = Field(ActivityKind.VISIT.value, description=choices_text(ActivityKind))
    project_id: int | None = None
    organisation_id: int | None = None
    participants: str = ""
    counterparts: str = ""
    next_step: str = ""
    next_step_due: datetime.date | None = None
