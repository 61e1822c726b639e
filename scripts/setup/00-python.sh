#!/usr/bin/env bash
# The project's virtualenv with the SDK, the ready-made reconcilers and the dev tools.
set -euo pipefail
VENV="${VENV:-.venv}"
stamp="$VENV/.installed-$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)"
if [[ -f "$stamp" ]]; then
    exit 0
fi
echo "setup: python environment in $VENV"
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -c constraints.txt -e ".[dev]"
rm -f "$VENV"/.installed-*
touch "$stamp"
