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

.PHONY: annuaire test install system-deps bench clean sample-data

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,dask]'
	touch $(STAMP)

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

sample-data: $(STAMP)
	$(BIN)/python scripts/make_sample_data.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_build.py

clean:
	rm -rf output .pytest_cache
