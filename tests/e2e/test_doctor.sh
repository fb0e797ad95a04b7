#!/usr/bin/env bash
# `bezala doctor` against a private bezala-sim: all green after sign-in,
# each kind of failure with its fix line and exit code, later checks
# skipped when one they need failed, nothing changed on disk, and no
# token, password or key in its output or its debug log.
BIN_DIR=$1
ASSETS=$2
. "$(dirname "$0")/lib.sh"

AINO=aino.harkonen@demo.bezala.test
AINO_PW=demo-aino-2025
LOG=$E2E_TMP/doctor.log
CERTS=$E2E_TMP/certs
BAD_PID=
BAD_URL=
PASS_FILE=$E2E_TMP/passphrase

bad_stop() {
    [ -n "$BAD_PID" ] && kill "$BAD_PID" 2>/dev/null &&
        wait "$BAD_PID" 2>/dev/null
    BAD_PID=
}
trap 'bad_stop; e2e_cleanup' EXIT

# doctor_at SERVER CACERT ARGS...: bezala doctor (under $BEZALA_TEST_WRAP
# when set) with a debug log appended to $LOG; its output and errors are
# also kept in $E2E_TMP/all.txt for the secret check at the end.
doctor_at() {
    local server=$1 ca=$2 code
    shift 2
    # shellcheck disable=SC2086
    ${BEZALA_TEST_WRAP:-} "$BIN_DIR/bezala" --server "$server" \
        --cacert "$ca" --home "$E2E_HOME" --log "$LOG" --log-level debug \
        doctor "$@" >"$E2E_TMP/d.out" 2>"$E2E_TMP/d.err"
    code=$?
    cat "$E2E_TMP/d.out" "$E2E_TMP/d.err" >>"$E2E_TMP/all.txt"
    cat "$E2E_TMP/d.out"
    cat "$E2E_TMP/d.err" >&2
    return "$code"
}

# doctor ARGS...: doctor_at the private sim with the demo CA.
doctor() {
    doctor_at "$SIM_URL" "$CACERT" "$@"
}

# line NAME: the report line of check NAME in $E2E_TMP/out.
line() {
    grep -E "^[a-zA-Z]+ +$1 " "$E2E_TMP/out"
}

# fix_of NAME: the fix line printed under check NAME.
fix_of() {
    grep -A1 -E "^FAIL +$1 " "$E2E_TMP/out" | sed -n '2p'
}

# expect_check NAME WORD DESCRIPTION: the line of NAME starts with WORD.
expect_check() {
    local got
    got=$(line "$1" | awk '{print $1}')
    if [ "$got" = "$2" ]; then
        pass "$3"
    else
        fail "$3: $1 is '$got', want '$2'; report: $(cat "$E2E_TMP/out")"
    fi
}

# expect_fix NAME TEXT DESCRIPTION: the fix under NAME holds TEXT.
expect_fix() {
    if fix_of "$1" | grep -qF -- "$2"; then
        pass "$3"
    else
        fail "$3: fix of $1 lacks '$2'; report: $(cat "$E2E_TMP/out")"
    fi
}

sim_start

# Nobody signed in yet: the token check fails, naming login.
expect_exit 3 "not signed in" -- doctor
expect_check token FAIL "the token check fails before sign-in"
expect_fix token "bezala login" "its fix names bezala login"
expect_check home ok "a fresh home passes"
[ ! -e "$E2E_HOME/bezala.db" ] && pass "doctor made no store" ||
    fail "doctor created bezala.db"
expect_exit 3 "not signed in, as JSON" -- doctor --json
check "JSON says not ok" "$(json 'd["ok"]')" False
check "the token fix names login" \
    "$(json '"bezala login" in [c for c in d["checks"]
    if c["name"] == "token"][0]["fix"]')" True

# Signed in: everything passes, in the documented order.
expect_exit 0 "sign in" -- login "$AINO" "$AINO_PW"
expect_exit 0 "all green after sign-in" -- doctor
check "six checks in order" "$(awk '/^[a-zA-Z]/ {print $2}' "$E2E_TMP/out" |
    tr '\n' ' ')" "home store vault cacert server token "
