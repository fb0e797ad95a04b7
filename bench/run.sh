#!/usr/bin/env bash
# Runs every benchmark of bezala, each beside its baseline in the same run,
# and prints both figures and their ratio. See "Benchmarks" in README.md.
#
#   bench/run.sh [--smoke] [--runs N] [--bin-dir DIR] [--only NAME]
#
# NAME is start, list, switch, view or slow (or its letter, a to e): that
# benchmark alone. --runs N sets the runs of every benchmark that repeats
# (default 9, and 3 for the full list, whose baseline takes seconds).
# BIN_DIR (--bin-dir, or the environment; default build/bin) must hold
# bezala and bezala-sim, built with -DCMAKE_BUILD_TYPE=Release; bench_view
# is used when it is there. Nothing is built here. Every sim is private,
# on 127.0.0.1 with --port 0, and every home lives in a temp dir that is
# removed at the end.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BIN_DIR=${BIN_DIR:-$ROOT/build/bin}
ASSETS=$ROOT/assets
CACERT=$ASSETS/demo/certs/ca.pem
SMOKE=0
RUNS=9
RUNS_GIVEN=
ONLY=

usage() {
    sed -n '2,/^[^#]/p' "$0" | sed -n 's/^# \{0,1\}//p'
}

while [ $# -gt 0 ]; do
    case "$1" in
    --smoke) SMOKE=1 ;;
    --runs) RUNS=$2 RUNS_GIVEN=1; shift ;;
    --bin-dir) BIN_DIR=$2; shift ;;
    --only)
        case "${2:-}" in
        start | list | switch | view | slow) ONLY=$2 ;;
        a) ONLY=start ;;
        b) ONLY=list ;;
        c) ONLY=switch ;;
        d) ONLY=view ;;
        e) ONLY=slow ;;
        *) usage >&2; exit 2 ;;
        esac
        shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
    esac
    shift
done

for bin in bezala bezala-sim; do
    if [ ! -x "$BIN_DIR/$bin" ]; then
        echo "bench: $BIN_DIR/$bin missing: build first (see README)" >&2
        exit 2
    fi
done
for tool in python3 curl tmux; do
    command -v "$tool" >/dev/null || { echo "bench: needs $tool" >&2; exit 2; }
done

if [ "$SMOKE" = 1 ]; then
    RUNS=1 LAT_START=1 LAT_LIST=1 LAT_SWITCH=1 N_LIST=200 N_VIEW=200
    LIST_RUNS=1 LAT_SLOW=100
else
    LAT_START=50 LAT_LIST=20 LAT_SWITCH=50 N_LIST=10000 N_VIEW=100000
    LIST_RUNS=3 LAT_SLOW=2000
    [ -z "$RUNS_GIVEN" ] || LIST_RUNS=$RUNS
fi

BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/bezala-bench.XXXXXX")
chmod 700 "$BENCH_TMP"
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"
cleanup() {
    sim_stop_all
    tmux -S "$BENCH_TMP/tmux.sock" kill-server 2>/dev/null || true
    rm -rf "$BENCH_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ui() {
    python3 "$HERE/ui.py" "$@" --bin-dir "$BIN_DIR" --server "$SIM_URL" \
        --cacert "$CACERT" --tmp "$BENCH_TMP"
}

# field KEY FILE: the value of "KEY value" in a ui.py report.
field() {
    awk -v k="$1" '$1 == k { print $2 }' "$2"
}

# json_len FILE: the length of the JSON array in FILE.
json_len() {
    python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' \
        "$1"
}

say() {
    printf '%s\n' "$*"
}

