"""The signed-in person's own inbox. Another person's notification is a 404 like any row outside
restrict(). (Work-group robots are set on the page only: their addresses are credentials.)"""

from ninja import Query, Router
from ninja.pagination import paginate

from apps.core.pagination import PageNumberPagination
from apps.core.schemas import READ_ERRORS, WRITE_ERRORS
from apps.notifications.schemas import MarkedOut, NotificationFilters, NotificationOut, UnreadCountOut
from apps.notifications.selectors import notification_get, notification_list, unread_count
from apps.notifications.services import notification_mark_all_read, notification_mark_read

router = Router(tags=["通知"])
PAGE_SIZE = 50


@router.get("", response={200: list[NotificationOut], **READ_ERRORS}, summary="我的通知（未读在前）")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def notifications(request, filters: Query[NotificationFilters]):
    return notification_list(actor=request.auth, unread_only=filters.unread)


@router.get("/unread-count", response={200: UnreadCountOut, **READ_ERRORS}, summary="未读通知数")
def notifications_unread_count(request):
    return {"unread": unread_count(request.auth)}


@router.post("/read-all", response={200: MarkedOut, **WRITE_ERRORS}, summary="全部标为已读")
def notifications_read_all(request):
    return {"marked": notification_mark_all_read(actor=request.auth)}


@router.post("/{int:notification_id}/read", response={200: NotificationOut, **WRITE_ERRORS}, summary="标为已读")
def notification_read(request, notification_id: int):
    notification = notification_get(actor=request.auth, pk=notification_id)
    return notification_mark_read(actor=request.auth, notification=notification)
