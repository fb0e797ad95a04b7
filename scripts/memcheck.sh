#!/usr/bin/env bash
# Runs the cmocka tests and the CLI end-to-end scripts under valgrind's
# memcheck on a plain debug build; fails on any memory error or leak.
#
# Usage: scripts/memcheck.sh [REGEX]   (default: every cmocka test and
# both CLI scripts; a REGEX picks tests by name, e2e_test_cli for example)
# Environment: BEZALA_MEMCHECK_DIR (build dir, default build-memcheck/),
# JOBS (build jobs and tests run at once, default 2),
# BEZALA_MEMCHECK_SKIP (regex of tests left out, default below).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BEZALA_MEMCHECK_DIR:-$root/build-memcheck}
jobs=${JOBS:-2}
filter=${1:-.}
# test_faults times the client's waits and retries against a slow or
# failing server; ten times slower under valgrind, its timings fail.
skip=${BEZALA_MEMCHECK_SKIP-^test_faults\$}
logs=$build/memcheck
valgrind=(valgrind --leak-check=full
    --show-leak-kinds=definite,indirect
    --errors-for-leak-kinds=definite,indirect --error-exitcode=99
    --track-origins=yes --num-callers=30
    --suppressions="$root/scripts/memcheck.supp")

start=$SECONDS
mkdir -p "$build"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DBEZALA_WERROR=ON \
    -DBEZALA_SANITIZE=OFF -DBEZALA_FUZZ=OFF >"$build/configure.log" 2>&1 || {
    cat "$build/configure.log" >&2
    exit 1
}
cmake --build "$build" -j"$jobs"
rm -rf "$logs"
mkdir -p "$logs"

# The cmocka tests (not the e2e scripts or the style checks), each run
# under valgrind from where ctest would run it. Tests that start
# bezala-sim leave it unwrapped: the server is a test tool.
ctest --test-dir "$build" --show-only=json-v1 >"$logs/tests.json"
python3 - "$logs/tests.json" "$filter" "$skip" >"$logs/tests.tsv" <<'EOF'
import json, re, sys
tests = json.load(open(sys.argv[1]))["tests"]
for t in tests:
    name = t["name"]
    if name.startswith(("e2e_", "style_")) or not re.search(sys.argv[2], name):
        continue
    if sys.argv[3] and re.search(sys.argv[3], name):
        print("skipped: " + name, file=sys.stderr)
        continue
    props = {p["name"]: p["value"] for p in t.get("properties", [])}
    print("\t".join([name, props.get("WORKING_DIRECTORY", "."),
                     *t["command"]]))
EOF

run_one() {
    local name=$1 dir=$2
    shift 2
    if (cd "$dir" && "${valgrind[@]}" --log-file="$logs/$name.%p.vg" "$@" \
        >"$logs/$name.out" 2>&1); then
        echo "ok: $name"
    else
        echo "FAIL: $name (exit $?); see $logs/$name.*.vg and $name.out"
        return 1
    fi
}

failed=0
pids=()
while IFS=$'\t' read -r -a test; do
    run_one "${test[@]}" &
    pids+=($!)
    if [ "${#pids[@]}" -ge "$jobs" ]; then
        wait "${pids[0]}" || failed=1
        pids=("${pids[@]:1}")
    fi
done <"$logs/tests.tsv"
for pid in "${pids[@]}"; do
    wait "$pid" || failed=1
done

# The CLI scripts, with bz() running bezala under valgrind; each run's
# report goes to its own log, checked below.
export BEZALA_TEST_WRAP="${valgrind[*]} --log-file=$logs/e2e.%p.vg"
for script in test_cli test_cli_views; do
    if ! [[ e2e_$script =~ $filter ]]; then
        continue
    fi
    if bash "$root/tests/e2e/$script.sh" "$build/bin" "$root/assets" \
        >"$logs/e2e_$script.out" 2>&1; then
        echo "ok: e2e_$script ($(tail -n 1 "$logs/e2e_$script.out"))"
    else
        echo "FAIL: e2e_$script; see $logs/e2e_$script.out"
        failed=1
    fi
done
for log in "$logs"/e2e.*.vg; do
    [ -e "$log" ] || continue
    if ! grep -q 'ERROR SUMMARY: 0 errors' "$log"; then
        echo "FAIL: valgrind found errors in a bezala run; see $log"
        failed=1
    fi
done

echo "memcheck: $((SECONDS - start))s in all; logs in $logs"
exit "$failed"
