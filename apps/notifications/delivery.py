"""Sending work-group robot messages (WebhookDelivery rows) — the background half of notify().

A delivery is claimed with one conditional UPDATE (pending and due → sending), so two workers, a worker
and the sweep, or a double-clicked retry can never send it twice; the HTTP request happens outside any
transaction, with a short timeout, so a hanging robot holds neither a lock nor the worker for long.
A failure is written back to the row with the next attempt's time (backoff); after the last attempt
the row is `failed`, which the admins see on /notifications/webhooks/. Nothing here raises: whatever
goes wrong ends up as the row's last_error.

Every function takes ``now`` so tests move the clock instead of sleeping (ADR 0007)."""

import datetime
import http.client
import logging
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from apps.notifications.models import DeliveryStatus, WebhookDelivery
from apps.notifications.platforms import signed_request

logger = logging.getLogger(__name__)

TEST_KIND = "webhook.test"
# After the n-th failed attempt wait BACKOFF[n-1] (the last step repeats if more attempts are allowed).
BACKOFF = [datetime.timedelta(minutes=1), datetime.timedelta(minutes=5), datetime.timedelta(minutes=30),
           datetime.timedelta(hours=2), datetime.timedelta(hours=6)]
# A row still `sending` this long after its attempt began belongs to a worker that died mid-request.
STALE_SENDING = datetime.timedelta(minutes=10)
MAX_RESPONSE_BYTES = 64 * 1024


def timeout_seconds() -> float:
    return float(getattr(settings, "WEBHOOK_TIMEOUT_SECONDS", 5))


def max_attempts(delivery: WebhookDelivery) -> int:
    if delivery.kind == TEST_KIND:
        # A test message is answered on the page at once; arriving two hours later it would only confuse.
        return 1
    return max(1, int(getattr(settings, "WEBHOOK_MAX_ATTEMPTS", 5)))


def backoff(attempt: int) -> datetime.timedelta:
    return BACKOFF[min(max(attempt, 1), len(BACKOFF)) - 1]


