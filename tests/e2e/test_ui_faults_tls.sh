#!/usr/bin/env bash
# The UI against a server whose certificate it must refuse: one for another
# host, an expired one and one from a CA it does not trust (made by
# assets/demo/certs/make-fault-certs.sh). Each time the UI names the reason
# in one line, no request reaches the server, the keys keep working and the
# rows cached before are shown marked offline; from an empty home the
# sign-in fails the same way and nothing is sent.
BIN_DIR=$1
ASSETS=$2
. "$(dirname "$0")/lib.sh"

AINO=aino.harkonen@demo.bezala.test
PASSWORD=demo-aino-2025
CERTS=$E2E_TMP/certs
BAD_PID=
BAD_URL=

bad_stop() {
    [ -n "$BAD_PID" ] && kill "$BAD_PID" 2>/dev/null &&
        wait "$BAD_PID" 2>/dev/null
    BAD_PID=
    exec 8<&-
}
trap 'bad_stop; e2e_cleanup' EXIT

# bad_start NAME PORT: bezala-sim on PORT with $CERTS/NAME.pem; its request
# log goes to $E2E_TMP/NAME.err. The port was the good sim's a moment ago,
# so a failed bind is tried again for a while.
bad_start() {
    local fifo=$E2E_TMP/$1.out line i
    for ((i = 0; i < 30; i++)); do
        rm -f "$fifo"
        mkfifo "$fifo"
        "$BIN_DIR/bezala-sim" --port "$2" --data "$ASSETS/demo" \
            --cert "$CERTS/$1.pem" --key "$CERTS/$1-key.pem" \
            >"$fifo" 2>"$E2E_TMP/$1.err" &
        BAD_PID=$!
        exec 8<"$fifo"
        if read -r -t 10 line <&8; then
            BAD_URL=${line#listening on }
            return 0
        fi
        bad_stop
        sleep 0.5
    done
    echo "the $1 sim did not start: $(cat "$E2E_TMP/$1.err")" >&2
    exit 1
}

# expect_said TEXT DESCRIPTION [SECONDS]: TEXT is on screen, maybe wrapped
# over the message rows at the bottom (joined again with one space).
expect_said() {
    local limit=${3:-20} i
    for ((i = 0; i < limit * 10 * ${E2E_SLOW:-1}; i++)); do
        if ui_screen | sed 's/^ //; s/ *$//' | tr '\n' ' ' |
            grep -qF -- "$1"; then
            pass "$2"
            return 0
        fi
        sleep 0.1
    done
    fail "$2: '$1' not on screen; screen was:"
    ui_screen >&2
}

# ui_stop: ends the UI's tmux session so that the next can start.
ui_stop() {
    tmux -S "$E2E_SOCKET" kill-session -t ui 2>/dev/null
}

# rows: the first receipt rows on screen.
rows() {
    ui_screen | sed -n '5,12p'
}

# stats NAME: /sim/stats of the bad sim where curl can check its
# certificate (the other host's under its own name, the demo one with the
# demo CA); "-" for the expired one.
stats() {
    local port=${BAD_URL##*:} out
    case $1 in
    other-host)
        out=$(curl -sS --cacert "$CERTS/ca.pem" -d '{}' \
            --resolve "other-host.invalid:$port:127.0.0.1" \
            "https://other-host.invalid:$port/sim/stats") ;;
    server)
        out=$(curl -sS --cacert "$CACERT" -d '{}' "$BAD_URL/sim/stats") ;;
    *)
        echo -
        return ;;
    esac
    printf '%s' "$out" | python3 -c \
        'import json,sys; print(json.load(sys.stdin)["api_calls"])'
}

# --- Rows cached from the good server ------------------------------------
sim_start
login "$AINO" "$PASSWORD" >/dev/null 2>"$E2E_TMP/err" ||
    fail "login: $(cat "$E2E_TMP/err")"
