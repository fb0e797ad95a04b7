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
for cmd in whoami companies users receipts trips allowances rewards \
    approvals archive ledger-accounts cost-centers batches company; do
    expect_exit 0 "$cmd with debug log" -- logged "$cmd" --json
done
expect_exit 0 "export with debug log" -- \
    logged export receipts --csv -o "$E2E_TMP/receipts.csv"
expect_exit 0 "switch with debug log" -- logged switch 205

# The secrets to look for: the token the sim issued, and the key.
curl -sS --cacert "$CACERT" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$EMAIL\"}" "$SIM_URL/sim/tokens" >"$E2E_TMP/tokens.json"
TOKEN=$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["tokens"]
print(t[0] if t else "")' "$E2E_TMP/tokens.json")
[ -n "$TOKEN" ] && pass "the sim names the token" || fail "no token issued"

# The UI with debug logging walks every view; its screens, command line
# and environment are kept.
ui_start 140 30 "$BIN_DIR/bezala --server $SIM_URL --cacert $CACERT \
    --home $E2E_HOME --log $LOG --log-level debug"
expect_screen "Receipts" "the UI runs with debug log"
: >"$E2E_TMP/screens.txt"
for key in 1 2 3 4 5 6 7 8 9 0 ']' Enter; do
    ui_keys "$key"
    e2e_sleep 0.4
    ui_screen >>"$E2E_TMP/screens.txt"
done
shell=$(tmux -S "$E2E_SOCKET" list-panes -t ui -F '#{pane_pid}')
pid=$(ps -o pid= --ppid "$shell" | tr -d ' ' | head -1)
if [ -n "$pid" ]; then
    tr '\0' '\n' <"/proc/$pid/cmdline" >"$E2E_TMP/cmdline.txt"
    tr '\0' '\n' <"/proc/$pid/environ" >"$E2E_TMP/environ.txt"
    pass "the UI's command line and environment read"
else
    fail "no UI process to read /proc of"
fi
ui_keys q

# Searches every file for the password, the token and the key (raw, hex
# and base64); prints what it found where.
found=$(python3 - "$PASSWORD" "$TOKEN" "$E2E_HOME/key" "$LOG" \
    "$E2E_HOME"/bezala.db* "$E2E_HOME/key" "$E2E_TMP/screens.txt" \
    "$E2E_TMP/cmdline.txt" "$E2E_TMP/environ.txt" "$E2E_TMP/receipts.csv" \
    <<'PY'
import base64, os, sys
password, token, keyfile = sys.argv[1:4]
key = open(keyfile, "rb").read()
needles = {"password": password.encode(), "token": token.encode(),
           "key (hex)": key.hex().encode(),
           "key (base64)": base64.b64encode(key)}
for path in sys.argv[4:]:
    if not os.path.isfile(path):
        continue
    data = open(path, "rb").read()
    for name, needle in needles.items():
        if needle and needle in data:
            print("%s in %s" % (name, os.path.basename(path)))
    if path != keyfile and key in data:
        print("key (raw) in %s" % os.path.basename(path))
PY
)
if [ -z "$found" ]; then
    pass "no password, token or key in the log, store, WAL, key file," \
        "screens, /proc cmdline or environ"
else
    fail "secrets found: $found"
fi
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