def due(now: datetime.datetime) -> Q:
    waiting = Q(status=DeliveryStatus.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    abandoned = Q(status=DeliveryStatus.SENDING, last_attempt_at__lt=now - STALE_SENDING)
    return waiting | abandoned


# --- HTTP --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None = None
    error: str = ""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """The robots answer directly; a redirect would send the message (and a signature) to an address
    nobody checked, so a 3xx is recorded as a failure instead of followed."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class _Deadline:
    """Cuts the connection when the whole exchange overruns its deadline.

    The socket timeout bounds each read, not the answer: a receiver that sends its status line and then
    one header byte every second never lets a read time out, and http.client reads headers line by line
    (up to 64 KiB a line, 100 lines), so the worker would be held for hours. _read() checks the deadline
    between reads of the body only; for the headers nothing can, short of closing the socket from outside
    the blocked read — which this timer does. The blocked read then ends (EOF), and post_json reports it
    as the timeout it is."""

    def __init__(self, seconds: float):
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._cut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._cut(sock)

    @staticmethod
    def _cut(sock: socket.socket) -> None:
        try:
            # The plain socket's shutdown, also under TLS: the SSL layer's own would race the blocked read.
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass  # already closed: nothing is waiting on it

    def cancel(self) -> None:
        self._timer.cancel()


def _watched(connection_class, deadline: _Deadline):
    class Watched(connection_class):
        def connect(self):
            super().connect()
            deadline.watch(self.sock)

    return Watched


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self._connection = _watched(http.client.HTTPConnection, deadline)

    def http_open(self, req):
        return self.do_open(self._connection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self._connection = _watched(http.client.HTTPSConnection, deadline)

    def https_open(self, req):
        return self.do_open(self._connection, req, context=self._context)


def post_json(url: str, body: bytes, *, timeout: float) -> tuple[int | None, bytes, str]:
    """(status code, response body, transport error). The timeout bounds connecting and each read; the
    whole answer must also arrive within three timeouts, so a receiver dripping bytes — in the body or
    in the headers — cannot hold on (_Deadline)."""
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "User-Agent": "shuangzhao-webhook/1"})
    deadline = time.monotonic() + 3 * timeout
    watchdog = _Deadline(3 * timeout)
    opener = urllib.request.build_opener(_NoRedirects, _HTTPHandler(watchdog), _HTTPSHandler(watchdog))
    try:
        with opener.open(request, timeout=timeout) as response:
            status, raw = response.status, _read(response, deadline)
        if watchdog.expired:  # the cut ended the body early: what arrived is not the whole answer
            return None, b"", _timeout_message(timeout)
        return status, raw, ""
    except urllib.error.HTTPError as exc:
        try:
            raw = exc.read(2048)
        except (OSError, http.client.HTTPException):
            raw = b""
        return exc.code, raw, ""
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError) or watchdog.expired:
            return None, b"", _timeout_message(timeout)
        return None, b"", f"连接失败：{exc.reason}"
    except TimeoutError:
        return None, b"", _timeout_message(timeout)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if watchdog.expired:
            return None, b"", _timeout_message(timeout)
        return None, b"", f"发送失败：{exc.__class__.__name__}: {exc}"
    finally:
        watchdog.cancel()


def _timeout_message(timeout: float) -> str:
    return f"超时：{timeout:g} 秒内没有响应。"


def _read(response, deadline: float) -> bytes:
    chunks, size = [], 0
    while size < MAX_RESPONSE_BYTES:
        if time.monotonic() > deadline:
            raise TimeoutError
        chunk = response.read1(8192)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def send(delivery: WebhookDelivery, *, now: datetime.datetime) -> Outcome:
    from apps.notifications.platforms import read_answer

    endpoint = delivery.endpoint
    url, body = signed_request(endpoint.platform, url=endpoint.url, secret=endpoint.secret,
                               payload=delivery.payload, now=now)
    status, raw, transport_error = post_json(url, body, timeout=timeout_seconds())
    if transport_error:
        return Outcome(False, status, transport_error)
    if status is None or not 200 <= status < 300:
        text = raw.decode("utf-8", errors="replace").strip()[:200]
        return Outcome(False, status, f"HTTP {status}" + (f"：{text}" if text else ""))
    error = read_answer(endpoint.platform, raw)
    return Outcome(not error, status, error)


# --- the state machine -------------------------------------------------------------------------------

def deliver(delivery: WebhookDelivery | int, *, now: datetime.datetime | None = None) -> WebhookDelivery | None:
    """Make one attempt at a due delivery and record its outcome. Returns the updated row, or None when
    the delivery was not due (not pending, not yet time, or another worker has it) — nothing was sent."""
    now = now or timezone.now()
    pk = getattr(delivery, "pk", delivery)
    claimed = WebhookDelivery.objects.filter(due(now), pk=pk).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, last_attempt_at=now)
    if not claimed:
        return None
    row = WebhookDelivery.objects.select_related("endpoint").get(pk=pk)
    if not row.endpoint.is_active:
        outcome = Outcome(False, None, "群机器人已停用，未发送。")
        final = True
    else:
        try:
            outcome = send(row, now=now)
        except Exception as exc:  # a bug or an unforeseen answer must not leave the row stuck in `sending`
            logger.exception("webhook delivery %s: unexpected error", pk)
            outcome = Outcome(False, None, f"发送失败：{exc.__class__.__name__}: {exc}")
        final = row.attempts >= max_attempts(row)
    if outcome.ok:
        changes = {"status": DeliveryStatus.SENT, "sent_at": now, "next_attempt_at": None, "last_error": ""}
    elif final:
        changes = {"status": DeliveryStatus.FAILED, "next_attempt_at": None, "last_error": outcome.error[:500]}
    else:
        changes = {"status": DeliveryStatus.PENDING, "next_attempt_at": now + backoff(row.attempts),
                   "last_error": outcome.error[:500]}
    changes["last_status_code"] = outcome.status_code
    WebhookDelivery.objects.filter(pk=pk, status=DeliveryStatus.SENDING).update(**changes)
    if not outcome.ok:
        logger.warning("webhook delivery %s to %s failed (attempt %s): %s", pk, row.endpoint, row.attempts,
                       outcome.error)
    row.refresh_from_db()
    return row


def retry_due(*, now: datetime.datetime | None = None, limit: int = 200) -> dict:
    """Send every delivery whose time has come — the safety net under the task chain (a queue that was
    down at enqueue time, a worker that died mid-request). Oldest first, at most ``limit`` per run."""
    now = now or timezone.now()
    ids = list(WebhookDelivery.objects.filter(due(now)).order_by(F("next_attempt_at").asc(nulls_first=True), "id")
               .values_list("pk", flat=True)[:limit])
    counts = {"sent": 0, "retrying": 0, "failed": 0}
    for pk in ids:
        row = deliver(pk, now=now)
        if row is None:
            continue
        key = {DeliveryStatus.SENT: "sent", DeliveryStatus.FAILED: "failed"}.get(row.status, "retrying")
        counts[key] += 1
    return counts


def enqueue(delivery_id: int, *, run_after: datetime.datetime | None = None) -> None:
    """Hand a delivery to the task queue. Never raises: if the queue is unavailable (or cannot defer),
    the row stays pending and retry_due() sends it."""
    from apps.notifications.tasks import deliver_webhook

    try:
        task = deliver_webhook
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return
            task = task.using(run_after=run_after)
        task.enqueue(delivery_id)
    except Exception:
        logger.exception("webhook delivery %s: could not enqueue; retry_due will send it", delivery_id)
