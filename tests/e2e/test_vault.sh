#!/usr/bin/env bash
# The passphrase vault from the subcommands and the UI: set it with
# --new-passphrase-fd, its status with the KDF parameters, use it with
# --passphrase-fd or a no-echo prompt, a wrong one (exit 7, nothing
# changed), a locked vault without a terminal, rekey, a short passphrase
# warned about, removal back to the key file, and the UI's modal that asks
# once per run. Each unlock runs Argon2id with the real limits (about a
# second), so the unlocks here are few.
BIN_DIR=$1
ASSETS=$2
. "$(dirname "$0")/lib.sh"

AINO=aino.harkonen@demo.bezala.test
PEKKA=pekka.vaisanen@demo.bezala.test
PASS="correct horse battery staple"
PASS_FILE=$E2E_TMP/pass
BAD_FILE=$E2E_TMP/bad
printf '%s' "$PASS" >"$PASS_FILE"
printf '%s\n' "correct horse battery" >"$BAD_FILE"

err_has() {
    grep -qF -- "$1" "$E2E_TMP/err" && pass "$2" ||
        fail "$2: stderr was: $(cat "$E2E_TMP/err")"
}
out_has() {
    grep -qF -- "$1" "$E2E_TMP/out" && pass "$2" ||
        fail "$2: stdout was: $(cat "$E2E_TMP/out")"
}
login() {
    printf '%s\n' "$2" | bz login --email "$1" --password-stdin "${@:3}"
}
# The store's content, for "nothing changed".
store_dump() {
    sqlite3 "$E2E_HOME/bezala.db" .dump 2>/dev/null | sha256sum
}
json_get() {
    python3 -c 'import json,sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2:]:
    v = v[k]
print(v)' "$E2E_TMP/out" "$@"
}

sim_start
expect_exit 0 "sign in Aino" -- login "$AINO" demo-aino-2025
expect_exit 0 "sign in Pekka" -- login "$PEKKA" demo-pekka-2025
expect_exit 0 "vault status --json in key-file mode" -- bz vault status --json
[ "$(json_get mode)" = keyfile ] && [ "$(json_get kdf)" = None ] &&
    pass "key-file mode, no KDF" || fail "status: $(cat "$E2E_TMP/out")"
expect_exit 2 "removing a passphrase that is not set" -- \
    bz vault passphrase --remove
expect_exit 2 "no terminal and no --new-passphrase-fd" -- \
    bz vault passphrase
err_has "--new-passphrase-fd M" "says how to give the new passphrase"

# --- Set it; the status shows the KDF parameters -----------------------
expect_exit 0 "set the passphrase from --new-passphrase-fd" -- \
    bz vault passphrase --new-passphrase-fd 3 3<"$PASS_FILE"
err_has "vault passphrase set" "says it is set"
grep -qF "shorter than 12" "$E2E_TMP/err" &&
    fail "a long passphrase was warned about" || pass "no warning for it"
expect_exit 0 "vault status --json" -- bz vault status --json
[ "$(json_get mode)" = passphrase ] && pass "passphrase mode" ||
    fail "mode: $(cat "$E2E_TMP/out")"
[ "$(json_get kdf alg)" = argon2id13 ] && pass "Argon2id" ||
    fail "alg: $(cat "$E2E_TMP/out")"
ops=$(json_get kdf opslimit)
mem=$(json_get kdf memlimit)
[ "$ops" -ge 2 ] && [ "$mem" -ge $((64 * 1024 * 1024)) ] &&
    pass "parameters at least INTERACTIVE ($ops, $mem)" ||
    fail "opslimit $ops memlimit $mem"
