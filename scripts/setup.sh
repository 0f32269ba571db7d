#!/usr/bin/env bash
# Install what is missing, build eduextract (optimized: scripts/build-release.sh),
# and run it on samples/.
set -eu
cd "$(dirname "$0")/.."
. scripts/deps.sh
edx_install_deps
bash scripts/build-release.sh build
./build/eduextract --summary samples/
