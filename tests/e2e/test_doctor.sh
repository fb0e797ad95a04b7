#!/usr/bin/env bash
# `bezala doctor` against a private bezala-sim: all green after sign-in,
# each kind of failure with its fix line and exit code, later checks
# skipped when one they need failed, nothing changed on disk (no folder,
# store, -wal or -shm file made, no store upgraded), fixes that work when
# followed as written, and no token, password or key in its output or its
# debug log.
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

# sums DIR: the name and checksum of every file under DIR, sorted.
sums() {
    (cd "$1" && find . -type f -exec sha256sum {} + | sort -k2)
}

# json_check NAME FIELD: a field of check NAME in the JSON in $E2E_TMP/out.
json_check() {
    json "[c[\"$2\"] for c in d[\"checks\"] if c[\"name\"] == \"$1\"][0]"
}

sim_start

# help, --help, --version and doctor create no folder, not even the XDG
# ones; other commands still do.
XDG=$E2E_TMP/xdg
mkdir -m 700 "$XDG"
for args in --help --version help "help doctor" "doctor --help" \
    "whoami --help"; do
    # shellcheck disable=SC2086
    env HOME="$XDG/h" XDG_DATA_HOME="$XDG/data" XDG_CONFIG_HOME="$XDG/cfg" \
        "$BIN_DIR/bezala" --server "$SIM_URL" $args >/dev/null 2>&1
done
check "help and --version create nothing" "$(ls -A "$XDG")" ""
env HOME="$XDG/h" XDG_DATA_HOME="$XDG/data" XDG_CONFIG_HOME="$XDG/cfg" \
    "$BIN_DIR/bezala" --server "$SIM_URL" --cacert "$CACERT" doctor \
    >"$E2E_TMP/out" 2>&1
check "doctor on XDG folders creates nothing" "$(ls -A "$XDG")" ""
env HOME="$XDG/h" XDG_DATA_HOME="$XDG/data" XDG_CONFIG_HOME="$XDG/cfg" \
    "$BIN_DIR/bezala" --server "$SIM_URL" --cacert "$CACERT" accounts \
    >/dev/null 2>&1
[ -d "$XDG/data/bezala" ] && [ -d "$XDG/cfg/bezala" ] &&
    pass "other commands still create the folders" ||
    fail "accounts made no folders: $(ls -R "$XDG")"
expect_exit 3 "a home that does not exist" -- "$BIN_DIR/bezala" \
    --server "$SIM_URL" --cacert "$CACERT" --home "$E2E_TMP/no/such dir" doctor
[ ! -e "$E2E_TMP/no" ] && pass "doctor made no home" ||
    fail "doctor created $E2E_TMP/no"
expect_check home FAIL "a missing home fails"
expect_fix home "made at the first sign-in" "its fix says when it is made"
expect_fix home "bezala --home '$E2E_TMP/no/such dir' --server $SIM_URL \
--cacert $CACERT login" "the login fix carries the options, quoted"

# Nobody signed in yet: the token check fails, naming login.
expect_exit 3 "home not there yet" -- doctor
[ ! -e "$E2E_HOME" ] && pass "doctor made no home folder" ||
    fail "doctor created $E2E_HOME"
mkdir -m 700 "$E2E_HOME"
expect_exit 3 "not signed in" -- doctor
expect_check token FAIL "the token check fails before sign-in"
expect_fix token "bezala --home $E2E_HOME --server $SIM_URL --cacert \
$CACERT login" "its fix names bezala login with the options"
expect_check home ok "a fresh home passes"
expect_check config ok "no config file passes"
[ ! -e "$E2E_HOME/bezala.db" ] && pass "doctor made no store" ||
    fail "doctor created bezala.db"
expect_exit 3 "not signed in, as JSON" -- doctor --json
check "JSON says not ok" "$(json 'd["ok"]')" False
check "the token fix names login" \
    "$(json '"bezala " in [c for c in d["checks"]
    if c["name"] == "token"][0]["fix"]')" True

# An empty bezala.db is no store yet: nothing written to it.
: >"$E2E_HOME/bezala.db"
chmod 600 "$E2E_HOME/bezala.db"
expect_exit 3 "an empty store" -- doctor
expect_check store ok "an empty store passes"
line store | grep -q "empty" && pass "it says empty" ||
    fail "empty store: $(line store)"