check "every line ok" "$(grep -c '^ok ' "$E2E_TMP/out")" 6
expect_exit 0 "all green as JSON" -- doctor --json
check "JSON ok" "$(json 'd["ok"]')" True
check "every JSON check ok" "$(json 'all(c["ok"] is True for c in
    d["checks"])')" True
check "JSON fields" "$(json 'sorted(d["checks"][0].keys())')" \
    "['detail', 'fix', 'name', 'ok']"
check "JSON names" "$(json '[c["name"] for c in d["checks"]]')" \
    "['home', 'store', 'vault', 'cacert', 'server', 'token']"
expect_exit 2 "an unknown flag is a usage error" -- doctor --bogus
bz help doctor >"$E2E_TMP/out" 2>&1
grep -q "Exit status" "$E2E_TMP/out" && pass "help documents the exit" ||
    fail "help doctor: $(cat "$E2E_TMP/out")"

# The home directory open to others: FAIL with the chmod, store skipped.
chmod 755 "$E2E_HOME"
expect_exit 7 "home mode 0755" -- doctor
expect_check home FAIL "the home check fails"
expect_fix home "chmod 700 $E2E_HOME" "its fix is chmod 700"
expect_check store skipped "the store check is skipped"
expect_check token skipped "the token check is skipped"
check "the mode was left alone" "$(stat -c %a "$E2E_HOME")" 755
chmod 700 "$E2E_HOME"

# The key file open to others, then gone.
chmod 644 "$E2E_HOME/key"
expect_exit 7 "key file mode 0644" -- doctor
expect_check vault FAIL "the vault check fails"
expect_fix vault "chmod 600 $E2E_HOME/key" "its fix is chmod 600"
chmod 600 "$E2E_HOME/key"
mv "$E2E_HOME/key" "$E2E_TMP/key.saved"
expect_exit 7 "key file missing" -- doctor
expect_check vault FAIL "a missing key file fails"
[ ! -e "$E2E_HOME/key" ] && pass "doctor made no new key file" ||
    fail "doctor created a key file"
mv "$E2E_TMP/key.saved" "$E2E_HOME/key"
expect_exit 0 "green again" -- doctor

# A missing CA file: FAIL, the server check skipped.
expect_exit 5 "missing CA file" -- \
    doctor_at "$SIM_URL" "$E2E_TMP/none.pem"
expect_check cacert FAIL "the CA check fails"
expect_check server skipped "the server check is skipped"
expect_check token skipped "the token check is skipped"
printf 'no certificate here\n' >"$E2E_TMP/empty.pem"
expect_exit 5 "a CA file without a certificate" -- \
    doctor_at "$SIM_URL" "$E2E_TMP/empty.pem"
expect_check cacert FAIL "a CA file with no certificate fails"

# A CA that did not sign the server's certificate, and an expired one.
mkdir "$CERTS"
sh "$ASSETS/demo/certs/make-fault-certs.sh" "$CERTS" ||
    fail "make-fault-certs.sh failed"
expect_exit 5 "untrusted CA" -- doctor_at "$SIM_URL" "$CERTS/ca.pem"
expect_check server FAIL "the server check fails"
line server | grep -q "certificate" &&
    pass "the reason names the certificate" ||
    fail "untrusted reason: $(line server)"
expect_check token skipped "the token check is skipped"
mkfifo "$E2E_TMP/bad.out"
"$BIN_DIR/bezala-sim" --port 0 --data "$ASSETS/demo" \
    --cert "$CERTS/expired.pem" --key "$CERTS/expired-key.pem" \
    >"$E2E_TMP/bad.out" 2>"$E2E_TMP/bad.err" &
