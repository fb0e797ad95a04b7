#!/usr/bin/env bash
# The store under contention and with bad files. Several bezala processes
# (and the UI) on one home at once: nobody sees "database is locked" or
# "busy", no token is lost. Bad files: a store of garbage, truncated or
# empty, a garbage WAL, a missing key file while tokens exist, a key file
# or store with loose permissions or another owner, a home that is a
# symbolic link: each refused (exit 7) or repaired with one line that
# names the fix, and the user can sign in again. A store that cannot grow
# (a full disk): the list is shown, and the user told it was not cached.
BIN_DIR=$1
ASSETS=$2
. "$(dirname "$0")/lib.sh"
# Files written here (and by the sqlite3 shell) are private, as bezala's.
umask 077

AINO=aino.harkonen@demo.bezala.test
PEKKA=pekka.vaisanen@demo.bezala.test
CONTEND_SECONDS=${CONTEND_SECONDS:-15}
DB=$E2E_HOME/bezala.db
KEY=$E2E_HOME/key

err_has() {
    grep -qF -- "$1" "$E2E_TMP/err" && pass "$2" ||
        fail "$2: stderr was: $(cat "$E2E_TMP/err")"
}
one_line() {
    [ "$(wc -l <"$E2E_TMP/err")" -eq 1 ] && pass "$1: one line" ||
        fail "$1: stderr was: $(cat "$E2E_TMP/err")"
}

# --- Contention ----------------------------------------------------------

# reader_loop N: views, switches and whoami until the deadline; every
# run must exit 0 and say nothing of a lock. The expected failures are
# the server's: a switch by another loop moved Aino's active company
# under a view (exit 1, "the active company was changed elsewhere") or
# under a switch (exit 1, "did not confirm the company switch").
reader_loop() {
    local n=$1 out=$E2E_TMP/loop$1 rc cmd i=0
    local companies=(101 205 318 539)
    : >"$out.bad"
    while [ "$SECONDS" -lt "$deadline" ]; do
        i=$((i + 1))
        case $(((i + n) % 4)) in
        0) cmd=(--account "$AINO" switch "${companies[$((i % 4))]}") ;;
        1) cmd=(--account "$AINO" receipts --json) ;;
        2) cmd=(--account "$PEKKA" companies --json) ;;
        *) cmd=(--account "$PEKKA" whoami) ;;
        esac
        bz "${cmd[@]}" >"$out.out" 2>"$out.err" </dev/null
        rc=$?
        if [ "$rc" -eq 1 ] &&
            grep -qE 'did not confirm the company switch|active company was changed elsewhere' \
                "$out.err"; then
            echo >>"$out.moved"
            rc=0
        fi
        if [ "$rc" -ne 0 ] || grep -qiE 'locked|busy' "$out.err" \
            "$out.out"; then
            echo "${cmd[*]}: exit $rc: $(head -c 300 "$out.err")" \
                >>"$out.bad"
        fi
    done
    echo "$i" >"$out.count"
}

# writer_loop N EMAIL PASSWORD: sign-ins and rekeys until the deadline,
# so that two of them race each other's key rotations.
writer_loop() {
    local out=$E2E_TMP/writer$1 rc i=$1
    : >"$out.bad"
    while [ "$SECONDS" -lt "$deadline" ]; do
        i=$((i + 1))
        if [ $((i % 2)) -eq 0 ]; then
            login "$2" "$3" >"$out.out" 2>"$out.err"
        else
            bz vault rekey >"$out.out" 2>"$out.err" </dev/null
        fi
        rc=$?
        if [ "$rc" -ne 0 ] || grep -qiE 'locked|busy' "$out.err"; then
            echo "writer run $i: exit $rc: $(head -c 300 "$out.err")" \
                >>"$out.bad"
        fi
    done
    echo "$i" >"$out.count"
}

sim_start
expect_exit 0 "sign in Aino" -- login "$AINO" demo-aino-2025
expect_exit 0 "sign in Pekka" -- login "$PEKKA" demo-pekka-2025

ui_start 120 40 "$BIN_DIR/bezala" --server "$SIM_URL" --cacert "$CACERT" \
    --home "$E2E_HOME" --account "$AINO"
expect_screen "Aino" "the UI runs on the same home"
deadline=$((SECONDS + CONTEND_SECONDS))
pids=()
for n in 1 2 3; do
    reader_loop "$n" &
    pids+=($!)