expect_check token FAIL "the token check says not signed in"
check "the empty store stays empty" "$(stat -c %s "$E2E_HOME/bezala.db")" 0
check "no -wal or -shm next to it" "$(ls "$E2E_HOME")" "bezala.db"
rm "$E2E_HOME/bezala.db"

# Signed in: everything passes, in the documented order.
expect_exit 0 "sign in" -- login "$AINO" "$AINO_PW"
expect_exit 0 "all green after sign-in" -- doctor
check "seven checks in order" "$(awk '/^[a-zA-Z]/ {print $2}' "$E2E_TMP/out" |
    tr '\n' ' ')" "config home store vault cacert server token "
check "every line ok" "$(grep -c '^ok ' "$E2E_TMP/out")" 7
expect_exit 0 "all green as JSON" -- doctor --json
check "JSON ok" "$(json 'd["ok"]')" True
check "every JSON check ok" "$(json 'all(c["ok"] is True for c in
    d["checks"])')" True
check "JSON fields" "$(json 'sorted(d["checks"][0].keys())')" \
    "['detail', 'fix', 'name', 'ok']"
check "JSON names" "$(json '[c["name"] for c in d["checks"]]')" \
    "['config', 'home', 'store', 'vault', 'cacert', 'server', 'token']"
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
expect_fix store "$CACERT login\`" "its fix ends with sign-in"
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

# An older schema: reported, not upgraded, the token not checked.
python3 -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
v = db.execute("PRAGMA user_version").fetchone()[0]
db.execute("PRAGMA user_version = %d" % (v - 1))
db.commit()
db.execute("PRAGMA journal_mode = DELETE")
db.close()' "$E2E_HOME/bezala.db"
sums "$E2E_HOME" >"$E2E_TMP/sums.before"
expect_exit 7 "an older store" -- doctor
expect_check store FAIL "an older store is not ok"
line store | grep -q "upgraded at the next command" &&
    pass "it says it will be upgraded" || fail "older: $(line store)"
expect_check vault ok "its vault is still checked"
expect_check token skipped "the token check is skipped"
sums "$E2E_HOME" >"$E2E_TMP/sums.after"
cmp -s "$E2E_TMP/sums.before" "$E2E_TMP/sums.after" &&
    pass "the older store is left as it was, nothing added" ||
    fail "doctor changed the home: $(diff "$E2E_TMP/sums.before" \
        "$E2E_TMP/sums.after")"

# A table gone: the store check names it.
cp "$E2E_TMP/db.saved" "$E2E_HOME/bezala.db"
python3 -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("DROP TABLE tokens")
db.commit()' "$E2E_HOME/bezala.db"
expect_exit 7 "a store without its tokens table" -- doctor
expect_check store FAIL "the store check fails"
line store | grep -q "lacks the table tokens" &&
    pass "it names the table" || fail "dropped table: $(line store)"
grep -q "no such table" "$E2E_TMP/out" && fail "a token check ran" ||
    pass "no check ran into the missing table"

# Cut and key-less stores: no -wal or -shm file is made.
head -c 20000 "$E2E_TMP/db.saved" >"$E2E_HOME/bezala.db"
expect_exit 7 "a cut store" -- doctor
check "no sidecar after a cut store" "$(ls "$E2E_HOME" | tr '\n' ' ')" \
    "bezala.db key "
cp "$E2E_TMP/db.saved" "$E2E_HOME/bezala.db"
mv "$E2E_HOME/key" "$E2E_TMP/key.saved"
expect_exit 7 "a key-less store" -- doctor
check "no sidecar after a key-less store" "$(ls "$E2E_HOME")" "bezala.db"
expect_fix vault "$CACERT login" "the missing key's fix carries the options"

# A key file that is a link: the fix removes it, and works as written.
ln -s "$E2E_TMP/key.saved" "$E2E_HOME/key"
expect_exit 7 "a linked key file" -- doctor
expect_check vault FAIL "the vault check fails"
expect_fix vault "rm $E2E_HOME/key" "the fix removes the link"
expect_fix vault "mv $E2E_TMP/key.saved $E2E_HOME/key" \
    "or puts the file it leads to in its place"
expect_exit 7 "login refuses the link" -- login "$AINO" "$AINO_PW"
mv "$E2E_TMP/key.saved" "$E2E_HOME/key"
expect_exit 0 "green after following the fix" -- doctor

