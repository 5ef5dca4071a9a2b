# annuaire — the two commands of the README do the whole set-up on a fresh machine:
#   make annuaire THEME=sante [TERRITOIRE=…] [LAYOUT=a5|a4|gros-caracteres]
#   make test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
THEME  ?= sante
TERRITOIRE ?=
LAYOUT ?=
STAMP  := $(VENV)/.installed

# Debian packages the tests use to check PDFs and spreadsheets as real tools see them.
DEBS := qpdf poppler-utils ghostscript libreoffice-calc-nogui

.PHONY: annuaire test check constraints install system-deps bench clean sample-data

# constraints.txt pins every installed version (the golden PDF hashes depend on ReportLab,
# the fonts and the hyphenation dictionaries); `make constraints` rewrites it from the venv.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test,dask]'
	touch $(STAMP)

constraints:
	$(BIN)/pip freeze --exclude-editable | grep -v '^annuaire' > constraints.txt

install: $(STAMP)

annuaire: $(STAMP)
	$(BIN)/annuaire build --theme $(THEME) sample_data $(if $(TERRITOIRE),--territoire "$(TERRITOIRE)") $(if $(LAYOUT),--layout $(LAYOUT))

# Installs the Debian tools when they are missing and we may (root with apt-get).
system-deps:
	@missing=""; \
	command -v qpdf >/dev/null || missing="$$missing qpdf"; \
	command -v pdffonts >/dev/null || missing="$$missing poppler-utils"; \
	command -v gs >/dev/null || missing="$$missing ghostscript"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-calc-nogui"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installation des paquets Debian :$$missing"; \
	    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Paquets Debian absents (tests concernés ignorés) :$$missing"; \
	  fi; \
	fi

test: $(STAMP) system-deps
	$(BIN)/pytest

# Contracts checked by machine: lint and format (ruff), import boundaries (import-linter),
# types of the core (mypy: data model, orchestrator, report, French text, reference data).
MYPY_CORE := annuaire/model.py annuaire/errors.py annuaire/pipeline.py annuaire/report.py \
	annuaire/codes.py annuaire/output.py annuaire/text annuaire/reference/sources.py annuaire/reference/taxonomy.py

check: $(STAMP)
	$(BIN)/ruff check annuaire tests scripts benchmarks
	$(BIN)/ruff format --check annuaire tests scripts benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy --follow-imports=silent $(MYPY_CORE)

sample-data: $(STAMP)
	$(BIN)/python scripts/make_sample_data.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_build.py

clean:
	rm -rf output .pytest_cache
