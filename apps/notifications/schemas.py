"""What the notifications API reads and writes."""

import datetime

from ninja import Field, Schema

from apps.core.schemas import Ref


class NotificationOut(Schema):
    id: int
    kind: str = Field(description="事件类型，如 project.specialist_assigned")
    title: str
    body: str
    url: str = Field(description="站内路径，如 /projects/42/")
    project: Ref | None
    created_at: datetime.datetime
    read_at: datetime.datetime | None
    is_read: bool


class NotificationFilters(Schema):
    unread: bool = Field(False, description="只列未读")


class UnreadCountOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int = Field(description="本次标为已读的条数")
