#!/usr/bin/env bash
# Runs the cmocka tests and the end-to-end scripts under valgrind's
# memcheck on a plain debug build; fails on any memory error or leak.
#
# Usage: scripts/memcheck.sh [REGEX]   (default: every cmocka test and
# the end-to-end scripts listed below; a REGEX picks them by name,
# e2e_test_ui for example)
# Environment: BEZALA_MEMCHECK_DIR (build dir, default build-memcheck/),
# JOBS (build jobs and tests run at once, default 2),
# BEZALA_MEMCHECK_SKIP (regex of tests left out, default below),
# BEZALA_TEST_SLOW (wait factor for the e2e scripts, default below).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BEZALA_MEMCHECK_DIR:-$root/build-memcheck}
jobs=${JOBS:-2}
filter=${1:-.}
# Left out by default: test_faults times the client's waits and retries
# against a slow or failing server; ten times slower under valgrind, its
# timings fail. e2e_test_crash kills the client about 200 times in the
# middle of its writes on purpose: each kill under valgrind costs seconds
# and leaves no report, so it would add many minutes and check no code
# that the other scripts do not run.
skip=${BEZALA_MEMCHECK_SKIP-^(test_faults|e2e_test_crash)\$}
# How much slower the e2e scripts' waits and pauses are (BEZALA_TEST_SLOW).
slow=${BEZALA_TEST_SLOW:-8}
# The slowest e2e scripts under valgrind, started first so that the last
# two to run end at about the same time.
slow_first="test_cli_views test_ui_states test_store_faults test_ui_forms
    test_secrets test_vault test_ui_faults"
logs=$build/memcheck
valgrind=(valgrind --leak-check=full
    --show-leak-kinds=definite,indirect
    --errors-for-leak-kinds=definite,indirect --error-exitcode=99
    --track-origins=yes --num-callers=30
    --suppressions="$root/scripts/memcheck.supp")

start=$SECONDS
mkdir -p "$build"
build=$(cd "$build" && pwd)
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DBEZALA_WERROR=ON \
    -DBEZALA_SANITIZE=OFF -DBEZALA_FUZZ=OFF >"$build/configure.log" 2>&1 || {
    cat "$build/configure.log" >&2
    exit 1
}
cmake --build "$build" -j"$jobs"
rm -rf "$logs"
mkdir -p "$logs"

# The cmocka tests, each run under valgrind from where ctest would run it;
# tests that start bezala-sim leave it unwrapped: the server is a test
# tool. Other scripts than the e2e ones (the style checks, bench_smoke)
# are no programs of ours. The e2e scripts, as e2e_SCRIPT (e2e_test_ui
# for tests/e2e/test_ui.sh), go to e2e.txt, slowest first.
ctest --test-dir "$build" --show-only=json-v1 >"$logs/tests.json"
python3 - "$logs/tests.json" "$filter" "$skip" "$slow_first" \
    "$logs/e2e.txt" "$build/bin/" >"$logs/tests.tsv" <<'EOF'
import json, os, re, sys
tests = json.load(open(sys.argv[1]))["tests"]
first = sys.argv[4].split()
scripts = []
for t in tests:
    name = t["name"]
    if name.startswith("e2e_"):
        script = [os.path.basename(c)[:-len(".sh")]
                  for c in t["command"] if c.endswith(".sh")][0]
        name = "e2e_" + script
    elif not t["command"][0].startswith(sys.argv[6]):
        continue
    if not re.search(sys.argv[2], name):
        continue
    if sys.argv[3] and re.search(sys.argv[3], name):
        print("skipped: " + name, file=sys.stderr)
        continue
    if name.startswith("e2e_"):
        scripts.append(script)
        continue
    props = {p["name"]: p["value"] for p in t.get("properties", [])}
    print("\t".join([name, props.get("WORKING_DIRECTORY", "."),
                     *t["command"]]))
scripts.sort(key=lambda s: first.index(s) if s in first else len(first))
open(sys.argv[5], "w").write("".join(s + "\n" for s in scripts))
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

# run_e2e SCRIPT: an end-to-end script with every bezala it runs (bz()
# and ui_start in tests/e2e/lib.sh) under valgrind, each run's report in
# e2e_SCRIPT.PID.vg, checked below; the UI is 10 to 30 times slower there,
# so BEZALA_TEST_SLOW stretches the scripts' waits and pauses. The child
# that --demo forks to exec bezala-sim stays silent: it would leave a
# report cut short at the exec.
run_e2e() {
    local script=$1 begin=$SECONDS wrap
    wrap="${valgrind[*]} --child-silent-after-fork=yes"
    if BEZALA_TEST_WRAP="$wrap --log-file=$logs/e2e_$script.%p.vg" \
        BEZALA_TEST_SLOW=$slow BEZALA_TEST_KILLED=$logs/killed.pids \
        bash "$root/tests/e2e/$script.sh" "$build/bin" "$root/assets" \
        >"$logs/e2e_$script.out" 2>&1; then
        echo "ok: e2e_$script ($(tail -n 1 "$logs/e2e_$script.out")," \
            "$((SECONDS - begin)) s)"
    else
        echo "FAIL: e2e_$script ($((SECONDS - begin)) s);" \
            "see $logs/e2e_$script.out"
        return 1
    fi
}

# spawn COMMAND...: runs it in the background, at most $jobs at once.
failed=0
pids=()
spawn() {
    "$@" &
    pids+=($!)
    if [ "${#pids[@]}" -ge "$jobs" ]; then
        wait "${pids[0]}" || failed=1
        pids=("${pids[@]:1}")
    fi
}

while IFS=$'\t' read -r -a test; do
    spawn run_one "${test[@]}"
done <"$logs/tests.tsv"

# The end-to-end scripts: each has its own home, sim, tmux server and
# temporary files, so they run side by side.
while read -r script; do
    spawn run_e2e "$script"
done <"$logs/e2e.txt"
for pid in "${pids[@]}"; do
    wait "$pid" || failed=1
done

# Each wrapped run must end with a clean report. A run whose window was
# closed under it (SIGHUP) may still be writing: wait for its pid (named
# in the report's file name). Only a run that a script killed with
# SIGKILL on purpose (listed in killed.pids) may end without a report.
for log in "$logs"/e2e_*.vg; do
    [ -e "$log" ] || continue
    pid=${log%.vg}
    pid=${pid##*.}
    for ((i = 0; i < 600; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if grep -q 'ERROR SUMMARY: 0 errors' "$log"; then
        continue
    fi
    if ! grep -q 'ERROR SUMMARY' "$log" &&
        grep -qx "$pid" "$logs/killed.pids" 2>/dev/null; then
        continue
    fi
    echo "FAIL: valgrind found errors in a bezala run; see $log"
    failed=1
done

echo "memcheck: $((SECONDS - start))s in all; logs in $logs"
exit "$failed"
