#!/usr/bin/env bash
# Sudden kills: the subcommands that write the store (sign-in, switch, a
# view that caches, rekey, passphrase set and removal, a first run on an
# empty home) are killed with SIGKILL at random moments. After each kill
# the store passes PRAGMA integrity_check and every stored token is either
# readable (signed in) or cleanly absent ("not signed in", exit 3): never
# exit 7, never a crash. CRASH_SEED replays a run; CRASH_KILLS sets how
# many kills (200 by default).
BIN_DIR=$1
ASSETS=$2
. "$(dirname "$0")/lib.sh"

SEED=${CRASH_SEED:-20250117}
KILLS=${CRASH_KILLS:-200}
PASS_KILLS=${CRASH_PASS_KILLS:-10}
RANDOM=$SEED
echo "seed $SEED (replay with CRASH_SEED=$SEED), $KILLS kills"

EMAILS=(aino.harkonen@demo.bezala.test pekka.vaisanen@demo.bezala.test
    jussi.ohman@demo.bezala.test riikka.soderstrom@demo.bezala.test)
PASSWORDS=(demo-aino-2025 demo-pekka-2025 demo-jussi-2025
    demo-riikka-2025)
AINO_COMPANIES=(101 205 318 539)
PASS_FILE=$E2E_TMP/vault-pass
printf '%s' "correct horse battery staple" >"$PASS_FILE"
for i in "${!EMAILS[@]}"; do
    printf '%s\n' "${PASSWORDS[$i]}" >"$E2E_TMP/pw$i"
done
CHK=$E2E_TMP/chk
mkdir -p "$CHK"
killed=0
finished=0
declare -A per_op

# run_bg INPUT ARG...: the real binary in the background (no shell in
# between, so that the kill hits bezala itself); sets BG.
run_bg() {
    local input=$1
    shift
    "$BIN_DIR/bezala" --server "$SIM_URL" --cacert "$CACERT" \
        --home "$E2E_HOME" "$@" <"$input" >"$E2E_TMP/bg.out" \
        2>"$E2E_TMP/bg.err" 3<"$PASS_FILE" &
    BG=$!
}

# kill_after OP MAX_MS ARG...: starts the command, sleeps 0..MAX_MS ms,
# kills it with SIGKILL and counts whether the kill landed.
kill_after() {
    local op=$1 max=$2 ms rc
    shift 2
    ms=$((RANDOM % (max + 1)))
    run_bg "$@"
    sleep "$(printf '0.%03d' "$ms")"
    kill -9 "$BG" 2>/dev/null
    { wait "$BG"; } 2>/dev/null
    rc=$?
    LAST="$op after ${ms} ms"
    if [ "$rc" -eq 137 ]; then
        killed=$((killed + 1))
        per_op[$op]=$((${per_op[$op]:-0} + 1))
    elif [ "$rc" -ne 0 ] && ! grep -q 'not signed in' "$E2E_TMP/bg.err"
    then
        fail "$LAST: finished before the kill with exit $rc:" \
            "$(head -c 300 "$E2E_TMP/bg.err")"
    else
        finished=$((finished + 1))
    fi
}

