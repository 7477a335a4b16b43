# The README's commands. Everything goes into .venv; nothing is installed system-wide.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEMO_ENV := DJANGO_SETTINGS_MODULE=config.settings.demo

.PHONY: demo test test-pg lint vendor-check messages bench bench-posters bench-news bench-load prod-check

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11（找不到 $(PYTHON)）；可用 PYTHON=python3 make demo 指定"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

# make demo: install, migrate the embedded SQLite database, load the demo data once, serve on
# 127.0.0.1:$(PORT) with the background worker (db_worker: imports, webhooks) and the scheduler of the daily
# jobs (run_scheduler: alerts, escalations). Safe to run again.
demo: $(VENV)/.installed
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py collectstatic --noinput -v0
	$(DEMO_ENV) $(PY) manage.py load_demo
	$(DEMO_ENV) $(PY) manage.py reindex_organisations --if-empty
	@echo "双招双引工作平台：http://127.0.0.1:$(PORT)/  （演示账号见 README；Ctrl-C 退出）"
	@trap 'kill 0' INT TERM EXIT; \
	  $(DEMO_ENV) $(PY) manage.py db_worker --interval 2 & \
	  $(DEMO_ENV) $(PY) manage.py run_scheduler --interval 30 & \
	  $(DEMO_ENV) $(VENV)/bin/gunicorn config.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 \
	    --access-logfile - --env DJANGO_SETTINGS_MODULE=config.settings.demo

# make test: the whole suite (SQLite unless DATABASE_URL points at PostgreSQL).
test: $(VENV)/.installed
	$(PY) manage.py makemigrations --check --dry-run --settings=config.settings.test
	$(PY) -m pytest

test-pg: $(VENV)/.installed
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/shuangzhao} $(PY) -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check apps config tests scripts bench

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=static
	$(PY) manage.py compilemessages -l en

# make bench-load: 50 connections for 30 s against gunicorn (deploy/gunicorn.conf.py, production settings) over
# the benchmark database `make bench` left (var/bench.sqlite3, or LOAD_DATABASE_URL for PostgreSQL), with wrk
# (apt-get install wrk). Prints wrk's figures and a JSON line (scripts/load_test.py).
LOAD_DATABASE_URL ?=
bench-load: $(VENV)/.installed
	$(PY) scripts/load_test.py $(if $(LOAD_DATABASE_URL),--database-url $(LOAD_DATABASE_URL),)

# make prod-check: start the documented deployment (deploy/) with the production settings on a scratch
# PostgreSQL database and verify its refusals, headers, cookies and files (scripts/prod_check.py).
prod-check: $(VENV)/.installed
	$(PY) scripts/prod_check.py

vendor-check: $(VENV)/.installed
	$(PY) scripts/vendor_check.py

# make bench: import BENCH_ORGS generated organisations and time search, match, the API and the list
# page, on SQLite (var/bench.sqlite3) and, when DATABASE_URL is set, on PostgreSQL (<name>_bench);
# writes docs/benchmarks.md. Takes a while at the default million.
BENCH_ORGS ?= 1000000
bench: $(VENV)/.installed bench-posters bench-news
	$(PY) scripts/bench_report.py --orgs $(BENCH_ORGS)

# make bench-posters: render each share poster 50 times; writes docs/benchmarks-posters.md (seconds).
bench-posters: $(VENV)/.installed
	$(PY) scripts/bench_posters.py --runs 50 --out docs/benchmarks-posters.md

# make bench-news: the news-extraction engine's speed (manage.py bench news) and its precision/recall on the
# labelled corpus; writes docs/benchmarks-news.md (make bench repeats its speed line in docs/benchmarks.md).
bench-news: $(VENV)/.installed
	$(PY) scripts/news_eval.py