done
writer_loop 0 "$PEKKA" demo-pekka-2025 &
pids+=($!)
writer_loop 1 "$AINO" demo-aino-2025 &
pids+=($!)
# The UI reloads its view meanwhile (r), so it reads and writes too.
while [ "$SECONDS" -lt "$deadline" ]; do
    ui_keys r
    sleep 0.5
    ui_screen | grep -qiE 'database is locked|busy' && break
done
wait "${pids[@]}"
runs=0
for f in "$E2E_TMP"/loop*.count "$E2E_TMP"/writer*.count; do
    runs=$((runs + $(cat "$f")))
done
bad=$(cat "$E2E_TMP"/loop*.bad "$E2E_TMP"/writer*.bad)
if [ -z "$bad" ]; then
    pass "$runs runs side by side in ${CONTEND_SECONDS} s: exit 0 (or 1" \
        "for $(cat "$E2E_TMP"/loop*.moved 2>/dev/null | wc -l) views" \
        "whose company another loop switched), no lock or busy message"
else
    fail "runs side by side: $bad"
fi
expect_no_screen "locked" "the UI shows no lock"
expect_no_screen "busy" "the UI shows no busy store"
tmux -S "$E2E_SOCKET" kill-server 2>/dev/null
expect_exit 0 "Aino's token survived" -- bz --account "$AINO" whoami
expect_exit 0 "Pekka's token survived" -- bz --account "$PEKKA" whoami
check "integrity after contention" \
    "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok

# --- A damaged store: moved aside, then a sign-in works again ------------

# damaged DESCRIPTION: the store now in $DB is refused once with exit 7
# and one line naming where it went and the next step; the file is kept.
damaged() {
    local before aside
    before=$(sha256sum <"$DB")
    expect_exit 7 "$1: refused" -- bz --account "$AINO" whoami
    one_line "$1"
    err_has "it was moved to $DB.corrupt-" "$1: says where it went"
    err_has "run \`bezala login\` to sign in again" "$1: names the fix"
    aside=$(sed -n 's/.*it was moved to \([^:]*\):.*/\1/p' "$E2E_TMP/err")
    [ -f "$aside" ] && [ "$(sha256sum <"$aside")" = "$before" ] &&
        pass "$1: the old file is kept as it was" ||
        fail "$1: no intact copy at '$aside'"
    [ ! -e "$DB-wal" ] && [ ! -e "$DB-shm" ] &&
        pass "$1: no WAL or SHM left beside the new store" ||
        fail "$1: $(ls "$E2E_HOME")"
    expect_exit 3 "$1: then not signed in" -- bz --account "$AINO" whoami
    expect_exit 0 "$1: sign in again" -- login "$AINO" demo-aino-2025
    expect_exit 0 "$1: signed in" -- bz --account "$AINO" whoami
}

head -c 8192 /dev/urandom >"$DB"
damaged "a store of garbage bytes"
head -c 5000 "$DB" >"$E2E_TMP/cut"
cat "$E2E_TMP/cut" >"$DB"
damaged "a store cut to 5000 bytes"

: >"$DB"
expect_exit 3 "an empty store file: a new store, not signed in" -- \
    bz --account "$AINO" whoami
err_has "run \`bezala login" "the empty store: names the fix"
one_line "the empty store"
expect_exit 0 "the empty store: sign in again" -- login "$AINO" demo-aino-2025

login "$PEKKA" demo-pekka-2025 >/dev/null 2>&1
head -c 8192 /dev/urandom >"$DB-wal"
head -c 32768 /dev/urandom >"$DB-shm"
expect_exit 0 "a garbage WAL and SHM are ignored: still signed in" -- \
    bz --account "$AINO" whoami
expect_exit 0 "Pekka too" -- bz --account "$PEKKA" whoami
check "integrity after the garbage WAL" \
    "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok

# --- The key file ----------------------------------------------------------

rm "$KEY"
expect_exit 3 "a missing key file while tokens exist: not signed in" -- \
    bz --account "$AINO" whoami
err_has "could not be read" "says the stored token could not be read"
err_has "bezala login --email $AINO" "says how to sign in again"
one_line "the missing key file"
expect_exit 0 "the accounts still list" -- bz accounts --json
check "listed as signed out" \
    "$(json '[a["signed_in"] for a in d if a["email"] == "'"$AINO"'"]')" \
    "[False]"
expect_exit 0 "sign in again after the key file went" -- \
    login "$AINO" demo-aino-2025
expect_exit 0 "signed in with the new key file" -- bz --account "$AINO" whoami
[ "$(stat -c %a "$KEY")" = 600 ] && pass "the new key file is 0600" ||
    fail "the new key file is $(stat -c %a "$KEY")"

