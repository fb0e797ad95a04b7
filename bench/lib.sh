# Shared helpers of bench/run.sh: private sims on loopback, the bench
# homes, the sim's control endpoints. Sourced, not run.

BENCH_EMAIL=aino.harkonen@demo.bezala.test
BENCH_COMPANY=318
BENCH_SIM_PIDS=()

# sim_start NAME LATENCY_MS RECEIPTS: starts bezala-sim on 127.0.0.1 port
# 0 with a private state; sets SIM_URL and SIM_PID.
sim_start() {
    local fifo=$BENCH_TMP/sim-$1.out line
    rm -f "$fifo"
    mkfifo "$fifo"
    "$BIN_DIR/bezala-sim" --port 0 --data "$ASSETS/demo" \
        --cert "$ASSETS/demo/certs/server.pem" \
        --key "$ASSETS/demo/certs/server-key.pem" \
        --latency-ms "$2" --receipts "$3" --quiet \
        >"$fifo" 2>"$BENCH_TMP/sim-$1.err" &
    SIM_PID=$!
    BENCH_SIM_PIDS+=("$SIM_PID")
    exec 7<"$fifo"
    if ! read -r -t 120 line <&7; then
        echo "bench: sim did not start: $(cat "$BENCH_TMP/sim-$1.err")" >&2
        exit 1
    fi
    exec 7<&-
    SIM_URL=${line#listening on }
    case "$SIM_URL" in
    https://127.0.0.1:*) ;;
    *) echo "bench: unexpected sim line: $line" >&2; exit 1 ;;
    esac
}

# sim_stop: stops the sim that sim_start started last.
sim_stop() {
    kill "$SIM_PID" 2>/dev/null || true
    wait "$SIM_PID" 2>/dev/null || true
}

# Stops every sim still running (for the EXIT trap).
sim_stop_all() {
    local pid
    for pid in "${BENCH_SIM_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}

# sim_control PATH JSON: POSTs to a /sim/ control of the current sim and
# prints the answer's body.
sim_control() {
    curl -sS --fail --cacert "$CACERT" -H 'Content-Type: application/json' \
        -d "$2" "$SIM_URL$1"
}

# sim_stat FIELD: one number of POST /sim/stats.
sim_stat() {
    sim_control /sim/stats '{}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' \
            "$1"
}

sim_stats_reset() {
    sim_control /sim/stats '{"reset": true}' >/dev/null
}

# bz HOME ARGS...: the CLI against the current sim with a private home.
bz() {
    local home=$1
    shift
    "$BIN_DIR/bezala" --server "$SIM_URL" --cacert "$CACERT" \
        --home "$home" "$@"
}

# make_home DIR: a home signed in as the bench account, with the big
# company active (and the server's active company set to it too).
# The password is the demo one that assets/demo/accounts.tsv publishes.
make_home() {
    awk -F'\t' -v e="$BENCH_EMAIL" '$1 == e { print $2 }' \
        "$ASSETS/demo/accounts.tsv" |
        bz "$1" login --email "$BENCH_EMAIL" --password-stdin \
            >/dev/null 2>"$BENCH_TMP/login.err" ||
        { cat "$BENCH_TMP/login.err" >&2; exit 1; }
    bz "$1" switch "$BENCH_COMPANY" >/dev/null
}

# server_company ID: moves the account's active company on the server, as
# another session would, so that every run starts from the same state.
server_company() {
    sim_control /sim/switch \
        "{\"email\": \"$BENCH_EMAIL\", \"company_id\": $1}" >/dev/null
}

# token_header FILE: writes "Authorization: Bearer ..." of a live token
# of the bench account into FILE (mode 0600, inside BENCH_TMP) for curl's
# -H @FILE, so the token is on no command line and never printed.
token_header() {
    (
        umask 077
        sim_control /sim/tokens "{\"email\": \"$BENCH_EMAIL\"}" |
            python3 -c 'import json,sys
t = json.load(sys.stdin)["tokens"]
sys.stdout.write("Authorization: Bearer %s\n" % t[-1])' >"$1"
    )
}

# median of the numbers on standard input, one a line.
median() {
    python3 -c 'import statistics,sys
v = [float(x) for x in sys.stdin.read().split()]
print("%.1f" % statistics.median(v) if v else "nan")'
}

# ratio A B: A / B with two decimals.
ratio() {
    python3 -c 'import sys
a, b = float(sys.argv[1]), float(sys.argv[2])
print("%.2f" % (a / b) if b else "inf")' "$1" "$2"
}
