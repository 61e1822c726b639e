#!/usr/bin/env bash
# Installs everything the demo and the test suite need, idempotently.
#   scripts/setup.sh                 Python environment plus every real component the tests drive
#   scripts/setup.sh --python-only   just the Python environment; EXTRAS=home makes it the
#                                    demo's lean one instead of the full dev toolchain
# Each component has its own script in scripts/setup/, run in name order.
set -euo pipefail
cd "$(dirname "$0")/.."
export VENV="${VENV:-.venv}"

bash scripts/setup/00-python.sh
if [[ "${1:-}" == "--python-only" ]]; then
    exit 0
fi
for step in scripts/setup/[1-9]*.sh; do
    [[ -e "$step" ]] || continue
    bash "$step"
done