chmod 644 "$KEY"
expect_exit 7 "a key file of mode 0644 is refused" -- bz whoami
err_has "has mode 0644; run \`chmod 600 $KEY\`" "names the chmod fix"
one_line "the loose key file"
chmod 600 "$KEY"
expect_exit 0 "after the chmod it works" -- bz --account "$AINO" whoami

if [ "$(id -u)" -eq 0 ]; then
    for f in "$KEY" "$DB"; do
        chown nobody "$f"
        expect_exit 7 "$(basename "$f") owned by nobody is refused" -- \
            bz whoami
        err_has "is owned by uid $(id -u nobody), not you (uid 0)" \
            "$(basename "$f"): names the owner"
        err_has "run \`sudo chown 0 $f\`" "$(basename "$f"): names chown"
        one_line "$(basename "$f") of another owner"
        chown 0 "$f"
    done
    expect_exit 0 "after the chown it works" -- bz --account "$AINO" whoami
else
    echo "note: not root, so no file of another owner can be made here"
fi

# --- A store that cannot grow ---------------------------------------------
# A file size limit makes the store's writes fail as on a full disk
# (SIGXFSZ ignored, so a write past the limit returns an error). A fresh
# home of about 60 KiB under a 200 KiB limit cannot take the cache of
# 318's receipts (about 650 KiB): the list is still shown, and the user
# is told it was not cached.
FULL=$E2E_TMP/full
CAPPED=$E2E_TMP/capped.sh
mkdir -m 700 "$FULL"
printf '#!/bin/sh\ntrap "" XFSZ\nulimit -f 200\nexec "$@"\n' >"$CAPPED"
chmod 700 "$CAPPED"
bzf() {
    "$BIN_DIR/bezala" --server "$SIM_URL" --cacert "$CACERT" --home "$FULL" \
        "$@"
}
# capped ARGS: bezala under the limit, its output through a pipe, which
# the limit does not cover.
capped() (
    set -o pipefail
    "$CAPPED" "$BIN_DIR/bezala" --server "$SIM_URL" --cacert "$CACERT" \
        --home "$FULL" "$@" | cat
)
expect_exit 0 "sign in to a fresh home" -- sh -c "printf '%s\n' \
    'demo-aino-2025' | '$BIN_DIR/bezala' --server '$SIM_URL' \
    --cacert '$CACERT' --home '$FULL' login --email '$AINO' --password-stdin"
expect_exit 0 "switch to 318" -- bzf switch 318
expect_exit 0 "receipts with a store that cannot grow" -- \
    capped receipts --json
err_has "note: the receipts list could not be cached, so --cached will not \
show it: " "says the list was not cached, and why"
check "the rows are printed all the same" \
    "$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)) > 100)' \
        <"$E2E_TMP/out")" True
expect_exit 1 "--cached then has nothing" -- bzf receipts --cached
expect_exit 0 "receipts once the store can grow" -- bzf receipts --json
if grep -qF "could not be cached" "$E2E_TMP/err"; then
    fail "a list that was cached still says it was not"
else
    pass "a list that was cached says nothing of it"
fi
expect_exit 0 "--cached then has them" -- bzf receipts --cached
ui_start 120 20 "$CAPPED" "$BIN_DIR/bezala" --server "$SIM_URL" \
    --cacert "$CACERT" --home "$FULL"
expect_screen "Receipts could not be kept for offline use: " \
    "the UI says the list could not be cached" 30
ui_keys 2
e2e_sleep 1
expect_no_screen "Trips could not be kept" "and says it once a run"
ui_keys q
expect_screen "[exited 0]" "the UI quits cleanly"

# --- A home that is a symbolic link ----------------------------------------

ln -s "$E2E_HOME" "$E2E_TMP/linked"
before=$(ls -la "$E2E_HOME" | sha256sum)
expect_exit 7 "a home that is a symbolic link is refused" -- \
    "$BIN_DIR/bezala" --server "$SIM_URL" --cacert "$CACERT" \
    --home "$E2E_TMP/linked" whoami
err_has "is a symbolic link; give --home a real directory" "names the fix"
one_line "the linked home"
expect_exit 7 "also with a final slash" -- \
    "$BIN_DIR/bezala" --server "$SIM_URL" --cacert "$CACERT" \
    --home "$E2E_TMP/linked/" whoami
check "the linked-to home is untouched" "$(ls -la "$E2E_HOME" | sha256sum)" \
    "$before"

e2e_finish