# a. Start to the first full frame: cached lists against an empty cache.
bench_start() {
    local out=$BENCH_TMP/start.txt
    sim_start start "$LAT_START" "$N_LIST"
    make_home "$BENCH_TMP/start-empty"
    cp -a "$BENCH_TMP/start-empty" "$BENCH_TMP/start-cached"
    bz "$BENCH_TMP/start-cached" receipts >/dev/null
    ui start --home "$BENCH_TMP/start-cached" --runs "$RUNS" \
        --empty-home "$BENCH_TMP/start-empty" >"$out"
    sim_stop
    say "a. start to first full frame (latency ${LAT_START} ms," \
        "median of $RUNS, interleaved)"
    say "   cached:   wall $(field cached_wall_ms "$out") ms," \
        "CPU $(field cached_cpu_ms "$out") ms at the frame" \
        "($(field cached_cpu_total_ms "$out") ms to quit)"
    say "   no cache: wall $(field empty_wall_ms "$out") ms," \
        "CPU $(field empty_cpu_ms "$out") ms at the frame" \
        "($(field empty_cpu_total_ms "$out") ms to quit)"
    say "   ratio no cache/cached, wall:" \
        "$(ratio "$(field empty_wall_ms "$out")" \
            "$(field cached_wall_ms "$out")")"
}

# The curl baseline: the same pages as the product, one after another,
# until a short page; prints "requests bytes" on stdout.
curl_loop() {
    local per_page=$1 page=1 n bytes=0 calls=0 body=$BENCH_TMP/page.json
    while :; do
        curl -sS --fail --cacert "$CACERT" -H @"$BENCH_TMP/auth" \
            -o "$body" "$SIM_URL/api/transactions?page=$page&per_page=$per_page"
        calls=$((calls + 1))
        bytes=$((bytes + $(stat -c %s "$body")))
        n=$(grep -o '"_id":' "$body" | wc -l)
        [ "$n" -lt "$per_page" ] && break
        page=$((page + 1))
    done
    echo "$calls $bytes"
}

# now_ms: the wall clock in ms, without starting a process.
now_ms() {
    local t=${EPOCHREALTIME/[.,]/}
    echo "$((t / 1000)).$(((t / 100) % 10))"
}

# b. The full list through the CLI against a curl loop over its pages.
bench_list() {
    local home=$BENCH_TMP/list i t0 t1 bz_ms=() curl_ms=() bz_calls curl_res
    local rows
    sim_start list "$LAT_LIST" "$N_LIST"
    make_home "$home"
    token_header "$BENCH_TMP/auth"
    for i in $(seq "$LIST_RUNS"); do
        sim_stats_reset
        t0=$(now_ms)
        bz "$home" receipts --json >"$BENCH_TMP/list.json"
        t1=$(now_ms)
        bz_ms+=("$(python3 -c "print($t1 - $t0)")")
        bz_calls=$(sim_stat api_calls)
        sim_stats_reset
        t0=$(now_ms)
        curl_res=$(curl_loop 100)
        t1=$(now_ms)
        curl_ms+=("$(python3 -c "print($t1 - $t0)")")
    done
    rm -f "$BENCH_TMP/auth"
    rows=$(json_len "$BENCH_TMP/list.json")
    sim_stop
    local b c
    b=$(printf '%s\n' "${bz_ms[@]}" | median)
    c=$(printf '%s\n' "${curl_ms[@]}" | median)
    say "b. full list: $rows receipts of $N_LIST, latency ${LAT_LIST} ms," \
        "median of $LIST_RUNS"
    say "   bezala receipts --json: $b ms, $bz_calls requests"
    say "   curl loop (per_page 100): $c ms, ${curl_res%% *} requests," \
        "${curl_res##* } bytes of JSON"
    say "   ratio curl/bezala: $(ratio "$c" "$b")"
}

# The first receipt row of company ID as the list shows it.
first_row() {
    bz "$1" receipts --json --limit 1 | python3 -c 'import json,sys
r = json.load(sys.stdin)[0]
print("%s  %s" % (r["date"], r["description"][:16]))'
}

# c. Enter in the company picker to the new company's first page.
bench_switch() {
    local home=$BENCH_TMP/switch out=$BENCH_TMP/switch.txt row
    sim_start switch "$LAT_SWITCH" "$N_LIST"
    make_home "$BENCH_TMP/probe"
    bz "$BENCH_TMP/probe" switch 205 >/dev/null
    row=$(first_row "$BENCH_TMP/probe")
    make_home "$home"
    bz "$home" receipts >/dev/null
    ui switch --home "$home" --runs "$RUNS" --email "$BENCH_EMAIL" \
        --latency "$LAT_SWITCH" --from-id "$BENCH_COMPANY" \
        --from-name "Pohjolan" --to-name "Kahvila" --filter Kahvila \
        --first-row "$row" >"$out"
    sim_stop
    say "c. switch 318 -> 205 (latency ${LAT_SWITCH} ms, median of $RUNS)"
    say "   Enter to first page: $(field switch_ms "$out") ms =" \
        "$(field switch_round_trips "$out") round trips," \
        "$(field switch_requests "$out") requests"
}

