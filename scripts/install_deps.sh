#!/usr/bin/env bash
# Installs, with apt, whatever Keel's build and tests need and this machine
# lacks (Debian 12). Safe to run again: it installs nothing when all is there.
set -euo pipefail
packages=(cmake ninja-build g++ pkg-config catch2 libcli11-dev nlohmann-json3-dev libxxhash-dev libz3-dev libcvc5-dev z3 cvc5 libboost-graph-dev chromium graphviz)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "keel: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
