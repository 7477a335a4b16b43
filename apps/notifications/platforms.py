"""The three work-group robots' own wire formats: what a message looks like, how a request is signed,
which addresses are theirs and how each says "received". Pure functions — no database, no network —
so the formats are tested byte for byte against a local receiver (tests/test_webhooks.py).

- 企业微信 群机器人: POST {"msgtype": "markdown", "markdown": {"content": …}} to
  https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…; no signing (the key is the credential);
  success is {"errcode": 0, "errmsg": "ok"}; markdown content at most 4096 bytes.
- 钉钉 自定义机器人: POST {"msgtype": "markdown", "markdown": {"title", "text"}} to
  https://oapi.dingtalk.com/robot/send?access_token=…; 加签 appends &timestamp=<ms>&sign=<urlencoded
  base64(HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}"))>; success {"errcode": 0}.
- 飞书 自定义机器人: POST {"msg_type": "post", "content": {"post": {"zh_cn": {"title", "content"}}}} to
  https://open.feishu.cn/open-apis/bot/v2/hook/…; 签名校验 adds "timestamp" (seconds, a string) and
  "sign" = base64(HMAC-SHA256(key=f"{timestamp}\\n{secret}", msg=b"")) to the body; success {"code": 0}
  (older robots answer {"StatusCode": 0}).

Both signatures are only valid for an hour, so they are computed at each attempt, never stored."""

import base64
import datetime
import hashlib
import hmac
import json
from urllib.parse import parse_qs, quote_plus, urlsplit

from django.conf import settings

from apps.core.errors import DomainError
from apps.core.text import zh
from apps.notifications.models import WebhookPlatform

OFFICIAL_HOSTS = {
    WebhookPlatform.WECOM: ("qyapi.weixin.qq.com",),
    WebhookPlatform.DINGTALK: ("oapi.dingtalk.com",),
    WebhookPlatform.FEISHU: ("open.feishu.cn", "open.larksuite.com"),
}
EXAMPLE_URLS = {
    WebhookPlatform.WECOM: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…",
    WebhookPlatform.DINGTALK: "https://oapi.dingtalk.com/robot/send?access_token=…",
    WebhookPlatform.FEISHU: "https://open.feishu.cn/open-apis/bot/v2/hook/…",
}
# Where the credential sits in an official address: without it the robot can only answer "invalid".
_CREDENTIAL_PARAM = {WebhookPlatform.WECOM: "key", WebhookPlatform.DINGTALK: "access_token"}
_FEISHU_HOOK_PATH = "/open-apis/bot/v2/hook/"

MAX_BODY_CHARS = 1000  # keeps 企业微信's 4096-byte markdown limit with a 200-character title and a link
WECOM_MAX_BYTES = 4096
SIGNATURE = "双招双引工作平台"  # also the keyword to give a robot whose security setting is 自定义关键词


def platform_label(platform: str) -> str:
    return zh(WebhookPlatform(platform).label)


# --- addresses and secrets --------------------------------------------------------------------------

def extra_hosts() -> set[str]:
    """Hosts besides the platforms' own that the system administrator allows (a private 政务钉钉
    deployment, an outbound forwarding gateway on the intranet). Settings, not the page: an address
    the server will POST to is an operator's decision, not a unit admin's."""
    return {host.strip().lower() for host in getattr(settings, "WEBHOOK_EXTRA_HOSTS", []) if host.strip()}


