#!/usr/bin/env bash
# Profile eduextract with callgrind over a fixed slice of bench/data (300 files
# of many/000 and the first 1 MB of large.txt), one job, and print the
# instruction total, the stages (inclusive) and the top functions (self).
# Instruction counts do not depend on machine load, so they compare builds.
#   bench/profile.sh [BUILD_DIR] [RULES_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
rules=${2:-$here/../rules}
data=$here/data
[ -d "$data/many/000" ] || { echo "no bench data: run python3 bench/gen_data.py" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
find "$data/many/000" -name '*.txt' | sort | head -300 >"$out/list"
head -c 1000000 "$data/large.txt" >"$out/large1m.txt"
echo "$out/large1m.txt" >>"$out/list"
bytes=$(cat $(cat "$out/list") | wc -c)
valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$build/eduextract" --rules "$rules" \
    --quiet --jobs 1 --files-from "$out/list" >/dev/null 2>"$out/err" || true
total=$(sed -n 's/.*I *refs: *//p' "$out/err" | tr -d ,)
echo "instructions: $total for $bytes bytes ($((total / bytes)) per byte)"
echo
echo "== stages (inclusive) =="
callgrind_annotate --inclusive=yes "$out/cg" 2>/dev/null |
    grep -E ':(decode_input[a-z_]*|normalize_doc[a-z_]*|clean_doc|doc_index_map|split_doc[a-z_]*|split_metadata[a-z_]*|outline_parse|match_report|audit_report|emit_record[a-z_]*|cli_render|edx_result_free|edx_result_counts) ' |
    grep -v '=>' | sed -E 's#  [^ ]*/src/#  #; s# \[.*##' |
    # callgrind names a function once per path spelling: keep its largest line.
    awk '{ n = $1; gsub(",", "", n); f = $NF; if (!(f in best) || n + 0 > best[f] + 0) { best[f] = n; line[f] = $0 } }
         END { for (f in line) print best[f] "\t" line[f] }' | sort -rn | cut -f2-
echo
echo "== top functions (self) =="
callgrind_annotate "$out/cg" 2>/dev/null | sed -n '/file:function/,$p' | sed -n '3,22p' |
    sed -E 's#  [^ ]*/(src|sysdeps|string|malloc)/#  #; s# \[.*##; s#\?\?\?:0x0000000004[^ ]*#(PCRE2 JIT code)#'
echo
echo "== who calls utf8_next, memcmp, strlen (top callers) =="
callgrind_annotate --tree=caller "$out/cg" 2>/dev/null | awk '
    /^ *$/ { if (blk ~ /\*  [^\n]*:(utf8_next|__memcmp_avx2_movbe|__strlen_avx2) /) printf "%s", blk; blk = ""; next }
    { blk = blk $0 "\n" }' | grep '<' | awk '{ n = $1; gsub(",", "", n); print n "\t" $0 }' |
    sort -rn | cut -f2- |
    sed -E 's#  < [^ ]*/(src|sysdeps|string|malloc)/#  < #; s# \[.*##' | head -12