# The bytes of the API JSON of every receipt the account sees.
api_bytes() {
    token_header "$BENCH_TMP/auth"
    curl_loop 1000 | awk '{ print $2 }'
    rm -f "$BENCH_TMP/auth"
}

# d. One view of N_VIEW receipts: per-key times and memory.
bench_view() {
    local home=$BENCH_TMP/view out=$BENCH_TMP/view.txt json rows
    sim_start view 0 "$N_VIEW"
    make_home "$home"
    bz "$home" receipts --json >"$BENCH_TMP/view.json"
    rows=$(json_len "$BENCH_TMP/view.json")
    json=$(api_bytes)
    ui view --home "$home" >"$out"
    sim_stop
    say "d. big view: $rows receipts in one list (UI, per key from the log)"
    say "   filter keystroke: median $(field filter_key_median_ms "$out") ms," \
        "max $(field filter_key_max_ms "$out") ms"
    say "   page down: median $(field page_down_median_ms "$out") ms," \
        "max $(field page_down_max_ms "$out") ms"
    say "   re-sort: median $(field sort_median_ms "$out") ms," \
        "max $(field sort_max_ms "$out") ms"
    say "   VmRSS $(field rss_kb "$out") kB, VmHWM $(field hwm_kb "$out") kB;" \
        "API JSON $((json / 1024)) kB," \
        "--json output $(($(stat -c %s "$BENCH_TMP/view.json") / 1024)) kB"
    say "   ratio RSS/API JSON: $(ratio "$(field rss_kb "$out")" \
        "$((json / 1024))")"
    if [ -x "$BIN_DIR/bench_view" ]; then
        say "   in-process (bench_view, $N_VIEW synthetic rows, items in" \
            "a private file as in the UI):"
        "$BIN_DIR/bench_view" "$N_VIEW" "$BENCH_TMP" | sed 's/^/     /'
    fi
}

# e. Keys and frames while every answer takes LAT_SLOW ms.
bench_slow() {
    local home=$BENCH_TMP/slow out=$BENCH_TMP/slow.txt
    sim_start slow "$LAT_SLOW" "$N_LIST"
    make_home "$home"
    ui slow --home "$home" --latency "$LAT_SLOW" >"$out"
    sim_stop
    say "e. slow server: $(field slow_keys "$out") keys (views 2 3 4 1," \
        "help on and off, ] [) on an empty cache, latency ${LAT_SLOW} ms"
    say "   key handled: median $(field slow_key_median_ms "$out") ms," \
        "max $(field slow_key_max_ms "$out") ms"
    say "   key to its frame (wall): median" \
        "$(field slow_frame_median_ms "$out") ms," \
        "max $(field slow_frame_max_ms "$out") ms"
    say "   resize to its frame (wall, 6 resizes): median" \
        "$(field slow_resize_median_ms "$out") ms," \
        "max $(field slow_resize_max_ms "$out") ms"
    local after
    after=$(field slow_answers_after "$out")
    say "   answers before the last key $(field slow_answers_before "$out")," \
        "after it $after ($([ "$after" -gt 0 ] &&
            echo "every key met a running load" ||
            echo "the loads had ended: too fast to judge"))"
}

say "bezala benchmarks: $(date -u +%Y-%m-%dT%H:%MZ)," \
    "commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')," \
    "BIN_DIR $BIN_DIR$([ "$SMOKE" = 1 ] && echo ', smoke')"
for name in start list switch view slow; do
    if [ -z "$ONLY" ] || [ "$ONLY" = "$name" ]; then
        "bench_$name"
    fi
done
