#!/usr/bin/env bash
# The project's virtualenv: the SDK with the extras in EXTRAS (default "dev": the ready-made
# reconcilers and every dev tool; the demo asks for "home", about a tenth of the size).
set -euo pipefail
VENV="${VENV:-.venv}"
EXTRAS="${EXTRAS:-dev}"
digest="$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)"
stamp="$VENV/.installed-$EXTRAS-$digest"

hint() {
    echo "setup: colonies-sdk is $VENV/bin/colonies-sdk; put it on PATH with: source $VENV/bin/activate"
}

# A dev environment holds everything "home" has, so it serves the demo too.
if [[ -f "$stamp" || ("$EXTRAS" == home && -f "$VENV/.installed-dev-$digest") ]]; then
    hint
    exit 0
fi
echo "setup: python environment in $VENV (colonies-sdk[$EXTRAS])"
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -c constraints.txt -e ".[$EXTRAS]"
if [[ "$EXTRAS" == dev ]]; then
    rm -f "$VENV"/.installed-*  # dev supersedes any earlier stamp
else
    rm -f "$VENV"/.installed-"$EXTRAS"-*
fi
touch "$stamp"
hint
