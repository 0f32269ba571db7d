#!/usr/bin/env bash
# Check that two builds of eduextract write byte-identical output: the guard
# for speed work, where a faster stage must not change a single record.
# Runs both executables over samples/, both shared corpora, the holdout sets,
# a slice of bench/data (when generated) and the 8 MB large file's first 2 MB,
# as jsonl and as csv, and compares.
#   bench/same_output.sh REF_EXE NEW_EXE [RULES_DIR]
# Exit 0 when identical, 1 with the first differing lines otherwise.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$here/..
ref=${1:?usage: same_output.sh REF_EXE NEW_EXE [RULES_DIR]}
new=${2:?usage: same_output.sh REF_EXE NEW_EXE [RULES_DIR]}
rules=${3:-$root/rules}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

{
    ls "$root"/samples/*.txt
    ls "$root"/tests/holdout*/*.txt
    for d in "$root"/../shared/corpus "$root"/../shared/corpus2; do
        [ -d "$d" ] && ls "$d"/*.txt
    done
    if [ -d "$here/data/many/000" ]; then
        find "$here/data/many/000" "$here/data/many/007" -name '*.txt' | sort | head -1500
    fi
} >"$out/list"
if [ -f "$here/data/large.txt" ]; then
    head -c 2000000 "$here/data/large.txt" >"$out/large2m.txt"
    echo "$out/large2m.txt" >>"$out/list"
fi

status=0
for fmt in jsonl csv; do
    for side in ref new; do
        exe=$ref
        [ "$side" = new ] && exe=$new
        "$exe" --rules "$rules" --quiet --jobs 1 --format "$fmt" \
            --files-from "$out/list" >"$out/$side.$fmt" 2>"$out/$side.$fmt.err" || true
    done
    if cmp -s "$out/ref.$fmt" "$out/new.$fmt" && cmp -s "$out/ref.$fmt.err" "$out/new.$fmt.err"; then
        echo "$fmt: identical ($(wc -l <"$out/list") files, $(wc -c <"$out/new.$fmt") bytes)"
    else
        echo "$fmt: DIFFERENT"
        diff <(tr ',' '\n' <"$out/ref.$fmt") <(tr ',' '\n' <"$out/new.$fmt") | head -20
        diff "$out/ref.$fmt.err" "$out/new.$fmt.err" | head -5
        status=1
    fi
done
exit $status
