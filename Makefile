# CountyWorks: `make run` serves the Huguan demo, `make test` runs every test.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
CW := $(VENV)/bin/countyworks
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install system-deps assets run serve test test-fast lint format migrations-check check-deploy bench eval messages reset-local-db cluster-test

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) assets

system-deps:
	bash scripts/system-deps.sh

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.package-lock.json

assets: node_modules/.package-lock.json

run: install system-deps
	mkdir -p var
	$(CW) migrate --noinput
	COUNTYWORKS_DEMO_ACCOUNTS=1 $(CW) loaddemo --if-empty
	EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend $(CW) supervise
	$(CW) collectstatic --noinput -v 0
	# The queue's worker (report rendering, notices, the daily supervision run) runs beside gunicorn
	# and stops with it (docs/queue.md).
	DEBUG=0 HTTPS=0 $(CW) worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
		DEBUG=0 HTTPS=0 $(VENV)/bin/gunicorn -c python:countyworks.gunicorn_conf countyworks.wsgi -b $(HOST):$(PORT) --access-logfile -

serve: run

test: install system-deps
	$(CW) makemigrations --check --dry-run
	$(PY) -m pytest -q

test-fast: install
	$(PY) -m pytest -q -m "not browser"

lint: install
	$(VENV)/bin/ruff check countyworks bench scripts
	$(VENV)/bin/ruff format --check countyworks bench scripts
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix countyworks bench
	$(VENV)/bin/ruff format countyworks bench

migrations-check: install
	$(CW) makemigrations --check --dry-run

check-deploy: install
	DEBUG=0 SECRET_KEY=$$(python3 -c 'import secrets;print(secrets.token_urlsafe(64))') ALLOWED_HOSTS=countyworks.example.gov.cn \
		$(CW) check --deploy --fail-level WARNING

# Every app keeps its own locale/ folder; msgids are English, translations Chinese.
messages: install
	for app in countyworks/*/locale; do (cd $$(dirname $$app) && ../../$(CW) makemessages -l zh_Hans --no-obsolete && ../../$(CW) compilemessages); done

bench: install system-deps
	$(PY) bench/run_all.py

# issue 18: HAProxy (TLS) + 3 app servers + PostgreSQL primary/replica + Redis + 2 queue workers on this
# machine, under load and faults (scripts/cluster_test.py, docs/deployment.md "Cluster test").
cluster-test: install system-deps
	$(PY) scripts/cluster_test.py

eval: install
	$(PY) bench/eval_extract.py

reset-local-db:
	rm -f var/countyworks.sqlite3*
