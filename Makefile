# ThuVien — `make demo` and `make test` are all a newcomer needs (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum < requirements.lock | cut -d' ' -f1)
PORT   ?= 8000
SCHOOLS ?= 24

.PHONY: demo test bench lint typecheck format lock messages clean venv

venv: $(STAMP)

$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ThuVien needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "Could not create a virtual environment. On Debian/Ubuntu: sudo apt-get install python3-venv"; exit 1; }
	@# The lock is complete (pip-compile): install exactly it, then check it holds together. Without
	@# --no-deps pip 23's resolver may look past a pin for a dependency named with extras
	@# (weasyprint's fonttools[woff]) and refuse the newer release it finds for want of a hash.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip check
	@rm -f $(VENV)/.installed-*
	@touch $@

# The demo's e-mail is written to files under var/mail/ (never on the console, never sent) and
# its links point to this PORT; set EMAIL_BACKEND or SITE_URL to choose otherwise.
demo: export EMAIL_BACKEND ?= django.core.mail.backends.filebased.EmailBackend
demo: export SITE_URL ?= http://127.0.0.1:$(PORT)
demo: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty --schools $(SCHOOLS)
	PORT=$(PORT) scripts/serve-demo

test: $(STAMP)
	scripts/run-tests

bench: $(STAMP)
	$(BIN)/python bench/run.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP)
	$(BIN)/mypy thuvien

messages: $(STAMP)
	cd thuvien && ../$(BIN)/python ../manage.py makemessages -l vi --no-obsolete --add-location file
	$(BIN)/python manage.py compilemessages --ignore=.venv

# Re-pin every dependency (needs pip-tools; run after editing requirements.in).
lock:
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe -o requirements.lock requirements.in

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
