#!/usr/bin/env bash
# Install the Debian 12 packages Warden needs to build and test, only those
# that are missing. Runs as root (CI, fresh machines) or through sudo.
set -euo pipefail

pkgs=(build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
      libsodium-dev libarchive-dev libvectorscan-dev libyaml-dev libgraphviz-dev libcmocka-dev libjansson-dev python3 python3-jsonschema)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
