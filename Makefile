# Portolan: `make run` to use it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup run test smoke lint messages bench

$(STAMP): requirements.lock requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $(STAMP)

## setup: create .venv and install the pinned dependencies
setup: $(STAMP)

## run: embedded PostgreSQL/Redis (unless DATABASE_URL/REDIS_URL), migrate, demo data, serve :8000
run: setup
	$(PY) scripts/launcher.py run

## test: the whole suite against PostgreSQL and Redis
test: setup
	$(PY) scripts/launcher.py test

## smoke: the embedded path from scratch, /readyz must answer 200
smoke: setup
	$(PY) scripts/launcher.py smoke

lint: setup
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

messages: setup
	$(PY) manage.py makemessages -l zh_Hans -l es -l pt -l ru -l ar -l fr -l de --ignore=.venv --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv
