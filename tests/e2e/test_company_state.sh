#!/usr/bin/env bash
# Honest company state: a switch made elsewhere shown in the UI and by
# whoami, --pin-company (and BEZALA_PIN_COMPANY, and the UI's p) switching
# the server back and saying so, removal from the company explained by
# the 401 overlay, and a 401 right after a fresh sign-in ending with a
# message instead of a second overlay.
BIN_DIR=$1
ASSETS=$2
. "$(dirname "$0")/lib.sh"

AINO=aino.harkonen@demo.bezala.test
AINO_PW=demo-aino-2025

err_has() {
    grep -qF -- "$1" "$E2E_TMP/err" && pass "$2" ||
        fail "$2: stderr was: $(cat "$E2E_TMP/err")"
}
out_has() {
    grep -qF -- "$1" "$E2E_TMP/out" && pass "$2" ||
        fail "$2: stdout was: $(cat "$E2E_TMP/out")"
}
elsewhere() {
    local code
    code=$(sim_control /sim/switch "{\"email\":\"$AINO\",\"company_id\":$1}")
    [ "$code" = 200 ] || fail "/sim/switch to $1 answered $code"
}

sim_start
expect_exit 0 "sign in" -- sh -c "printf '%s\n' '$AINO_PW' |
    '$BIN_DIR/bezala' --server '$SIM_URL' --cacert '$CACERT' \
    --home '$E2E_HOME' login --email '$AINO' --password-stdin"

# --- A switch elsewhere: whoami ----------------------------------------
expect_exit 0 "whoami" -- bz whoami
out_has "Tilitoimisto Härkönen Oy" "the first company"
elsewhere 205
expect_exit 0 "whoami after a switch elsewhere" -- bz whoami
out_has "Kahvila Äimä Oy" "whoami follows the server"
out_has "changed elsewhere" "and says it was changed elsewhere"
expect_exit 0 "whoami --json" -- bz whoami --json
out_has '"changed_elsewhere": false' "seen now, no longer a change"

# --- Pinning from the command line ---------------------------------------
expect_exit 0 "switch to the first company" -- bz switch 101
elsewhere 318
expect_exit 0 "users with --pin-company" -- bz --pin-company users
err_has "switched the server back to Tilitoimisto Härkönen Oy" \
    "says it switched back"
err_has "moved to Pohjolan Sähkö ja Lämpö Oy elsewhere" "and from where"
out_has "Mikko Lehtinen" "the users of the chosen company"
elsewhere 205
expect_exit 0 "BEZALA_PIN_COMPANY=1" -- \
    env BEZALA_PIN_COMPANY=1 "$BIN_DIR/bezala" --server "$SIM_URL" \
    --cacert "$CACERT" --home "$E2E_HOME" whoami
err_has "switched the server back" "the environment pins too"
out_has "Tilitoimisto Härkönen Oy" "whoami shows the chosen company"
expect_exit 2 "BEZALA_PIN_COMPANY=maybe" -- \
    env BEZALA_PIN_COMPANY=maybe "$BIN_DIR/bezala" --server "$SIM_URL" \
    --cacert "$CACERT" --home "$E2E_HOME" whoami

# --- A move elsewhere in the middle of a list -----------------------------
# moved_at_call N: the sim moves Aino to 205 as the Nth API call from
# now arrives. A command first asks for home (pinned: the company, home,
# and the company again before the list); then comes the list: receipts
# take several pages (205's later ones empty), the archive several pages
# (205's later ones holding 205's rows), users one page and a check of
# the company after it.
moved_at_call() {
    local code
    code=$(sim_control /sim/switch \
        "{\"email\":\"$AINO\",\"company_id\":205,\"at_call\":$1}")
    [ "$code" = 200 ] || fail "/sim/switch at call $1 answered $code"
}
# company_of: the companies of the receipts printed, from the data set.
company_of() {
    python3 - "$ASSETS/demo/data.json" "$E2E_TMP/out" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
ids = {r["id"]: r["company_id"] for r in data["receipts"]}
print(sorted({ids[r["id"]] for r in json.load(open(sys.argv[2]))}))
PY
}
for view in receipts archive users; do
    expect_exit 0 "switch to 318 before $view" -- bz switch 318
    moved_at_call 3
    expect_exit 1 "$view moved elsewhere mid-list" -- bz $view --json
    err_has "the active company was changed elsewhere: the server is on \
Kahvila Äimä Oy now, not on Pohjolan Sähkö ja Lämpö Oy" \
        "$view: says the company moved and where"
    check "$view: nothing printed" "$(wc -c <"$E2E_TMP/out")" 0
    expect_exit 0 "switch to 318 before pinned $view" -- bz switch 318
    moved_at_call 5
    expect_exit 0 "pinned $view moved mid-list" -- \
        bz --pin-company $view --json
    err_has "switched the server back to Pohjolan Sähkö ja Lämpö Oy" \
        "pinned $view: switched back and loaded again"
    if [ "$view" = receipts ]; then
        check "pinned receipts are 318's" "$(company_of)" "[318]"
    fi
done
expect_exit 0 "whoami after the pinned lists" -- bz whoami
out_has "Pohjolan Sähkö ja Lämpö Oy" "the server is back on 318"
expect_exit 0 "switch back to the first company" -- bz switch 101

# --- The UI: changed elsewhere, then pinned ------------------------------
ui_start 100 30 "$BIN_DIR/bezala --server $SIM_URL --cacert $CACERT \
    --home $E2E_HOME"
expect_screen "Receipts  " "the UI starts on the receipts"
ui_keys 7
expect_screen "Mikko Lehtinen" "the UI shows the chosen company's users"
expect_no_screen "pinned" "not pinned at start"
elsewhere 205
ui_keys r
expect_status_line "changed elsewhere" \
    "the status line says changed elsewhere"
expect_status_line "Kahvila Äimä Oy" "the status line names the new company"
expect_screen "The active company was changed elsewhere: now Kahvila Äimä" \
    "and a message"
expect_screen "Jussi Öhman" "the views follow the server"
ui_keys c
ui_text tilitoimisto
ui_keys Enter
expect_screen "Switched to Tilitoimisto Härkönen Oy." "switch back by hand"
ui_keys p
expect_screen "Pinned to Tilitoimisto Härkönen Oy" "p pins the company"
expect_status_line "pinned" "the status line says pinned"
elsewhere 318
ui_keys r
expect_screen "Switched the server back to Tilitoimisto Härkönen Oy" \
    "pinned: the server is switched back, and it says so"
expect_screen "Mikko Lehtinen" "the chosen company's users stay"
expect_status_line "Tilitoimisto Härkönen Oy" \
    "the status line keeps the pinned company"
expect_no_status_line "changed elsewhere" \
    "switched back, the status line does not say changed elsewhere"
expect_no_screen "Pekka Väisänen" "no user of the other company is shown"
ui_keys p
expect_screen "No longer pinned" "p again unpins"
expect_no_status_line "pinned" "the status line no longer says pinned"

# --- Removal from the company: the 401 overlay explains ----------------
code=$(sim_control /sim/remove "{\"email\":\"$AINO\",\"company_id\":101}")
[ "$code" = 200 ] || fail "/sim/remove answered $code"
ui_keys r
expect_screen "Session expired: sign in again" "a 401 opens the overlay"
expect_screen "removed" "it names removal from the company"
expect_screen "password was changed" "and a changed password"
expect_screen "user was deleted" "and a deleted user"
ui_text "$AINO_PW"
ui_keys Enter
expect_screen "The active company was changed elsewhere: now" \
    "signed in again, the views follow the server's new company"
expect_no_screen "Tilitoimisto" "the removed company is gone"

# --- A 401 right after a fresh sign-in: a message, no second overlay -----
code=$(sim_control /sim/fault '{"status":401,"path":"/api/users","count":2}')
[ "$code" = 200 ] || fail "fault answered $code"
ui_keys 7 r
expect_screen "Session expired: sign in again" "the first 401"
sleep 1
ui_text "$AINO_PW"
ui_keys Enter
expect_screen "rejected the new sign-in too" "the repeat's 401 is a message"
expect_no_screen "Session expired" "and no second overlay"
ui_screen >"$E2E_TMP/screen"
ui_keys q
expect_screen "[exited 0]" "q quits"
expect_exit 3 "the rejected token is not kept" -- bz whoami

e2e_finish
