#!/usr/bin/env bash
# Several accounts: the service-user mark in `accounts` (table and JSON),
# --account, logout of one account and of all, and the UI's account
# switcher (filter, switch with the status line naming the new account
# and nothing of the other left on screen, an account that is signed out,
# "Add account…", F3 on the sign-in form).
BIN_DIR=$1
ASSETS=$2
. "$(dirname "$0")/lib.sh"

AINO=aino.harkonen@demo.bezala.test
PEKKA=pekka.vaisanen@demo.bezala.test
SANNA=sanna.aimala@demo.bezala.test
SERVICE=integration@service.demo.bezala.test

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
# json_field EMAIL FIELD: the value of FIELD of that account in `accounts
# --json` (from the last command's output).
json_field() {
    python3 - "$E2E_TMP/out" "$1" "$2" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
print([r[sys.argv[3]] for r in rows if r["email"] == sys.argv[2]][0])
PY
}
# table_cell EMAIL HEADER: one cell of the `accounts` table.
table_cell() {
    python3 "$(dirname "$0")/columns.py" "$E2E_TMP/out" "$1" "$2" 2>/dev/null
}

sim_start

# --- Service users and the list ---------------------------------------
expect_exit 0 "sign in Aino" -- login "$AINO" demo-aino-2025
expect_exit 0 "sign in the integration user as a service user" -- \
    login "$SERVICE" demo-integration-2025 --service-user
err_has "(service user)" "login says it marked the account"
expect_exit 0 "sign in Pekka" -- login "$PEKKA" demo-pekka-2025
expect_exit 0 "accounts" -- bz accounts
out_has "SERVICE" "the table has a SERVICE column"
grep -F "$SERVICE" "$E2E_TMP/out" | grep -qE 'yes +yes *$' &&
    pass "the service user's row says yes under SERVICE" ||
    fail "service row: $(grep -F "$SERVICE" "$E2E_TMP/out")"
grep -F "$AINO" "$E2E_TMP/out" | grep -qE 'yes *$' &&
    grep -F "$AINO" "$E2E_TMP/out" | grep -qvE 'yes +yes *$' &&
    pass "a normal account has no SERVICE mark" ||
    fail "Aino's row: $(grep -F "$AINO" "$E2E_TMP/out")"
expect_exit 0 "accounts --json" -- bz accounts --json
[ "$(json_field "$SERVICE" service_user)" = True ] &&
    pass "JSON service_user is true for the service user" ||
    fail "service_user of $SERVICE: $(json_field "$SERVICE" service_user)"
[ "$(json_field "$AINO" service_user)" = False ] &&
    pass "JSON service_user is false for Aino" || fail "Aino service_user"
expect_exit 0 "unmark the service user" -- \
    bz accounts --unmark-service "$SERVICE"
expect_exit 0 "accounts --json again" -- bz accounts --json
[ "$(json_field "$SERVICE" service_user)" = False ] &&
    pass "the mark is gone" || fail "still marked after --unmark-service"
expect_exit 0 "mark Pekka" -- bz accounts --mark-service "$PEKKA"
expect_exit 0 "accounts --json once more" -- bz accounts --json
[ "$(json_field "$PEKKA" service_user)" = True ] &&
    pass "--mark-service marks" || fail "Pekka not marked"
expect_exit 0 "unmark Pekka" -- bz accounts --unmark-service "$PEKKA"
expect_exit 0 "mark the integration user again" -- \
    bz accounts --mark-service "$SERVICE"
expect_exit 3 "marking an unknown account" -- \
    bz accounts --mark-service nobody@demo.bezala.test
err_has "no stored account nobody@demo.bezala.test" "names the account"

# --- --account and logout ----------------------------------------------
expect_exit 0 "whoami --account Pekka" -- bz --account "$PEKKA" whoami
out_has "Pekka" "Pekka's identity"
expect_exit 0 "whoami --account Aino" -- bz whoami --account "$AINO"
out_has "Aino" "Aino's identity"
expect_exit 0 "logout Pekka" -- bz logout --account "$PEKKA"
expect_exit 3 "Pekka is signed out" -- bz --account "$PEKKA" whoami
expect_exit 0 "Aino still works" -- bz --account "$AINO" whoami
expect_exit 2 "logout --all with --account" -- \
    bz logout --all --account "$AINO"
