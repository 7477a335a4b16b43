"""make prod-check: start the documented deployment (deploy/) with the production settings against a
scratch PostgreSQL database and check, from the outside, what it promises:

1. it refuses to start with no SECRET_KEY, a key from this repository, a weak key, or DEBUG on;
2. `manage.py check --deploy --database default` passes at warning level;
3. gunicorn with deploy/gunicorn.conf.py serves the login page over "HTTPS" (X-Forwarded-Proto from nginx)
   with HSTS, nosniff, frame denial, a same-origin referrer policy and Secure, HttpOnly cookies; plain HTTP
   is redirected to HTTPS; an unknown Host is refused; five wrong passwords lock an account (429), counted
   by the client address nginx forwards;
4. with the demo accounts in its database, gunicorn refuses to start;
5. the systemd units and nginx file name commands and paths that exist in the app.

Each step prints ✓ or ✗; the exit code is the number of failures. The scratch database is dropped at the end."""

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG = os.environ.get("PROD_CHECK_PG", "postgres://postgres@127.0.0.1:5432")
DB = "shuangzhao_prodcheck"
HOST = "zsyz.example.gov.cn"
failures: list[str] = []


def report(ok: bool, what: str, detail: str = "") -> None:
    print(("✓ " if ok else "✗ ") + what + (f" — {detail}" if detail and not ok else ""))
    if not ok:
        failures.append(what)


def env(**overrides) -> dict:
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    base.update({"DJANGO_SETTINGS_MODULE": "config.settings.prod", "ALLOWED_HOSTS": HOST,
                 "CSRF_TRUSTED_ORIGINS": f"https://{HOST}", "SITE_URL": f"https://{HOST}",
                 "DATABASE_URL": f"{PG}/{DB}", "SECRET_KEY": secrets.token_urlsafe(50)})
    base.update({k: v for k, v in overrides.items() if v is not None})
    for key in [k for k, v in overrides.items() if v is None]:
        base.pop(key, None)
    return base


def manage(*args, **overrides) -> subprocess.CompletedProcess:
    return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env(**overrides), capture_output=True,
                          text=True, timeout=600)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, headers: dict) -> tuple[int, dict, str]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        response = urllib.request.build_opener(NoRedirect).open(request, timeout=10)
    except urllib.error.HTTPError as error:
        response = error
    return response.status, response.headers, response.read().decode("utf-8", "replace")


