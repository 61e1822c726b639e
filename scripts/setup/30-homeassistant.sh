#!/usr/bin/env bash
# Home Assistant 2024.3.3 (the newest release for Python 3.11) in its own virtualenv: it pins its
# own dependencies, so it must not share the SDK's. The tests and `demo --backend homeassistant`
# start it from .venv-ha/bin/hass with a private config.
set -euo pipefail
cd "$(dirname "$0")/../.."
HA_VENV="${HA_VENV:-.venv-ha}"
HA_VERSION="2024.3.3"
stamp="$HA_VENV/.installed-homeassistant-$HA_VERSION"
if [[ -f "$stamp" && -x "$HA_VENV/bin/hass" ]]; then
    exit 0
fi
echo "setup: Home Assistant $HA_VERSION in $HA_VENV (takes a few minutes)"
python3 -m venv "$HA_VENV"
"$HA_VENV/bin/python" -m pip install --quiet --upgrade pip
"$HA_VENV/bin/python" -m pip install --quiet "homeassistant==$HA_VERSION"
# Without this every HTTP request answers 500 (josepy 2 dropped ComparableX509).
"$HA_VENV/bin/python" -m pip install --quiet "josepy<2"
touch "$stamp"