# The files as the kill left them, checked on a copy so that the check
# itself recovers nothing in the real home.
check_integrity() {
    local f got
    rm -f "$CHK"/*
    [ -e "$E2E_HOME/bezala.db" ] || return 0
    for f in bezala.db bezala.db-wal bezala.db-journal; do
        [ -e "$E2E_HOME/$f" ] && cp "$E2E_HOME/$f" "$CHK/$f"
    done
    got=$(sqlite3 "$CHK/bezala.db" 'PRAGMA integrity_check' 2>&1)
    [ "$got" = ok ] || fail "$LAST: integrity_check says: $got"
}

# check_cmd ARG...: a bezala run after the kill; 0, or 3 with the
# not-signed-in message; anything else fails. Sets RC.
check_cmd() {
    bz --passphrase-fd 3 "$@" 3<"$PASS_FILE" >"$E2E_TMP/out" \
        2>"$E2E_TMP/err" </dev/null
    RC=$?
    case $RC in
    0) ;;
    3)
        grep -qE 'not signed in|sign in again|could not be read' \
            "$E2E_TMP/err" ||
            fail "$LAST: $* exit 3 without the sign-in message:" \
                "$(cat "$E2E_TMP/err")"
        ;;
    *) fail "$LAST: $* exit $RC: $(head -c 300 "$E2E_TMP/err")" ;;
    esac
}

# After a kill: the store is whole, the list of accounts loads, each
# account's token is readable or absent, and whoami of one account agrees
# with the list. Accounts that lost their token sign in again (not
# killed).
check_after() {
    local i pick=$((RANDOM % 4)) flags
    check_integrity
    check_cmd accounts --json
    [ "$RC" -eq 0 ] || return
    flags=$(python3 -c "import json,sys
d = json.load(open(sys.argv[1]))
on = {a['email'] for a in d if a['signed_in']}
print(' '.join(str(e in on) for e in sys.argv[2:]))" \
        "$E2E_TMP/out" "${EMAILS[@]}" 2>/dev/null) ||
        fail "$LAST: accounts --json is not JSON"
    read -r -a flags <<<"$flags"
    check_cmd --account "${EMAILS[$pick]}" whoami
    [ "${flags[$pick]}" = True ] && [ "$RC" -ne 0 ] &&
        fail "$LAST: ${EMAILS[$pick]} listed as signed in, whoami exit $RC"
    [ "${flags[$pick]}" != True ] && [ "$RC" -eq 0 ] &&
        fail "$LAST: ${EMAILS[$pick]} listed as signed out, whoami exit 0"
    for i in "${!EMAILS[@]}"; do
        [ "${flags[$i]}" = True ] && continue
        bz --passphrase-fd 3 login --email "${EMAILS[$i]}" \
            --password-stdin 3<"$PASS_FILE" <"$E2E_TMP/pw$i" >/dev/null \
            2>"$E2E_TMP/err" ||
            fail "$LAST: signing ${EMAILS[$i]} in again:" \
                "$(cat "$E2E_TMP/err")"
    done
}

one_kill() {
    local r=$((RANDOM % 100)) i=$((RANDOM % 4)) c
    c=${AINO_COMPANIES[$((RANDOM % 4))]}
    if [ "$r" -lt 25 ]; then
        kill_after login 45 "$E2E_TMP/pw$i" login --email "${EMAILS[$i]}" \
            --password-stdin
    elif [ "$r" -lt 45 ]; then
        kill_after switch 80 /dev/null --account "${EMAILS[0]}" switch "$c"
    elif [ "$r" -lt 65 ]; then
        kill_after receipts 60 /dev/null --account "${EMAILS[i]}" receipts \
            --json
    elif [ "$r" -lt 72 ]; then
        kill_after companies 50 /dev/null --account "${EMAILS[i]}" \
            companies --json
    elif [ "$r" -lt 95 ]; then
        kill_after rekey 10 /dev/null vault rekey
    else
        rm -rf "$E2E_HOME"
        kill_after first-run 60 "$E2E_TMP/pw$i" login --email \
            "${EMAILS[$i]}" --password-stdin
    fi
}

# A passphrase set or removal runs Argon2id (about 0.35 s here) before it
# writes, so the kills spread over the whole run. Sets and removals take
# turns; when the last kill left the other mode, it is reached unkilled.
pass_kill() {
    local mode want=keyfile
    [ $((tries % 2)) -eq 0 ] && want=passphrase
    bz vault status --json >"$E2E_TMP/out" 2>"$E2E_TMP/err" </dev/null ||
        fail "$LAST: vault status: $(cat "$E2E_TMP/err")"
    mode=$(json 'd["mode"]')
    if [ "$mode" = "$want" ] && [ "$want" = passphrase ]; then
        bz --passphrase-fd 3 vault passphrase --remove 3<"$PASS_FILE" \
            >/dev/null 2>&1 </dev/null
        mode=keyfile
    elif [ "$mode" = "$want" ]; then
        bz vault passphrase --new-passphrase-fd 3 3<"$PASS_FILE" \
            >/dev/null 2>&1 </dev/null
        mode=passphrase
    fi
    if [ "$mode" = keyfile ]; then
        kill_after passphrase-set 420 /dev/null vault passphrase \
            --new-passphrase-fd 3
    else
        kill_after passphrase-remove 420 /dev/null vault passphrase \
            --remove --passphrase-fd 3
    fi
}

sim_start --latency-ms 15
start=$SECONDS
for i in "${!EMAILS[@]}"; do
    bz login --email "${EMAILS[$i]}" --password-stdin <"$E2E_TMP/pw$i" \
        >/dev/null 2>&1 || fail "first sign-in of ${EMAILS[$i]}"
done

tries=0
while [ "$killed" -lt "$PASS_KILLS" ] && [ "$tries" -lt $((PASS_KILLS * 3)) ]
do
    tries=$((tries + 1))
    pass_kill
    check_after
done
bz --passphrase-fd 3 vault passphrase --remove 3<"$PASS_FILE" \
    >/dev/null 2>&1 </dev/null
tries=0
while [ "$killed" -lt "$KILLS" ] && [ "$tries" -lt $((KILLS * 3)) ]; do
    tries=$((tries + 1))
    one_kill
    check_after
done

[ "$killed" -ge "$KILLS" ] && pass "$killed kills landed" ||
    fail "only $killed of $KILLS kills landed"
echo "kills per operation: $(for k in "${!per_op[@]}"; do
    printf '%s=%s ' "$k" "${per_op[$k]}"
done)"
echo "runs that finished before the kill: $finished;" \
    "$((SECONDS - start)) s"
leftovers=$(find "$E2E_HOME" -name '*.tmp-*' | wc -l)
check "no temporary key files left behind" "$leftovers" 0
[ "$failures" -eq 0 ] && pass "after every kill: integrity ok, tokens" \
    "readable or cleanly absent, no exit 7"
e2e_finish
