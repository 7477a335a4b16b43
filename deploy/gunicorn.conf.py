# gunicorn for production (deploy/README.md): loopback only — nginx in front terminates HTTPS.
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Processes, one request at a time each: a page spends most of its time in Python, not waiting on the database,
# so threads only queue behind the GIL. Measured with make bench-load on 2 cores (docs/benchmarks.md):
# - 4 workers × 4 threads gave about the same requests/s as 3-5 single-threaded workers but twice the p99;
# - cores + 1 workers (3) served 6-9% more than gunicorn's usual 2 × cores + 1 (5) on SQLite, the same on
#   PostgreSQL, with a lower p99: fewer processes taking turns on two cores. 2 workers served as many but left
#   some requests waiting 1.8 s. The spare worker keeps the site answering while someone waits on an export.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = 60            # an XLSX export of a long list may take a while; longer than that is a bug
graceful_timeout = 30
# The application is loaded once, in the master, and every worker is a fork of it (config/wsgi.py closes the
# master's database connections first, so no worker shares one). Loaded by each worker instead, every recycle
# below re-imported Django and the name tables (1.8 s of CPU) and compiled the templates again; apps/core/warmup.py
# does all of that once, before the fork, and gc.freeze there keeps the forked pages shared.
preload_app = True
# Recycle workers now and then, so a slow leak cannot grow for months. Every 2,000 requests was every 30 s per
# worker at full load, and each fresh worker's first requests (new database connection, empty per-process
# caches) were the slowest of the load test: p99 300-318 ms against 271-292 ms without recycling
# (docs/benchmarks.md). At 20,000 a worker lives hours at office load and minutes at the load test's.
max_requests = 20000
max_requests_jitter = 2000
# One access log: nginx's (deploy/nginx.conf names it), which sees the client's address where
# gunicorn sees only nginx's. gunicorn's own duplicated every line into the journal and cost about 2% of the
# workers' time under load (py-spy, docs/benchmarks.md, seventh round). GUNICORN_ACCESSLOG=- turns it back on.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
forwarded_allow_ips = "127.0.0.1"  # trust X-Forwarded-Proto only from nginx on this machine