ui_start 120 30 "$BIN_DIR/bezala --server $SIM_URL --cacert $CACERT \
    --home $E2E_HOME"
expect_re "^ Receipts  [0-9]+" "the receipts load from the good server"
cached=$(rows)
ui_keys q
expect_screen "[exited 0]" "the first run quits"
ui_stop
PORT=${SIM_URL##*:}
kill "$SIM_PID" && wait "$SIM_PID" 2>/dev/null
SIM_PID=
exec 7<&-

mkdir "$CERTS"
sh "$ASSETS/demo/certs/make-fault-certs.sh" "$CERTS" ||
    fail "make-fault-certs.sh failed"
cp "$ASSETS/demo/certs/server.pem" "$ASSETS/demo/certs/server-key.pem" \
    "$CERTS/"

# refused NAME REASON: the UI on the cached home against the sim with
# certificate NAME, trusting only the fault CA.
refused() {
    local name=$1 reason="TLS failure: $2"
    bad_start "$name" "$PORT"
    ui_start 120 30 "$BIN_DIR/bezala --server $BAD_URL \
        --cacert $CERTS/ca.pem --home $E2E_HOME"
    expect_said "$reason" "$name: the reason is named"
    expect_said "Offline: the server's certificate is refused" \
        "$name: the offline note blames the certificate"
    expect_status_line "offline" "$name: the status line says offline"
    expect_re "^ Receipts  [0-9]+  cached" "$name: the rows are marked cached"
    check "$name: the cached rows are shown" "$(rows)" "$cached"
    ui_keys 2
    expect_screen "Offline, and nothing of Trips is cached yet." \
        "$name: 2 switches to a view with nothing cached"
    ui_keys '?'
    expect_screen "change view (the bar at the top)" "$name: ? opens the help"
    ui_keys Escape
    expect_gone "change view (the bar at the top)" "$name: Esc closes it"
    ui_keys 1
    expect_gone "TLS failure" "$name: a key clears the message"
    ui_keys r
    expect_said "$reason" "$name: r tries again and names the reason"
    expect_re "^ Receipts  [0-9]+  cached" "$name: the rows stay after r"
    ui_keys q
    expect_screen "[exited 0]" "$name: q quits"
    ui_stop
}

# signin_refused NAME REASON: from an empty home the sign-in form says
# what is wrong with the certificate; the password goes nowhere.
signin_refused() {
    local name=$1 reason="Could not sign in: TLS failure: $2"
    ui_start 120 30 "$BIN_DIR/bezala --server $BAD_URL \
        --cacert $CERTS/ca.pem --home $E2E_TMP/empty-$name"
    expect_screen "Sign in to $BAD_URL" "$name: the sign-in form opens"
    ui_text "$AINO"
    ui_keys Tab
    ui_text "$PASSWORD"
    ui_keys Enter
    expect_screen "$reason" "$name: the sign-in names the reason" 20
    expect_no_screen "$PASSWORD" "$name: the password is not on screen"
    ui_keys Escape
    expect_screen "[exited 0]" "$name: Esc quits the form"
    ui_stop
}

# tls_case NAME REASON: both runs, then nothing reached the handlers.
tls_case() {
    refused "$1" "$2"
    signin_refused "$1" "$2"
    if grep -q "/api/" "$E2E_TMP/$1.err"; then
        fail "$1: a request reached the server: $(cat "$E2E_TMP/$1.err")"
    else
        pass "$1: no request reached the server"
    fi
    case $(stats "$1") in
    -) ;;
    0) pass "$1: the sim counted 0 API calls" ;;
    *) fail "$1: the sim counted API calls: $(stats "$1")" ;;
    esac
    bad_stop
}

tls_case other-host \
    "SSL: no alternative certificate subject name matches target host name"
tls_case expired "SSL certificate problem: certificate has expired"
tls_case server "SSL certificate problem: unable to get local issuer"

e2e_finish
