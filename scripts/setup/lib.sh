#!/usr/bin/env bash
# Shared by the scripts in scripts/setup/: source it, then call apt_install.

# apt_install PACKAGE...: install the Debian packages that are missing; `apt-get update` runs at
# most once per setup run, and only when something is missing.
apt_install() {
    local missing=()
    local package
    for package in "$@"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    local marker="/tmp/.colonies-sdk-apt-updated-$PPID"
    if [[ ! -f "$marker" ]]; then
        $sudo apt-get update -qq -o DPkg::Lock::Timeout=300
        touch "$marker"
    fi
    echo "setup: apt-get install ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null
}
