#!/usr/bin/env bash
# Home Assistant 2024.3.3 (the newest release for Python 3.11) in its own virtualenv: it pins its
# own dependencies, so it must not share the SDK's. The tests and `demo --backend homeassistant`
# start it from .venv-ha/bin/hass with a private config.
set -euo pipefail
cd "$(dirname "$0")/../.."
HA_VENV="${HA_VENV:-.venv-ha}"
HA_VERSION="2024.3.3"
stamp="$HA_VENV/.installed-homeassistant-$HA_VERSION-with-integration-requirements"
if [[ -f "$stamp" && -x "$HA_VENV/bin/hass" ]]; then
    exit 0
fi
echo "setup: Home Assistant $HA_VERSION in $HA_VENV (takes a few minutes)"
python3 -m venv "$HA_VENV"
"$HA_VENV/bin/python" -m pip install --quiet --upgrade pip
"$HA_VENV/bin/python" -m pip install --quiet "homeassistant==$HA_VERSION"
# Without this every HTTP request answers 500 (josepy 2 dropped ComparableX509).
"$HA_VENV/bin/python" -m pip install --quiet "josepy<2"
# The requirements of the integrations the demo config loads (demo, frontend, onboarding,
# conversation, ...), pinned as Home Assistant 2024.3.3 pins them. Home Assistant would
# install them at its first start, but the tests start it with --skip-pip (no network at
# test time, and a predictable start-up).
"$HA_VENV/bin/python" -m pip install --quiet \
    PyQRCode==1.2.1 PyTurboJPEG==1.7.1 SQLAlchemy==2.0.27 fnv-hash-fast==0.5.0 fnvhash==0.1.0 \
    ha-ffmpeg==3.1.0 hassil==1.6.1 home-assistant-frontend==20240307.0 \
    home-assistant-intents==2024.3.12 janus==1.0.0 mutagen==1.47.0 numpy==1.26.0 pillow==10.2.0 \
    psutil-home-assistant==0.0.1 pyotp==2.8.0 securetar==2024.2.1 unicode-rbnf==1.0.0
touch "$stamp"
