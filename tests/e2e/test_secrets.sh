#!/usr/bin/env bash
# Signs in with debug logging, uses every command, then searches the log,
# the store (with its WAL and SHM) and the key file for the password and
# any bearer header, and checks the modes of everything written.
BIN_DIR=$1
ASSETS=$2
. "$(dirname "$0")/lib.sh"

EMAIL=aino.harkonen@demo.bezala.test
PASSWORD=demo-aino-2025
LOG=$E2E_TMP/bezala.log

sim_start
logged() {
    bz --log "$LOG" --log-level debug "$@"
}

expect_exit 0 "sign in with debug log" -- \
    sh -c "printf '%s\n' '$PASSWORD' | '$BIN_DIR/bezala' --server '$SIM_URL' \
        --cacert '$CACERT' --home '$E2E_HOME' --log '$LOG' \
        --log-level debug login --email '$EMAIL' --password-stdin"
for cmd in whoami companies users receipts; do
    expect_exit 0 "$cmd with debug log" -- logged "$cmd" --json
done
expect_exit 0 "switch with debug log" -- logged switch 205
code=$(sim_control /sim/revoke "{\"email\":\"$EMAIL\"}")
[ "$code" = 200 ] || fail "revoke answered $code"
expect_exit 3 "rejected token with debug log" -- logged users

[ -s "$LOG" ] && pass "the log has lines" || fail "the log is empty"
files=("$LOG" "$E2E_HOME"/*)
for f in "${files[@]}"; do
    [ -f "$f" ] || continue
    if grep -qaF -- "$PASSWORD" "$f"; then
        fail "password found in $f"
    else
        pass "no password in $(basename "$f")"
    fi
    if grep -qaE 'Bearer [A-Za-z0-9._~+/-]{4,}' "$f"; then
        fail "a bearer token found in $f"
    else
        pass "no bearer header in $(basename "$f")"
    fi
    mode=$(stat -c %a "$f")
    [ "$mode" = 600 ] && pass "$(basename "$f") is 0600" ||
        fail "$f has mode $mode"
done
mode=$(stat -c %a "$E2E_HOME")
[ "$mode" = 700 ] && pass "home is 0700" || fail "home has mode $mode"
[ -f "$E2E_HOME/key" ] && pass "key file created" || fail "no key file"
[ -f "$E2E_HOME/bezala.db" ] && pass "store created" || fail "no store"

e2e_finish
