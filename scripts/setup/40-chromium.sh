#!/usr/bin/env bash
# Headless Chromium for the dashboard's browser tests (driven by Python playwright with
# executable_path=/usr/bin/chromium). Debian's package, never `playwright install`.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/setup/lib.sh
apt_install chromium