expect_exit 0 "logout --all" -- bz logout --all
err_has "signed out every stored account" "logout --all says so"
expect_exit 0 "accounts --json after logout --all" -- bz accounts --json
signed=$(python3 -c 'import json,sys
print(sum(r["signed_in"] for r in json.load(open(sys.argv[1]))))' \
    "$E2E_TMP/out")
[ "$signed" = 0 ] && pass "no account is signed in" ||
    fail "$signed accounts still signed in"
expect_exit 3 "Aino is signed out too" -- bz --account "$AINO" whoami

# --- The UI's switcher ---------------------------------------------------
expect_exit 0 "sign Aino in again" -- login "$AINO" demo-aino-2025
expect_exit 0 "sign Pekka in again" -- login "$PEKKA" demo-pekka-2025
# Wide enough that the status line shows the whole email.
ui_start 130 30 "$BIN_DIR/bezala --server $SIM_URL --cacert $CACERT \
    --home $E2E_HOME --account $AINO"
expect_screen "Receipts  " "Aino's receipts"
ui_keys 7
expect_screen "Mikko Lehtinen" "Aino's users"
# 'p' pins Aino's company only: the next account starts unpinned.
ui_keys p
expect_status_line "pinned" "Aino's session is pinned"
ui_keys a
expect_screen "Switch account" "a opens the switcher"
expect_screen "$SERVICE" "the service user is listed"
expect_screen "not signed in [service]" "marked as a service user"
expect_screen "Add account" "with a row to add an account"
ui_text pekka
expect_gone "$SERVICE" "the filter hides the others"
ui_keys Enter
expect_screen "Switched to account $PEKKA." "Enter switches"
expect_status_line "$PEKKA" "the status line shows Pekka"
expect_no_status_line "$AINO" "and not Aino"
expect_no_status_line "pinned" "Aino's pin does not carry over to Pekka"
expect_screen "Users and roles  8" "Pekka's users"
expect_screen "Pohjolan Sähkö ja Lämpö Oy" "Pekka's company"
expect_no_screen "Mikko Lehtinen" "no row of Aino's remains"
expect_no_screen "Tilitoimisto" "nor her company"
ui_keys 1
expect_screen "Receipts  " "Pekka's receipts"
ui_keys a
ui_text "$SERVICE"
ui_keys Enter
expect_screen "Sign in to $SIM_URL" "a signed-out account opens the form"
expect_screen "$SERVICE is not signed in" "saying so"
expect_screen "Email         $SERVICE" "with the email filled"
expect_no_screen "Pohjolan" "nothing of Pekka's remains"
ui_text demo-integration-2025
ui_keys Enter
expect_screen "Signed in as $SERVICE." "signs in from there"
expect_screen "Revontuli Analytics Oy" "the service user's company"
ui_keys a Up Enter
expect_screen "Sign in to $SIM_URL" "Add account opens an empty form"
expect_no_screen "$SERVICE" "the form is empty"
expect_no_screen "•" "no password is filled"
ui_keys F3
expect_screen "Switch account" "F3 on the sign-in screen opens the switcher"
expect_screen "Add account" "the switcher over the form lists its rows"
ui_keys Escape
expect_gone "Switch account" "Esc closes the switcher"
expect_screen "Sign in to $SIM_URL" "and the form stays"
ui_keys Escape
expect_screen "Revontuli Analytics Oy" "Esc goes back to the account"
ui_keys a Up Enter
ui_text "$SANNA"
ui_keys Tab
ui_text demo-sanna-2025
ui_keys Enter
expect_screen "Signed in as $SANNA." "a new account signs in"
expect_screen "Kahvila Äimä Oy" "in its company"
expect_no_screen "Revontuli" "nothing of the service user's remains"
ui_keys a
ui_text aino
ui_keys Enter
expect_screen "Switched to account $AINO." "back to Aino"
ui_keys 7
expect_screen "Mikko Lehtinen" "her users again"
# F3 on the "Add account…" form switches to a stored account.
ui_keys a Up Enter
expect_screen "Sign in to $SIM_URL" "Add account once more"
ui_keys F3
expect_screen "Switch account" "F3 opens the switcher"
ui_text pekka
ui_keys Enter
expect_screen "Switched to account $PEKKA." "Enter in it switches account"
expect_status_line "$PEKKA" "the status line shows Pekka again"
expect_no_status_line "$AINO" "and not Aino"
expect_screen "Pohjolan Sähkö ja Lämpö Oy" "Pekka's company"
expect_no_screen "Mikko Lehtinen" "no row of Aino's remains"
ui_keys q
expect_screen "[exited 0]" "q quits"
expect_exit 0 "accounts after the UI" -- bz accounts --json
[ "$(python3 -c 'import json,sys
print(len(json.load(open(sys.argv[1]))))' "$E2E_TMP/out")" = 4 ] &&
    pass "four stored accounts" || fail "accounts: $(cat "$E2E_TMP/out")"

e2e_finish
