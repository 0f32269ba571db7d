#!/usr/bin/env bash
# Build the optimized eduextract that setup.sh installs and bench/ measures:
# a release build (-O3, asserts off) compiled twice with GCC's profile-guided
# optimization (meson's b_pgo): first instrumented, then run once over the
# sample reports in samples/ (our own texts, the kind of report the tool
# reads), then rebuilt from that run's branch and call counts.  The profile
# only steers code layout and inlining; the output is the same as any other
# build's (tests/paths_check.py and bench/same_output.sh compare builds).
#   scripts/build-release.sh [BUILD_DIR]   (default: build)
# EDX_NO_PGO=1 makes a plain release build instead.
set -eu
cd "$(dirname "$0")/.."
dir=${1:-build}
# Test and example programs never run in the training, so GCC has no profile
# for them: that is expected, not worth a warning each.
opts="-Dbuildtype=release -Db_ndebug=true -Dc_args=-Wno-missing-profile"
if [ -f "$dir/build.ninja" ]; then
    meson configure "$dir" $opts >/dev/null
else
    meson setup "$dir" $opts >/dev/null
fi
if [ "${EDX_NO_PGO:-0}" = 1 ]; then
    meson configure "$dir" -Db_pgo=off >/dev/null
    ninja -C "$dir"
    exit 0
fi
meson configure "$dir" -Db_pgo=generate >/dev/null
ninja -C "$dir" eduextract
# Counts from an older training run would add to this one's.
find "$dir" -name '*.gcda' -delete
# One job: the counters are not atomic, and one thread is what they measure.
"$dir/eduextract" --rules rules --quiet --jobs 1 samples/ >/dev/null
meson configure "$dir" -Db_pgo=use >/dev/null
ninja -C "$dir"
