#!/usr/bin/env bash
# Mosquitto, the real MQTT broker the Zigbee2MQTT backend tests and `demo --backend mqtt` talk to.
# The test suite starts its own private broker; the system service is not used.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/setup/lib.sh
apt_install mosquitto mosquitto-clients