def validate_webhook_url(platform: str, url: str) -> str:
    label = platform_label(platform)
    url = (url or "").strip()
    if not url:
        raise DomainError(f"Webhook 地址：请填写{label}群机器人的 Webhook 地址（{EXAMPLE_URLS[platform]}）。", field="url")
    if len(url) > 500:
        raise DomainError("Webhook 地址：不能超过 500 个字符，请检查是否多复制了内容。", field="url")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise DomainError("Webhook 地址：中间不能有空格或换行，请重新复制。", field="url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise DomainError(f"Webhook 地址：应以 https:// 开头，例如 {EXAMPLE_URLS[platform]}。", field="url")
    try:
        host, port = (parts.hostname or "").lower(), parts.port
    except ValueError:
        raise DomainError("Webhook 地址：端口号无效。", field="url") from None
    if not host:
        raise DomainError("Webhook 地址：缺少主机名。", field="url")
    if parts.username or parts.password:
        raise DomainError("Webhook 地址：不能包含用户名或密码。", field="url")
    if parts.fragment:
        raise DomainError("Webhook 地址：不能包含“#”及其后的内容。", field="url")
    if host in OFFICIAL_HOSTS[platform]:
        if parts.scheme != "https" or port not in (None, 443):
            raise DomainError(f"Webhook 地址：{label}的地址须使用 https，例如 {EXAMPLE_URLS[platform]}。", field="url")
        _check_credential(platform, parts)
        return url
    if host in extra_hosts():
        return url
    raise DomainError(
        f"Webhook 地址：“{host}”不是{label}群机器人的地址（应为 {EXAMPLE_URLS[platform]}）。"
        "如需经内网转发网关发送，请系统管理员把该主机加入 WEBHOOK_EXTRA_HOSTS 设置。", field="url")


def _check_credential(platform: str, parts) -> None:
    label = platform_label(platform)
    if platform == WebhookPlatform.FEISHU:
        if not parts.path.startswith(_FEISHU_HOOK_PATH) or not parts.path[len(_FEISHU_HOOK_PATH):].strip("/"):
            raise DomainError(f"Webhook 地址：{label}机器人的地址应为 {EXAMPLE_URLS[platform]}。", field="url")
        return
    param = _CREDENTIAL_PARAM[platform]
    if not parse_qs(parts.query).get(param, [""])[0]:
        raise DomainError(f"Webhook 地址：缺少 {param}=…，请复制机器人设置中完整的地址（{EXAMPLE_URLS[platform]}）。",
                          field="url")


def validate_secret(platform: str, secret: str) -> str:
    secret = (secret or "").strip()
    if not secret:
        return ""
    if platform == WebhookPlatform.WECOM:
        raise DomainError("签名密钥：企业微信群机器人没有签名密钥，请留空（地址中的 key 即凭证）。", field="secret")
    if platform == WebhookPlatform.DINGTALK and not secret.startswith("SEC"):
        raise DomainError("签名密钥：钉钉“加签”的密钥以 SEC 开头，请从机器人安全设置中完整复制。", field="secret")
    if len(secret) > 200 or any(ch.isspace() for ch in secret):
        raise DomainError("签名密钥：不能含空格且不超过 200 个字符，请重新复制。", field="secret")
    return secret


# --- messages ----------------------------------------------------------------------------------------

def absolute_link(url: str) -> str:
    """A path inside the site made absolute with SITE_URL — the group reads the message outside the site."""
    site = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    if url.startswith(("http://", "https://")):
        return url
    if not url:
        return f"{site}/"
    return f"{site}/{url.lstrip('/')}"


def build_message(platform: str, *, title: str, body: str = "", link: str) -> dict:
    """The JSON body the platform expects, without any signature."""
    title = " ".join((title or "").split())[:200]
    body = (body or "").strip()
    if len(body) > MAX_BODY_CHARS:
        body = body[:MAX_BODY_CHARS - 1] + "…"
    if platform == WebhookPlatform.WECOM:
        def wecom_markdown(text: str) -> str:
            lines = [f"**{title}**", text, f"[查看详情]({link})", f'<font color="comment">{SIGNATURE}</font>']
            return "\n".join(line for line in lines if line)

        content = wecom_markdown(body)
        while len(content.encode()) > WECOM_MAX_BYTES and body:  # only with a very long link: shorten the body
            body = body[: len(body) // 2] + "…" if len(body) > 1 else ""
            content = wecom_markdown(body)
        return {"msgtype": "markdown", "markdown": {"content": content}}
    if platform == WebhookPlatform.DINGTALK:
        # DingTalk markdown needs a blank line between paragraphs; the title is what the chat list shows.
        paragraphs = [f"#### {title}", body, f"[查看详情]({link})", f"—— {SIGNATURE}"]
        return {"msgtype": "markdown",
                "markdown": {"title": title, "text": "\n\n".join(p for p in paragraphs if p)}}
    if platform == WebhookPlatform.FEISHU:
        content = []
        if body:
            content.append([{"tag": "text", "text": body}])
        content.append([{"tag": "a", "text": "查看详情", "href": link}])
        content.append([{"tag": "text", "text": f"—— {SIGNATURE}"}])
        return {"msg_type": "post", "content": {"post": {"zh_cn": {"title": title, "content": content}}}}
    raise ValueError(f"unknown platform {platform!r}")


# --- signing -----------------------------------------------------------------------------------------

def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """base64(HMAC-SHA256(key=secret, msg="{timestamp}\\n{secret}")), before URL-encoding."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """base64(HMAC-SHA256(key="{timestamp}\\n{secret}", msg=b"")) — Feishu keys the HMAC with the string
    to sign and hashes nothing, the reverse of DingTalk."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed_request(platform: str, *, url: str, secret: str, payload: dict, now: datetime.datetime) -> tuple[str, bytes]:
    """The address and body of one attempt, signed with the attempt's own time."""
    body = dict(payload)
    if secret and platform == WebhookPlatform.DINGTALK:
        timestamp = int(now.timestamp() * 1000)
        separator = "&" if urlsplit(url).query else "?"
        url = f"{url}{separator}timestamp={timestamp}&sign={quote_plus(dingtalk_sign(secret, timestamp))}"
    elif secret and platform == WebhookPlatform.FEISHU:
        timestamp = int(now.timestamp())
        body = {"timestamp": str(timestamp), "sign": feishu_sign(secret, timestamp), **body}
    return url, json.dumps(body, ensure_ascii=False).encode()


# --- answers -----------------------------------------------------------------------------------------

def read_answer(platform: str, raw: bytes) -> str:
    """"" when the platform says it took the message, else the reason in the words admins will search
    the platform's documentation for (its own code and message)."""
    try:
        answer = json.loads(raw.decode("utf-8", errors="replace") or "null")
    except ValueError:
        return f"平台响应不是 JSON，无法确认已送达：{_snippet(raw)}"
    if not isinstance(answer, dict):
        return f"平台响应无法识别：{_snippet(raw)}"
    if platform == WebhookPlatform.FEISHU:
        code = answer.get("code", answer.get("StatusCode"))
        message = answer.get("msg") or answer.get("StatusMessage") or ""
    else:
        code, message = answer.get("errcode"), answer.get("errmsg") or ""
    if code is None:
        return f"平台响应无法识别：{_snippet(raw)}"
    if code == 0 or code == "0":
        return ""
    return f"平台返回错误 {code}：{message}".strip()


def _snippet(raw: bytes, limit: int = 200) -> str:
    text = raw.decode("utf-8", errors="replace").strip()
    return text[:limit] + ("…" if len(text) > limit else "") if text else "（空）"
