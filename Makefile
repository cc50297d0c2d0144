# The README's two commands are `make demo` and `make test`; everything else is for developers.
# The interpreter is found by bin/find-python (Python 3.12+); override with `make demo PYTHON=...`.
export PYTHON

VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint format messages bench serve soak clean

$(VENV)/.installed: requirements.txt
	@interpreter="$$(bin/find-python)" || exit 1; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$interpreter"; "$$interpreter" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --disable-pip-version-check --quiet --requirement requirements.txt
	@touch $@

demo: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --editor
	DEBUG=True $(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Updates the plugin's catalogue (summits/locale) and the host project's (newsroom/locale, for
# newsroom/ and templates/) and recompiles them (needs GNU gettext). The compiled files are
# committed, so `make demo` works without gettext.
messages: $(VENV)/.installed
	cd summits && ../$(PY) ../manage.py makemessages --locale de --no-obsolete
	cd summits && ../$(PY) ../manage.py makemessages --domain djangojs --locale de --no-obsolete
	cd summits && ../$(PY) ../manage.py compilemessages --locale de
	$(PY) manage.py makemessages --locale de --no-obsolete --ignore '.venv/*' \
		--ignore 'summits/*' --ignore 'tests/*' --ignore 'bench/*' --ignore 'node_modules/*' \
		--ignore 'staticfiles/*'
	cd newsroom && ../$(PY) ../manage.py compilemessages --locale de

# First the app server under load (bench/http_bench.py, options: HTTP_BENCH_ARGS, e.g.
# "--rounds 1 --seconds 2" for a smoke test, "--cache redis"; about 12 minutes): gunicorn with 2
# sync workers on a throwaway PostgreSQL database, cached and uncached, wrk over every endpoint
# in interleaved rounds, each as a ratio to a ceiling view; writes bench/results.md with the
# queries' EXPLAIN. Fails on a wrong status or an error, never on a goal missed. Then it measures
# the reader pages and the partner API in-process (CPU and wall time, SQL queries; bench/pages.py,
# options: BENCH_ARGS), then editing: a long article's save, the admin page of a summit with 300
# items and the edit corpus's re-anchoring table (bench/editing.py, options: EDITING_ARGS; writes
# bench/editing.md). These two each on a throwaway database (DATABASE_URL, if set, names it),
# REDIS_URL is read by the pages only. Fails when a page fails, or editing is over a budget or fails.
bench: $(VENV)/.installed
	$(PY) bench/http_bench.py $(HTTP_BENCH_ARGS)
	$(PY) bench/pages.py $(BENCH_ARGS)
	$(PY) bench/editing.py $(EDITING_ARGS)

# Serves the site as production does: gunicorn (newsroom/gunicorn.conf.py: BIND, WEB_CONCURRENCY,
# GUNICORN_TIMEOUT, ...) with the settings from the environment (DEBUG=False unless set, so give
# SECRET_KEY too), after checking that the database is migrated and collecting the static files.
# BIND defaults to $(HOST):$(PORT). Graceful restart: `kill -HUP <master pid>` (GUNICORN_PIDFILE
# names a pidfile).
serve: $(VENV)/.installed
	@$(PY) manage.py migrate --check || { echo "make serve: 'manage.py migrate --check' failed: either migrations are unapplied (run '$(PY) manage.py migrate' with the same DATABASE_URL), or the settings or the database are not usable (see the error above)." >&2; exit 1; }
	$(PY) manage.py collectstatic --noinput --verbosity 0
	BIND="$${BIND:-$(HOST):$(PORT)}" exec $(VENV)/bin/gunicorn --config newsroom/gunicorn.conf.py

# A bounded soak run (SOAK_SECONDS, default 600) of mixed reader and partner API traffic against
# gunicorn on a throwaway PostgreSQL database and a private redis-server, with Redis stopped and
# the database cut for a while in the middle; writes bench/soak.md. Options: SOAK_ARGS=--help.
soak: $(VENV)/.installed
	$(PY) bench/soak.py $(SOAK_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