BAD_PID=$!
exec 8<"$E2E_TMP/bad.out"
if read -r -t 10 BAD_URL <&8; then
    BAD_URL=${BAD_URL#listening on }
    expect_exit 5 "expired certificate" -- \
        doctor_at "$BAD_URL" "$CERTS/ca.pem"
    line server | grep -q "expired" && pass "the reason says expired" ||
        fail "expired reason: $(line server)"
else
    fail "the expired sim did not start: $(cat "$E2E_TMP/bad.err")"
fi
bad_stop
exec 8<&-

# Passphrase mode: locked without --passphrase-fd, unlocked with it.
printf 'correct horse battery staple\n' >"$PASS_FILE"
expect_exit 0 "set a passphrase" -- \
    bz vault passphrase --new-passphrase-fd 3 3<"$PASS_FILE"
expect_exit 7 "locked vault, no passphrase given" -- doctor
line vault | grep -q "locked: not checked" &&
    pass "the vault says locked: not checked" ||
    fail "locked vault line: $(line vault)"
expect_check vault ok "a locked vault is not a failure"
expect_check token skipped "the token is not checked"
expect_exit 0 "unlocked with --passphrase-fd" -- \
    doctor --passphrase-fd 3 3<"$PASS_FILE"
expect_check token ok "the token passes once unlocked"
printf 'not the passphrase\n' >"$E2E_TMP/wrong"
expect_exit 7 "a wrong passphrase" -- \
    doctor --passphrase-fd 3 3<"$E2E_TMP/wrong"
expect_check vault FAIL "the vault check fails on a wrong passphrase"
expect_exit 0 "remove the passphrase" -- \
    bz vault passphrase --remove --passphrase-fd 3 3<"$PASS_FILE"

# The secrets to look for: the token the sim issued, and the key.
curl -sS --cacert "$CACERT" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$AINO\"}" "$SIM_URL/sim/tokens" >"$E2E_TMP/tokens.json"
TOKEN=$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["tokens"]
print(t[0] if t else "")' "$E2E_TMP/tokens.json")
[ -n "$TOKEN" ] && pass "the sim names the token" || fail "no token issued"
expect_exit 0 "green before the store is damaged" -- doctor

# A damaged store: FAIL with exit 7, and the file left where it was.
cp "$E2E_HOME/bezala.db" "$E2E_TMP/db.saved"
head -c 8192 /dev/urandom >"$E2E_HOME/bezala.db"
expect_exit 7 "a store that is not a database" -- doctor
expect_check store FAIL "the store check fails"
expect_fix store "bezala login" "its fix ends with sign-in"
expect_check vault skipped "the vault check is skipped"
[ -z "$(find "$E2E_HOME" -name 'bezala.db.corrupt-*')" ] &&
    pass "doctor did not move the store aside" ||
    fail "doctor moved the store aside"
cp "$E2E_TMP/db.saved" "$E2E_HOME/bezala.db"
python3 - "$E2E_HOME/bezala.db" <<'EOF'
import sys
# Page 3 (the accounts table's root): an invalid b-tree page type.
with open(sys.argv[1], "r+b") as f:
    f.seek(4096 * 2)
    f.write(b"\x07")
EOF
expect_exit 7 "a store with a damaged page" -- doctor
line store | grep -q "damaged" && pass "integrity_check finds the page" ||
    fail "damaged page: $(line store)"
cp "$E2E_TMP/db.saved" "$E2E_HOME/bezala.db"
expect_exit 0 "green with the store restored" -- doctor

# The server gone: reachability fails with 5, the token check skipped.
kill "$SIM_PID" && wait "$SIM_PID" 2>/dev/null
SIM_PID=
expect_exit 5 "server down" -- doctor
expect_check server FAIL "the server check fails"
expect_check token skipped "the token check is skipped"
expect_exit 5 "server down, as JSON" -- doctor --json
check "skipped is null" "$(json '[c["ok"] for c in d["checks"]
    if c["name"] == "token"][0]')" None

# No secret anywhere: outputs, errors and the debug log of every run.
cat "$LOG" >>"$E2E_TMP/all.txt"
KEY_HEX=$(od -An -tx1 "$E2E_HOME/key" | tr -d ' \n')
for secret in "$TOKEN" "$AINO_PW" "correct horse battery" "$KEY_HEX"; do
    if [ -n "$secret" ] && grep -qF -- "$secret" "$E2E_TMP/all.txt"; then
        fail "a secret is in the output or the log"
    else
        pass "no secret (${#secret} chars) in the output or the log"
    fi
done
grep -qi "bearer" "$LOG" && fail "the log mentions a bearer header" ||
    pass "no bearer header in the log"
[ -s "$LOG" ] && pass "the debug log was written" || fail "no debug log"

e2e_finish