def start_gunicorn(var_dir: str, port: int) -> subprocess.Popen:
    return subprocess.Popen([GUNICORN, "config.wsgi", "-c", "deploy/gunicorn.conf.py"], cwd=ROOT,
                            env=env(APP_VAR_DIR=var_dir, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1"),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_serving(port: int, process: subprocess.Popen, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.3)
    return False


def check_refusals() -> None:
    cases = [("SECRET_KEY 缺失时拒绝启动", {"SECRET_KEY": None}, "必须设置 SECRET_KEY"),
             ("演示用 SECRET_KEY 拒绝启动", {"SECRET_KEY": "demo-only-not-secret-7f3c1b9e2d"}, "SECRET_KEY 不安全"),
             ("过短的 SECRET_KEY 拒绝启动", {"SECRET_KEY": "short-key"}, "SECRET_KEY 不安全"),
             ("DEBUG 开启时拒绝启动", {"DEBUG": "1"}, "不能开启 DEBUG")]
    for what, overrides, message in cases:
        result = manage("check", **overrides)
        report(result.returncode != 0 and message in result.stderr, what, result.stderr[-300:])


def check_serving(var_dir: str) -> None:
    port = free_port()
    process = start_gunicorn(var_dir, port)
    try:
        report(wait_serving(port, process), "gunicorn（deploy/gunicorn.conf.py）以生产设置启动",
               process.stdout.read() if process.poll() is not None else "timeout")
        if process.poll() is not None:
            return
        status, headers, _ = get(port, "/accounts/login/", {"Host": HOST, "X-Forwarded-Proto": "https"})
        report(status == 200, "经 HTTPS（X-Forwarded-Proto）打开登录页", f"HTTP {status}")
        hsts = headers.get("Strict-Transport-Security", "")
        report("max-age=31536000" in hsts, "HSTS 一年", hsts)
        report(headers.get("X-Content-Type-Options") == "nosniff", "X-Content-Type-Options: nosniff")
        report(headers.get("X-Frame-Options") == "DENY", "X-Frame-Options: DENY")
        report(headers.get("Referrer-Policy") == "same-origin", "Referrer-Policy: same-origin")
        cookies = headers.get_all("Set-Cookie") or []
        csrf = next((c for c in cookies if c.startswith("csrftoken=")), "")
        report("Secure" in csrf and "SameSite=Lax" in csrf, "CSRF Cookie 带 Secure、SameSite", csrf)
        status, headers, _ = get(port, "/accounts/login/", {"Host": HOST})
        location = headers.get("Location", "")
        report(status == 301 and location.startswith(f"https://{HOST}/"), "HTTP 跳转到 HTTPS", f"{status} {location}")
        status, _, _ = get(port, "/accounts/login/", {"Host": "evil.example.com", "X-Forwarded-Proto": "https"})
        report(status == 400, "未登记的域名（Host）被拒绝", f"HTTP {status}")
        check_throttle(port)
    finally:
        process.terminate()
        process.wait(timeout=30)


def token_attempt(port: int, username: str, client: str) -> tuple[int, str]:
    body = json.dumps({"username": username, "password": "wrong-password"}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/auth/token", data=body, method="POST", headers={
        "Host": HOST, "X-Forwarded-Proto": "https", "Content-Type": "application/json",
        # As nginx sends it: whatever the client claimed, then the address nginx saw.
        "X-Forwarded-For": f"10.9.9.9, {client}"})
    try:
        response = urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as error:
        response = error
    return response.status, response.read().decode("utf-8", "replace")


def check_throttle(port: int) -> None:
    statuses = [token_attempt(port, "zhang", "198.51.100.7")[0] for _ in range(5)]
    report(statuses == [400, 400, 400, 400, 429], "同一账号连续5次密码错误后锁定（429）", str(statuses))
    status, body = token_attempt(port, "zhang", "198.51.100.7")
    report(status == 429 and "暂时锁定" in body, "锁定期间的提示为中文", body[:200])
    status, _ = token_attempt(port, "li", "198.51.100.8")
    report(status == 400, "其他地址的其他账号不受影响（按 nginx 转发的真实地址计数）", f"HTTP {status}")


def check_demo_refused(var_dir: str) -> None:
    made = manage("shell", "-c", "from apps.accounts.models import User; from apps.units.models import Unit;"
                  "User.objects.create_user(username='demo_admin', password='demo-password',"
                  " unit=Unit.objects.get(name='驻京办'), role='office_admin')")
    report(made.returncode == 0, "写入一个演示账号（demo_admin）", made.stderr[-300:])
    result = manage("check", "--deploy", "--database", "default")
    report(result.returncode != 0 and "core.E001" in result.stderr, "check --deploy 报告演示账号", result.stderr[-300:])
    port = free_port()
    process = start_gunicorn(var_dir, port)
    try:
        out, _ = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        out = "仍在运行"
    report(process.returncode not in (0, None) and "演示账号" in out, "有演示账号时 gunicorn 拒绝启动", out[-300:])


def check_deploy_files() -> None:
    for unit in sorted((ROOT / "deploy" / "systemd").glob("*.service")):
        text = unit.read_text()
        commands = re.findall(r"^ExecStart(?:Pre)?=\S+/app/(\S+)(?: (\S+) (\S+))?", text, re.M)
        ok = bool(commands)
        for binary, first, second in commands:
            ok &= (ROOT / binary).exists() or binary.startswith(".venv/")
            if first == "manage.py":
                listed = manage("help", second, SECRET_KEY=secrets.token_urlsafe(50))
                ok &= listed.returncode == 0
        report(ok and "EnvironmentFile=/etc/shuangzhao.env" in text, f"{unit.name} 的命令存在")
    example = (ROOT / "deploy" / "shuangzhao.env.example").read_text()
    report("DJANGO_SETTINGS_MODULE=config.settings.prod" in example, "环境变量样例使用生产设置")
    nginx = shutil.which("nginx")
    if nginx:
        result = subprocess.run([nginx, "-t", "-c", str(ROOT / "deploy" / "nginx.conf")], capture_output=True, text=True)
        print(("✓ " if result.returncode == 0 else "… ") + "nginx -t: " + result.stderr.strip()[-200:])
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    report("X-Forwarded-Proto $scheme" in conf and "/media" not in conf.replace("MEDIA_ROOT", ""),
           "nginx 转发 X-Forwarded-Proto，且不直接提供上传文件")


def main() -> int:
    subprocess.run(["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {DB}"], check=True)
    # The same server as the drop above (PROD_CHECK_PG; keep a password out of it, use ~/.pgpass).
    subprocess.run(["psql", f"{PG}/postgres", "-v", "ON_ERROR_STOP=1", "-qc",
                    f"CREATE DATABASE {DB} ENCODING 'UTF8' TEMPLATE template0 LOCALE 'C.UTF-8'"], check=True)
    var_dir = tempfile.mkdtemp(prefix="prodcheck-")
    try:
        check_refusals()
        migrated = manage("migrate", "--noinput", APP_VAR_DIR=var_dir)
        report(migrated.returncode == 0, "migrate（PostgreSQL）", migrated.stderr[-300:])
        static = manage("collectstatic", "--noinput", "-v0", APP_VAR_DIR=var_dir)
        report(static.returncode == 0, "collectstatic", static.stderr[-300:])
        deploy = manage("check", "--deploy", "--fail-level", "WARNING", "--database", "default", APP_VAR_DIR=var_dir)
        report(deploy.returncode == 0, "manage.py check --deploy（警告级别）通过", deploy.stderr[-500:])
        check_serving(var_dir)
        check_demo_refused(var_dir)
        check_deploy_files()
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
        subprocess.run(["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {DB}"])
    print(f"\nprod-check: {'通过' if not failures else '失败 ' + str(len(failures)) + ' 项'}")
    return len(failures)


if __name__ == "__main__":
    sys.exit(main())