# A key file of the wrong size: moved aside, then login works, and the
# fix says the stored tokens are lost by it.
head -c 7 /dev/urandom >"$E2E_HOME/key"
expect_exit 7 "a key file of the wrong size" -- doctor
expect_fix vault "mv $E2E_HOME/key $E2E_HOME/key.bad" "the fix moves it aside"
expect_fix vault "cannot be read" "the fix says the tokens are lost"
expect_exit 7 "login refuses the bad key" -- login "$AINO" "$AINO_PW"
mv "$E2E_HOME/key" "$E2E_HOME/key.bad"
expect_exit 0 "login after moving it aside" -- login "$AINO" "$AINO_PW"
expect_exit 0 "green after following the fix" -- doctor
rm "$E2E_HOME/key.bad"

# The config file: a refused server is a FAIL of its own, the other
# checks still run; whoami still refuses to start.
printf '[general]\nserver = http://127.0.0.1:9\n' >"$E2E_HOME/config"
chmod 600 "$E2E_HOME/config"
expect_exit 2 "a plain http server in the config" -- "$BIN_DIR/bezala" \
    --cacert "$CACERT" --home "$E2E_HOME" doctor
expect_check config FAIL "the config check fails"
line config | grep -q "config line 2" && pass "it names the file and line" ||
    fail "config line: $(line config)"
expect_fix config "--server" "its fix names --server"
expect_check store ok "the store is still checked"
expect_check server skipped "the server check is skipped"
expect_exit 2 "whoami still refuses the config" -- "$BIN_DIR/bezala" \
    --cacert "$CACERT" --home "$E2E_HOME" whoami
expect_exit 2 "with --server the server is checked" -- doctor
expect_check server ok "the server given is checked"
printf '[general]\nserver = %s\n' "$SIM_URL" >"$E2E_HOME/config"
chmod 666 "$E2E_HOME/config"
expect_exit 2 "a config others may write" -- "$BIN_DIR/bezala" \
    --cacert "$CACERT" --home "$E2E_HOME" doctor --json
check "its check is not ok" "$(json_check config ok)" False
check "the server check is skipped" "$(json_check server ok)" None
rm "$E2E_HOME/config"

# A token the server rejects is removed by the token check, as every
# command does (README and the man page say so).
code=$(sim_control /sim/revoke "{\"email\":\"$AINO\"}")
check "the sim revoked the token" "$code" 200
expect_exit 3 "a revoked token" -- doctor
line token | grep -q "it was removed" && pass "it says the token was removed" ||
    fail "revoked: $(line token)"
expect_exit 3 "the token is gone afterwards" -- doctor
line token | grep -q "no token is stored" && pass "no token is stored now" ||
    fail "after revoking: $(line token)"
expect_exit 0 "sign in again" -- login "$AINO" "$AINO_PW"

# The server gone: reachability fails with 5, the token check skipped.
kill "$SIM_PID" && wait "$SIM_PID" 2>/dev/null
SIM_PID=
expect_exit 5 "server down" -- doctor
expect_check server FAIL "the server check fails"
expect_check token skipped "the token check is skipped"
expect_exit 5 "server down, as JSON" -- doctor --json
check "skipped is null" "$(json '[c["ok"] for c in d["checks"]
    if c["name"] == "token"][0]')" None

# A home whose path needs quoting: the fix line runs as it stands.
ODD="$E2E_TMP/we ird/h'o\$me"
mkdir -p "$ODD" && chmod 755 "$ODD"
${BEZALA_TEST_WRAP:-} "$BIN_DIR/bezala" --server "$SIM_URL" \
    --cacert "$CACERT" --home "$ODD" doctor >"$E2E_TMP/odd.out" 2>&1
fix=$(sed -n 's/.*fix: run `\(chmod 700 [^`]*\)`.*/\1/p' "$E2E_TMP/odd.out")
[ -n "$fix" ] && pass "the fix names chmod for the odd home" ||
    fail "no chmod fix: $(cat "$E2E_TMP/odd.out")"
sh -c "$fix" && [ "$(stat -c %a "$ODD")" = 700 ] &&
    pass "the fix, run as it stands, makes the odd home private" ||
    fail "the fix '$fix' did not work: mode $(stat -c %a "$ODD")"

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
