"""make prod-check: start the documented deployment (deploy/) with the production settings against a
scratch PostgreSQL database and check, from the outside, what it promises:

1. it refuses to start with no SECRET_KEY, a key from this repository, a weak key, or DEBUG on;
2. `manage.py check --deploy --database default` passes at warning level;
3. gunicorn with deploy/gunicorn.conf.py serves the login page over "HTTPS" (X-Forwarded-Proto from nginx)
   with HSTS, nosniff, frame denial, a same-origin referrer policy and Secure, HttpOnly cookies; plain HTTP
   is redirected to HTTPS; an unknown Host is refused; five wrong passwords lock an account (429), counted
   by the client address nginx forwards;
4. deploy/nginx.conf, run by the real nginx in front of that gunicorn (its addresses, certificate and paths swapped for
   scratch ones, nothing else): HTTP is sent to HTTPS, the login page comes through over TLS with the app's headers
   (which proves nginx forwards X-Forwarded-Proto), the static files come from STATIC_ROOT by nginx itself,
   uploaded files are not served by it, and a body over client_max_body_size is refused before it reaches the app;
5. the worker, started with deploy/systemd/shuangzhao-worker.service's own command line, runs a queued job;
6. with the demo accounts in its database, gunicorn, the worker and the scheduler refuse to start;
7. the systemd units and nginx file name commands and paths that exist in the app.

Each step prints ✓ or ✗; the exit code is the number of failures. The scratch database is dropped at the end."""

import json
import os
import re
import secrets
import shlex
import shutil
import socket
import ssl
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
        check_nginx(var_dir, port)
    finally:
        process.terminate()
        process.wait(timeout=30)


# The lines of deploy/nginx.conf that name this machine's addresses, certificate and paths, and what they become for
# the check. Any other line runs as written.
NGINX_SWAPS = (("server 127.0.0.1:8000;", "server 127.0.0.1:{gunicorn};"), ("listen 80;", "listen 127.0.0.1:{http};"),
               ("listen 443 ssl http2;", "listen 127.0.0.1:{https} ssl http2;"),
               ("/etc/ssl/shuangzhao/fullchain.pem", "{tmp}/cert.pem"), ("/etc/ssl/shuangzhao/privkey.pem", "{tmp}/key.pem"),
               ("/var/log/nginx/shuangzhao.access.log", "{tmp}/access.log"),
               ("/srv/shuangzhao/var/staticfiles/", "{static}/"))


def nginx_config(tmp: str, static: str, ports: dict) -> str | None:
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    for old, new in NGINX_SWAPS:
        if old not in text:
            report(False, f"deploy/nginx.conf 中应有“{old}”（prod-check 据此替换为检查用的地址和路径）")
            return None
        text = text.replace(old, new.format(tmp=tmp, static=static, **ports))
    temp = " ".join(f"{kind}_temp_path {tmp}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"pid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\nevents {{}}\n"
            f"http {{\n  include /etc/nginx/mime.types;\n  {temp}\n{text}\n}}\n")


