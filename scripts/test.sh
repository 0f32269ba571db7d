#!/usr/bin/env bash
# Install what is missing, then build and run the whole test suite twice: a
# plain build and an ASan+UBSan build.  Ends with "N passed, N failed".
#   scripts/test.sh           both builds
#   scripts/test.sh --quick   the plain build only
set -u
cd "$(dirname "$0")/.."
. scripts/deps.sh
edx_install_deps || exit 1

quick=0
[ "${1:-}" = "--quick" ] && quick=1

run_suite() {  # dir, meson options...
    local dir=$1
    shift
    if [ ! -f "$dir/build.ninja" ]; then
        meson setup "$dir" "$@" >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log"; return 1; }
    fi
    ninja -C "$dir" >"$dir.build.log" 2>&1 || { cat "$dir.build.log"; return 1; }
    if grep -q "warning:" "$dir.build.log"; then
        grep "warning:" "$dir.build.log"
        echo "compiler warnings in $dir (the project builds with zero warnings)"
        return 1
    fi
    meson test -C "$dir" --print-errorlogs --num-processes 2 >"$dir.test.log" 2>&1
    grep -E "^ *[0-9]+/[0-9]+ " "$dir.test.log"
    return 0
}

# EDX_BUILD_DIR lets several people (or helpers) share one tree.  The tests
# have their own build (debugoptimized, asserts on), apart from setup.sh's
# optimized build/.
bdir=${EDX_BUILD_DIR:-build-test}
failed_build=0
run_suite "$bdir" || failed_build=1
if [ $quick -eq 0 ]; then
    # The sanitizer build also leaves out the SSE2 fast paths (-U__SSE2__), so
    # the whole suite runs once over them and once over their portable
    # fallbacks, which must give the same output.
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        run_suite "$bdir-asan" -Db_sanitize=address,undefined -Dbuildtype=debug -Dc_args=-U__SSE2__ || failed_build=1
fi

# The SSE2 fast paths against their portable fallbacks: the plain build's
# records and the sanitizer build's (-U__SSE2__) must be the same.
paths_result=none
if [ $quick -eq 0 ] && [ $failed_build -eq 0 ]; then
    if python3 tests/paths_check.py "$bdir/eduextract" "$bdir-asan/eduextract"; then
        paths_result=ok
    else
        paths_result=fail
    fi
fi

# Count every meson test of every build that ran, and the comparison above.
python3 - "$failed_build" "$paths_result" "$bdir" $( [ $quick -eq 0 ] && echo "$bdir-asan" ) <<'PY'
import json, os, sys
failed_build = int(sys.argv[1])
paths_result = sys.argv[2]
passed = failed = skipped = 0
if paths_result == 'ok':
    passed += 1
elif paths_result == 'fail':
    failed += 1
    print('failed: paths check, plain build against the sanitizer build (-U__SSE2__)')
for d in sys.argv[3:]:
    log = os.path.join(d, 'meson-logs', 'testlog.json')
    if not os.path.exists(log):
        continue
    for line in open(log):
        r = json.loads(line).get('result')
        if r in ('OK', 'EXPECTEDFAIL'):
            passed += 1
        elif r == 'SKIP':
            skipped += 1
        else:
            failed += 1
            print(f'failed: {d}: {json.loads(line).get("name")} ({r})')
failed += failed_build
print(f'{passed} passed, {failed} failed' + (f', {skipped} skipped' if skipped else ''))
sys.exit(1 if failed else 0)
PY
