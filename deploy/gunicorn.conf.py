# gunicorn for production (deploy/README.md): loopback only — nginx in front terminates HTTPS.
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two processes per core, each with a few threads: pages wait on the database more than on Python.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = 60            # an XLSX export of a long list may take a while; longer than that is a bug
graceful_timeout = 30
max_requests = 2000     # recycle workers now and then, so a slow leak cannot grow for months
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = "127.0.0.1"  # trust X-Forwarded-Proto only from nginx on this machine
