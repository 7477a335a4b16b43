"""A real HTTP receiver standing in for the three robots' servers, and robots pointed at it.

The receiver runs http.server.ThreadingHTTPServer on 127.0.0.1 (an OS-chosen port) in a thread of the
test process; it records every request (path, query, headers, JSON body) and answers as the test told
it — a platform's success, an error code, a 500, or nothing at all until the test ends (a hang)."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

SUCCESS = {
    "wecom": {"errcode": 0, "errmsg": "ok"},
    "dingtalk": {"errcode": 0, "errmsg": "ok"},
    "feishu": {"code": 0, "msg": "success", "data": {}},
}
PATHS = {
    "wecom": "/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa",
    "dingtalk": "/robot/send?access_token=4c8bd8f1b0b5c1e3a7e1d0f9a8b7c6d5",
    "feishu": "/open-apis/bot/v2/hook/0f9e3c2a-58b1-4b7e-9d6a-2c1f4e5d6a7b",
}


@dataclass
class Received:
    path: str
    query: dict
    headers: dict
    body: dict


@dataclass
class Answer:
    status: int = 200
    body: dict | bytes | None = None
    hang: bool = False


@dataclass
class Receiver:
    port: int = 0
    requests: list = field(default_factory=list)
    answers: list = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def url(self, platform: str) -> str:
        return f"http://127.0.0.1:{self.port}{PATHS[platform]}"

    def answer(self, *answers: Answer) -> None:
        """Queue the next answers; once they are used up the platform's success is sent."""
        self.answers.extend(answers)

    def take_answer(self, path: str) -> Answer:
        if self.answers:
            return self.answers.pop(0)
        platform = "feishu" if path.startswith("/open-apis/") else "dingtalk" if path.startswith("/robot/") else "wecom"
        return Answer(body=SUCCESS[platform])


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            parts = urlsplit(self.path)
            receiver.requests.append(Received(path=parts.path, query=parse_qs(parts.query),
                                              headers=dict(self.headers), body=json.loads(raw.decode())))
            answer = receiver.take_answer(self.path)
            if answer.hang:
                receiver.release.wait(30)  # until the test is over; the sender gave up long before
                return
            body = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body or {}).encode()
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # quiet test output
            pass

    return Handler


@pytest.fixture
def receiver():
    state = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    # The receiver's host is allowed the way an operator would allow an intranet forwarding gateway.
    settings.WEBHOOK_EXTRA_HOSTS = ["127.0.0.1"]
    settings.SITE_URL = "https://zsj.example.gov.cn"
    settings.WEBHOOK_TIMEOUT_SECONDS = 2
    settings.WEBHOOK_MAX_ATTEMPTS = 5
    return settings


@pytest.fixture
def make_endpoint(users, units, receiver):
    from apps.notifications.services import webhook_endpoint_create

    def make(platform: str, *, unit_name: str = "九龙坡区", secret: str = "", name: str = "", actor=None):
        return webhook_endpoint_create(actor=actor or users["office_admin"], unit=units[unit_name], platform=platform,
                                       name=name or f"{unit_name}{platform}群", url=receiver.url(platform),
                                       secret=secret)

    return make
