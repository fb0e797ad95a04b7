#!/usr/bin/env bash
# The UI and the CLI against server faults played by bezala-sim: 5xx, 429,
# an HTML page, JSON of the wrong shape and a connection dropped mid-body.
# Each says what failed in one line, the keys keep working, and r loads
# the view once the fault is cleared. Also bezala-sim's --fault option.
BIN_DIR=$1
ASSETS=$2
. "$(dirname "$0")/lib.sh"

AINO=aino.harkonen@demo.bezala.test

# fault JSON: sets a /sim/fault and checks that the sim took it.
fault() {
    local code
    code=$(sim_control /sim/fault "$1")
    [ "$code" = 200 ] || fail "the sim refused fault $1 ($code)"
}

# wait_re REGEX [SECONDS]: waits until a screen line matches REGEX.
wait_re() {
    local re=$1 limit=${2:-10} i
    for ((i = 0; i < limit * 10; i++)); do
        if ui_screen | grep -qE -- "$re"; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

# expect_line TEXT DESCRIPTION: TEXT and "Press r to try again." stand on
# one screen line (the message is one line, not wrapped).
expect_line() {
    if wait_for "$1" 15 &&
        ui_screen | grep -F -- "$1" | grep -qF "Press r to try again."; then
        pass "$2"
    else
        fail "$2: '$1' not on one line with the advice; screen was:"
        ui_screen >&2
    fi
}

# recovers KEY TITLE: clears the fault; r loads the view's rows.
recovers() {
    fault '{"count":0}'
    ui_keys r
    if wait_re "^ $2  [0-9]+" 15; then
        pass "r recovers $2 once the fault is cleared"
    else
        fail "r did not recover $2; screen was:"
        ui_screen >&2
    fi
    expect_no_screen "Press r to try again." "$2 shows no error after r"
}

sim_start
printf '%s\n' demo-aino-2025 | bz login --email "$AINO" --password-stdin \
    >/dev/null 2>"$E2E_TMP/err" || fail "login: $(cat "$E2E_TMP/err")"
ui_start 120 30 "$BIN_DIR/bezala --server $SIM_URL --cacert $CACERT \
    --home $E2E_HOME"
ui_keys 1
if wait_re "^ Receipts  [0-9]+" 15; then
    pass "the receipts view loads"
else
    fail "the receipts view did not load"
    ui_screen >&2
fi

# --- A first load that fails: one line, r recovers ---------------------
fault '{"status":503,"count":5,"path":"/api/trips"}'
ui_keys 2
expect_line "Server failure: HTTP 503: Injected fault." "503 on Trips"
recovers 2 Trips

fault '{"status":500,"count":5,"path":"/api/daily_allowances"}'
ui_keys 3
expect_line "Server failure: HTTP 500: Injected fault." "500 on allowances"
recovers 3 "Daily allowances"

fault '{"text":"<html><body>Bad gateway</body></html>","count":5,
        "path":"/api/rewards"}'
ui_keys 4
expect_line "The server's answer could not be decoded: in a page of the list." \
    "an HTML page instead of JSON"
expect_no_screen "<html>" "no markup on screen"
recovers 4 Rewards

fault '{"json":{"items":"none"},"count":5,"path":"/api/archive"}'
ui_keys 6
expect_line "The server's answer could not be decoded: in a page of the list." \
    "JSON of the wrong shape"
recovers 6 Archive

fault '{"status":429,"count":5,"path":"/api/users"}'
ui_keys 7
expect_line "Server failure: HTTP 429: Injected fault." "429 after its waits"
recovers 7 "Users and roles"

fault '{"body_bytes":1000,"drop_after":100,"count":5,
        "path":"/api/accounts"}'
ui_keys 8
expect_line "Network failure: transfer closed" "a body dropped midway"
expect_screen "offline" "a dropped connection marks the UI offline"
recovers 8 "Ledger accounts"
expect_status_line "127.0.0.1" "the status line is back"

# --- The keys keep working after the faults -----------------------------
ui_keys '?'
expect_screen "Esc" "? opens the help after the faults"
ui_keys Escape
ui_keys 1
if wait_re "^ Receipts  [0-9]+" 10; then
    pass "1 goes back to the receipts"
else
    fail "1 did not show the receipts"
fi

# --- A refresh that fails while rows are shown says so too -------------
fault '{"status":500,"count":5,"path":"/api/transactions"}'
ui_keys r
expect_screen "HTTP 500: Injected fault." \
    "a failed refresh over shown rows says what failed" 15
recovers 1 Receipts

ui_keys q
expect_screen "[exited 0]" "q still quits cleanly"

# --- The CLI: one line on stderr, the product's exit codes -------------
# cli_fault CODE JSON DESCRIPTION TEXT
cli_fault() {
    fault "$2"
    expect_exit "$1" "$3" -- bz receipts
    if [ "$(wc -l <"$E2E_TMP/err")" -eq 1 ] &&
        grep -qF -- "$4" "$E2E_TMP/err"; then
        pass "$3: one line naming the cause"
    else
        fail "$3: stderr was: $(cat "$E2E_TMP/err")"
    fi
    fault '{"count":0}'
}
cli_fault 6 '{"status":503,"count":5,"path":"/api/transactions"}' \
    "CLI 503" "server failure: HTTP 503"
cli_fault 6 '{"text":"<html></html>","count":5,"path":"/api/transactions"}' \
    "CLI HTML" "could not be decoded"
cli_fault 5 '{"body_bytes":1000,"drop_after":10,"count":5,
              "path":"/api/transactions"}' \
    "CLI dropped body" "network failure: transfer closed"
cli_fault 6 '{"status":429,"count":5,"path":"/api/transactions"}' \
    "CLI 429" "server failure: HTTP 429"

# --- bezala-sim --fault sets a fault from the start ----------------------
kill "$SIM_PID" && wait "$SIM_PID" 2>/dev/null
exec 7<&-
rm -f "$E2E_TMP/sim.out"
sim_start --fault '{"status":503,"count":1}'
code=$(curl -sS --cacert "$CACERT" -o /dev/null -w '%{http_code}' \
    "$SIM_URL/api/home")
check "--fault answers the first call" "$code" 503
code=$(curl -sS --cacert "$CACERT" -o /dev/null -w '%{http_code}' \
    "$SIM_URL/api/home")
check "--fault ends after its count" "$code" 401
if "$BIN_DIR/bezala-sim" --port 0 --data "$ASSETS/demo" \
    --cert "$ASSETS/demo/certs/server.pem" \
    --key "$ASSETS/demo/certs/server-key.pem" \
    --fault '{"count":1}' >/dev/null 2>"$E2E_TMP/err"; then
    fail "a bad --fault was accepted"
else
    pass "a bad --fault is refused: $(head -n 1 "$E2E_TMP/err")"
fi

e2e_finish
