#!/usr/bin/env bash
# The UI and the CLI against server faults played by bezala-sim: 5xx, 429,
# an HTML page, JSON of the wrong shape, a connection dropped mid-body, a
# body that trickles until the deadline, a body over the size cap and a
# redirect to another host (a second sim, which must receive nothing).
# Each says what failed in one line, the keys keep working (also while a
# body trickles), rows already shown stay, and r loads the view once the
# fault is cleared. Also bezala-sim's --fault option. The certificate
# faults are in test_ui_faults_tls.sh.
BIN_DIR=$1
ASSETS=$2
. "$(dirname "$0")/lib.sh"

AINO=aino.harkonen@demo.bezala.test
TARGET_PID=
TARGET_URL=

target_stop() {
    [ -n "$TARGET_PID" ] && kill "$TARGET_PID" 2>/dev/null &&
        wait "$TARGET_PID" 2>/dev/null
    TARGET_PID=
}
trap 'target_stop; e2e_cleanup' EXIT

# target_start: a second bezala-sim for a redirect to point at; sets
# TARGET_PID and TARGET_URL, its request log in $E2E_TMP/target.err.
target_start() {
    local fifo=$E2E_TMP/target.out line
    mkfifo "$fifo"
    "$BIN_DIR/bezala-sim" --port 0 --data "$ASSETS/demo" \
        --cert "$ASSETS/demo/certs/server.pem" \
        --key "$ASSETS/demo/certs/server-key.pem" \
        >"$fifo" 2>"$E2E_TMP/target.err" &
    TARGET_PID=$!
    exec 8<"$fifo"
    if ! read -r -t 10 line <&8; then
        echo "target sim did not start: $(cat "$E2E_TMP/target.err")" >&2
        exit 1
    fi
    TARGET_URL=${line#listening on }
}

# requests PATH: how many GETs of PATH the sim logged.
requests() {
    grep -c "GET $1 " "$E2E_TMP/sim.err"
}

# fault JSON: sets a /sim/fault and checks that the sim took it.
fault() {
    local code
    code=$(sim_control /sim/fault "$1")
    [ "$code" = 200 ] || fail "the sim refused fault $1 ($code)"
}

# expect_line TEXT DESCRIPTION [SECONDS]: TEXT and "Press r to try again."
# stand on one screen line (the message is one line, not wrapped).
expect_line() {
    if wait_for "$1" "${3:-15}" &&
        ui_screen | grep -F -- "$1" | grep -qF "Press r to try again."; then
        pass "$2"
    else
        fail "$2: '$1' not on one line with the advice; screen was:"
        ui_screen >&2
    fi
}

# refreshes TITLE PATH: clears the fault; r asks for PATH again, and once
# the load ends no failure is said and the rows are shown.
refreshes() {
    local before i
    before=$(requests "$2")
    fault '{"count":0}'
    ui_keys r
    for ((i = 0; i < 150 * ${E2E_SLOW:-1}; i++)); do
        if [ "$(requests "$2")" -gt "$before" ] &&
            ! ui_screen | head -n 1 | grep -qF "loading…"; then
            break
        fi
        sleep 0.1
    done
    if [ "$(requests "$2")" -gt "$before" ]; then
        pass "r asks for $1 again once the fault is cleared"
    else
        fail "r did not ask for $1 again"
    fi
    expect_no_screen "Could not refresh" "r refreshes $1 without a failure"
    expect_re "^ $1  [0-9]+" "$1 shows its rows after r"
}

# expect_row N TEXT same|changed DESCRIPTION: waits until screen row N is
# TEXT again (same) or is no longer TEXT (changed).
expect_row() {
    local i row
    for ((i = 0; i < 150 * ${E2E_SLOW:-1}; i++)); do
        row=$(ui_screen | sed -n "$1p")
        if { [ "$3" = same ] && [ "$row" = "$2" ]; } ||
            { [ "$3" = changed ] && [ "$row" != "$2" ]; }; then
            pass "$4"
            return 0
        fi
        sleep 0.1
    done
    fail "$4: row $1 is '$row'"
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
refreshes Receipts /api/transactions

# --- A body that trickles: the keys answer while it loads --------------
# A byte every 400 ms cannot end before the 30 s deadline, and is fast
# enough never to count as stalled (under a byte a second for 20 s). Meanwhile the UI
# says a load runs, switches views, moves and opens the help at once, and
# the load goes on (its view still says so when it comes back).
fault '{"body_bytes":100,"trickle_ms":400,"count":1,
        "path":"/api/cost_centers"}'
ui_keys 9
expect_screen "Loading Cost centers…" "a trickling load says so" 15
expect_status_line "loading…" "the status line says a load runs"
ui_keys 1
expect_re "^ Receipts  [0-9]+" "1 shows the receipts while a body trickles"
top=$(ui_screen | sed -n 5p)
ui_keys G
expect_row 5 "$top" changed "G moves to the last row while a body trickles"
ui_keys g
expect_row 5 "$top" same "g moves back to the first row"
ui_keys '?'
expect_screen "change view (the bar at the top)" \
    "? opens the help while a body trickles"
ui_keys Escape
expect_gone "change view (the bar at the top)" "Esc closes the help"
ui_keys 9
expect_screen "Loading Cost centers…" "the trickling load still runs" 5
expect_line "Network failure: Operation timed out after" \
    "the deadline ends a trickling body in one line" 45
expect_status_line "offline" "a timed-out load marks the UI offline"
check "a trickling body is not asked for again" \
    "$(requests /api/cost_centers)" 1
recovers 9 "Cost centers"

# --- A body larger than the cap -----------------------------------------
fault '{"body_bytes":9437184,"count":5,"path":"/api/batch_documents"}'
ui_keys 0
expect_line "The server's answer is too large: the answer is larger than \
8 MiB; it was not kept." "a body over the cap on a first load"
recovers 0 "Batch documents"

ui_keys 1
expect_re "^ Receipts  [0-9]+" "1 shows the receipts again"
shown=$(ui_screen | sed -n '3,12p')
fault '{"body_bytes":9437184,"chunked":true,"count":5,
        "path":"/api/transactions"}'
ui_keys r
expect_screen "Could not refresh Receipts: the server's answer is too large" \
    "a body over the cap on a refresh says so" 15
check "the rows shown stay after a body over the cap" \
    "$(ui_screen | sed -n '3,12p')" "$shown"
refreshes Receipts /api/transactions

# --- A redirect to another host: not followed, nothing sent there -------
target_start
fault "{\"status\":302,\"count\":5,\"path\":\"/api/expenses\",
        \"location\":\"https://localhost:${TARGET_URL##*:}/api/expenses\"}"
ui_keys 5
expect_line "The server answered with a redirect: the server redirected to \
localhost; not followed." "a redirect names where it pointed"
check "a redirect is not asked for again" "$(requests /api/expenses)" 1
check "the redirect's target received no API call" \
    "$(api_calls "$TARGET_URL")" 0
if grep -qF "/api/" "$E2E_TMP/target.err"; then
    fail "the redirect was followed: $(cat "$E2E_TMP/target.err")"
else
    pass "the redirect's target logged no request"
fi
recovers 5 "My approvals"
target_stop

# --- q quits at once while a body trickles ------------------------------
fault '{"body_bytes":100,"trickle_ms":400,"count":1,
        "path":"/api/transactions"}'
ui_keys 1 r
expect_status_line "loading…" "a refresh of the receipts trickles"
ui_keys q
expect_screen "[exited 0]" "q quits cleanly while a body trickles" 10
fault '{"count":0}'

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