def tls_get(port: int, path: str) -> tuple[int, dict, bytes]:
    """GET over HTTPS from nginx, as a browser would reach the site (the scratch certificate is not checked)."""
    import http.client

    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": HOST})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def oversized_post(port: int) -> str:
    """Announce a 300 MB upload and send none of it: nginx must answer 413 from the header alone."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw, \
            context.wrap_socket(raw, server_hostname=HOST) as tls:
        tls.sendall(f"POST /imports/new/ HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: text/csv\r\n"
                    f"Content-Length: {300 * 1024 * 1024}\r\n\r\n".encode())
        try:
            return tls.recv(200).decode("latin-1").split("\r\n", 1)[0]
        except TimeoutError:
            return "10 秒内没有应答（nginx 在等待上传内容：限制高于 300 MB？）"


def check_nginx(var_dir: str, gunicorn_port: int) -> None:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not nginx:
        report(False, "nginx 未安装（apt-get install -y nginx），无法按 deploy/nginx.conf 检查")
        return
    tmp = tempfile.mkdtemp(prefix="prodcheck-nginx-")
    os.chmod(var_dir, 0o755)  # nginx's workers run as its own user, as they do on the server
    ports = {"gunicorn": gunicorn_port, "http": free_port(), "https": free_port()}
    made = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                           f"/CN={HOST}", "-keyout", f"{tmp}/key.pem", "-out", f"{tmp}/cert.pem"],
                          capture_output=True, text=True)
    config = nginx_config(tmp, str(Path(var_dir) / "staticfiles"), ports)
    if made.returncode or config is None:
        report(made.returncode == 0, "生成检查用的自签名证书", made.stderr[-200:])
        shutil.rmtree(tmp, ignore_errors=True)
        return
    Path(tmp, "nginx.conf").write_text(config)
    tested = subprocess.run([nginx, "-t", "-q", "-p", tmp, "-c", f"{tmp}/nginx.conf"], capture_output=True, text=True)
    report(tested.returncode == 0, "nginx -t：deploy/nginx.conf 有效", tested.stderr[-300:])
    server = subprocess.Popen([nginx, "-p", tmp, "-c", f"{tmp}/nginx.conf", "-g", "daemon off;"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        up = wait_serving(ports["https"], server, 20) and wait_serving(ports["http"], server, 5)
        report(up, "nginx 按 deploy/nginx.conf 启动", server.stdout.read() if server.poll() is not None else "")
        if not up:
            return
        status, headers, _ = get(ports["http"], "/accounts/login/", {"Host": HOST})
        location = headers.get("Location", "")
        report(status == 301 and location == f"https://{HOST}/accounts/login/", "nginx：HTTP 跳转到 HTTPS",
               f"{status} {location}")
        status, headers, body = tls_get(ports["https"], "/accounts/login/")
        report(status == 200 and "登录" in body.decode("utf-8", "replace"),
               "经 nginx（TLS）打开登录页：nginx 转发了 X-Forwarded-Proto，应用不再要求跳转", f"HTTP {status}")
        report("max-age=31536000" in headers.get("Strict-Transport-Security", "")
               and headers.get("X-Frame-Options") == "DENY", "经 nginx 的应答带 HSTS 与 X-Frame-Options")
        manifest = json.loads((Path(var_dir) / "staticfiles" / "staticfiles.json").read_text())["paths"]
        status, headers, body = tls_get(ports["https"], f"/static/{manifest['css/app.css']}")
        report(status == 200 and headers.get("Content-Type", "").startswith("text/css")
               and "max-age=2592000" in headers.get("Cache-Control", "")
               and headers.get("X-Content-Type-Options") == "nosniff" and b".htmx-error" in body,
               "静态文件由 nginx 直接从 STATIC_ROOT 提供（30 天缓存，nosniff）",
               f"HTTP {status} {headers.get('Content-Type')} {headers.get('Cache-Control')}")
        status, _, _ = tls_get(ports["https"], "/media/uploads/any.html")
        report(status == 404, "上传文件目录不经 nginx 直接提供（/media/ 交给应用，404）", f"HTTP {status}")
        answer = oversized_post(ports["https"])
        report(" 413 " in answer, "超过 client_max_body_size 的上传由 nginx 直接拒绝（413），不进入应用", answer)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


def unit_command(unit: str) -> list[str]:
    """The arguments after the venv's python in a systemd unit's ExecStart: what the server runs, run here."""
    text = (ROOT / "deploy" / "systemd" / unit).read_text()
    return shlex.split(re.search(r"^ExecStart=\S+/app/\.venv/bin/python (.+)$", text, re.M).group(1))


def check_worker(var_dir: str) -> None:
    """The worker as its systemd unit starts it, against the same database: a queued daily job runs."""
    command = unit_command("shuangzhao-worker.service")
    queued = manage("shell", "-c", "from apps.fulfilment.jobs import raise_alerts_task;"
                    "print(raise_alerts_task.enqueue().id)", APP_VAR_DIR=var_dir)
    report(queued.returncode == 0, "排入一项后台任务（履约预警日任务）", queued.stderr[-300:])
    if queued.returncode:
        return
    result_id = queued.stdout.strip().splitlines()[-1]
    worker = subprocess.Popen([PY, *command], cwd=ROOT, env=env(APP_VAR_DIR=var_dir), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    status = ""
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and worker.poll() is None:
            read = manage("shell", "-c", "from apps.fulfilment.jobs import raise_alerts_task;"
                          f"print(raise_alerts_task.get_result({result_id!r}).status)", APP_VAR_DIR=var_dir)
            status = read.stdout.strip().splitlines()[-1] if read.stdout.strip() else read.stderr[-200:]
            if status in ("SUCCESSFUL", "FAILED"):
                break
            time.sleep(1)
    finally:
        worker.terminate()
        try:
            out, _ = worker.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            out, _ = worker.communicate()
    report(status == "SUCCESSFUL", f"worker（{' '.join(command)}）运行了排队的任务", f"{status} {out[-300:]}")


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
    # The worker and the scheduler, each by its systemd unit's own command line.
    for unit, what in (("shuangzhao-worker.service", "worker"), ("shuangzhao-scheduler.service", "scheduler")):
        try:
            result = subprocess.run([PY, *unit_command(unit)], cwd=ROOT, env=env(APP_VAR_DIR=var_dir), capture_output=True,
                                    text=True, timeout=60)
            out, refused = result.stdout + result.stderr, result.returncode != 0
        except subprocess.TimeoutExpired:
            out, refused = "仍在运行", False
        report(refused and "演示账号" in out, f"有演示账号时 {what} 拒绝启动", out[-300:])


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
        check_worker(var_dir)
        check_demo_refused(var_dir)
        check_deploy_files()
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
        subprocess.run(["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {DB}"])
    print(f"\nprod-check: {'通过' if not failures else '失败 ' + str(len(failures)) + ' 项'}")
    return len(failures)


if __name__ == "__main__":
    sys.exit(main())