expect_exit 0 "vault status as text" -- bz vault status
out_has "argon2id13" "the text names the KDF"
for f in "$E2E_HOME"/*; do
    grep -qaF "$PASS" "$f" && fail "the passphrase is stored in $f"
done
pass "the passphrase is not stored"

# --- Use it ------------------------------------------------------------
before=$(store_dump)
expect_exit 7 "a locked vault without a terminal" -- bz whoami
err_has "the vault is locked: give --passphrase-fd N" "says what to give"
expect_exit 7 "a wrong passphrase" -- bz whoami --passphrase-fd 4 4<"$BAD_FILE"
err_has "wrong passphrase, or the vault is damaged: nothing was changed" \
    "says it is wrong (or the vault damaged) and that nothing changed"
expect_exit 7 "changing with a wrong old passphrase" -- \
    bz vault passphrase --passphrase-fd 4 --new-passphrase-fd 3 \
    4<"$BAD_FILE" 3<"$PASS_FILE"
[ "$(store_dump)" = "$before" ] && pass "nothing changed in the store" ||
    fail "the store changed after wrong passphrases"

# A damaged key row with the right passphrase cannot be told from a
# wrong passphrase: the message says both, never just "wrong".
for column in key_id wrapped_dek; do
    copy=$E2E_TMP/damaged-$column
    cp -a "$E2E_HOME" "$copy"
    python3 - "$copy/bezala.db" "$column" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
column = sys.argv[2]
value = bytearray(db.execute(f"SELECT {column} FROM vault_meta").fetchone()[0])
value[0] ^= 1
db.execute(f"UPDATE vault_meta SET {column} = ?", (bytes(value),))
db.commit()
PY
    expect_exit 7 "a damaged $column with the right passphrase" -- \
        "$BIN_DIR/bezala" --server "$SIM_URL" --cacert "$CACERT" \
        --home "$copy" whoami --passphrase-fd 4 4<"$PASS_FILE"
    err_has "wrong passphrase, or the vault is damaged" \
        "a damaged $column: says the vault may be damaged"
    grep -qF "wrong vault passphrase" "$E2E_TMP/err" &&
        fail "a damaged $column is called a wrong passphrase" ||
        pass "a damaged $column is not called just a wrong passphrase"
done
# Key settings out of range are refused before any work, with one clear
# way out, said once.
copy=$E2E_TMP/huge-memlimit
cp -a "$E2E_HOME" "$copy"
sqlite3 "$copy/bezala.db" "UPDATE vault_meta SET memlimit = 8589934592;"
expect_exit 7 "key settings out of range" -- \
    "$BIN_DIR/bezala" --server "$SIM_URL" --cacert "$CACERT" \
    --home "$copy" whoami --passphrase-fd 4 4<"$PASS_FILE"
n=$(grep -o "restore bezala.db" "$E2E_TMP/err" | wc -l)
[ "$n" = 1 ] && pass "the way out is said once" ||
    fail "out-of-range message ($n times): $(cat "$E2E_TMP/err")"
expect_exit 2 "a descriptor that is not open" -- \
    bz whoami --passphrase-fd 9
err_has "cannot be read" "says the descriptor cannot be read"
expect_exit 2 "a descriptor that is not a number" -- \
    bz --passphrase-fd x whoami
expect_exit 0 "whoami with --passphrase-fd (a final newline dropped)" -- \
    sh -c "printf '%s\n' '$PASS' | '$BIN_DIR/bezala' --server '$SIM_URL' \
        --cacert '$CACERT' --home '$E2E_HOME' --passphrase-fd 0 \
        --account '$AINO' whoami"
out_has "Aino" "Aino's identity"

# --- Rekey ---------------------------------------------------------------
expect_exit 0 "vault rekey" -- bz --passphrase-fd 4 vault rekey 4<"$PASS_FILE"
err_has "re-encrypted" "says every token was re-encrypted"
[ "$(store_dump)" != "$before" ] && pass "the stored tokens changed" ||
    fail "rekey changed nothing"
expect_exit 0 "Pekka still signed in after rekey" -- \
    bz --account "$PEKKA" --passphrase-fd 4 users 4<"$PASS_FILE"
out_has "Pekka" "his users"

# With no token stored there is nothing to unlock: "not signed in" (3),
# not a demand for the passphrase (7). Checked on a copy of the home.
copy=$E2E_TMP/signed-out
cp -a "$E2E_HOME" "$copy"
sqlite3 "$copy/bezala.db" "DELETE FROM tokens;"
expect_exit 3 "a locked vault with no token stored" -- \
    "$BIN_DIR/bezala" --server "$SIM_URL" --cacert "$CACERT" \
    --home "$copy" whoami
grep -qi "login" "$E2E_TMP/err" && pass "it says how to sign in" ||
    fail "no way to sign in named: $(cat "$E2E_TMP/err")"

# --- The UI asks once per run ------------------------------------------
ui_start 100 30 "$BIN_DIR/bezala --server $SIM_URL --cacert $CACERT \
    --home $E2E_HOME --account $AINO"
expect_screen "Unlock the vault" "the UI asks for the passphrase"
ui_text "wrong passphrase"
ui_keys Enter
expect_screen "Wrong passphrase, or the vault is damaged: try again." \
    "a wrong one is said" 15
expect_screen "Unlock the vault" "and the modal stays"
expect_no_screen "wrong passphrase" "the typed passphrase is not shown"
ui_text "$PASS"
ui_keys Enter
expect_screen "Mikko Lehtinen" "unlocked: Aino's users" 15
ui_keys a
ui_text pekka
ui_keys Enter
expect_screen "Switched to account $PEKKA." "switching account" 15
expect_no_screen "Unlock the vault" "does not ask again"
ui_keys q
expect_screen "[exited 0]" "q quits"
tmux -S "$E2E_SOCKET" kill-session -t ui 2>/dev/null
sleep 0.2

# A terminal: the subcommand prompts without echo.
ui_start 100 10 "$BIN_DIR/bezala --server $SIM_URL --cacert $CACERT \
    --home $E2E_HOME whoami"
expect_screen "Vault passphrase:" "the subcommand prompts on the terminal"
ui_text "$PASS"
ui_keys Enter
expect_screen "user:     Pekka" "and goes on (the account used last)" 15
expect_no_screen "$PASS" "without echo"
tmux -S "$E2E_SOCKET" kill-session -t ui 2>/dev/null

# --- A short one is warned about; removal ------------------------------
printf 'short' >"$E2E_TMP/short"
expect_exit 0 "change to a short passphrase" -- \
    bz vault passphrase --passphrase-fd 4 --new-passphrase-fd 3 \
    4<"$PASS_FILE" 3<"$E2E_TMP/short"
err_has "shorter than 12 characters" "a short passphrase is warned about"
err_has "passphrase changed" "and changed"
expect_exit 0 "remove the passphrase" -- \
    bz vault passphrase --remove --passphrase-fd 4 4<"$E2E_TMP/short"
err_has "the key file protects" "back to the key file"
expect_exit 0 "vault status --json after removal" -- bz vault status --json
[ "$(json_get mode)" = keyfile ] && pass "key-file mode again" ||
    fail "status: $(cat "$E2E_TMP/out")"
expect_exit 0 "whoami needs no passphrase now" -- bz whoami
expect_exit 0 "vault lock" -- bz vault lock

e2e_finish
