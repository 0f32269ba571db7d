#!/usr/bin/env bash
# Install what is missing, build eduextract, and run it on samples/.
set -eu
cd "$(dirname "$0")/.."
. scripts/deps.sh
edx_install_deps
[ -f build/build.ninja ] || meson setup build
ninja -C build
./build/eduextract --summary samples/
