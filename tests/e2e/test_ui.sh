#!/usr/bin/env bash
# The full-screen UI in tmux: sign in, pick a company, browse users and
# receipts, survive a revoked token and a switch made elsewhere, resize to
# a tiny window and back, quit cleanly.
BIN_DIR=$1
ASSETS=$2
. "$(dirname "$0")/lib.sh"

EMAIL=aino.harkonen@demo.bezala.test
PASSWORD=demo-aino-2025

sim_start
ui_start 100 30 "$BIN_DIR/bezala --server $SIM_URL --cacert $CACERT \
    --home $E2E_HOME"

expect_screen "Sign in to $SIM_URL" "sign-in screen"
ui_text "$EMAIL"
ui_keys Tab
ui_text wrong-password
ui_keys Enter
expect_screen "Wrong email or password." "wrong password said in place"
expect_screen "$EMAIL" "email kept after a failed sign-in"
# The failed password is cleared and the cursor stays on its field; the
# client asks for a short pause before the next attempt.
sleep 1.5
ui_text "$PASSWORD"
ui_keys Enter
expect_screen "Tilitoimisto Härkönen" "status line shows the active company"
expect_screen "Receipts  " "the receipts view comes first"
ui_keys 7
expect_screen "Users and roles  2" "users view of the first company"
expect_screen "Mikko Lehtinen" "a user row"
expect_no_screen "$PASSWORD" "the password is not on screen"

ui_keys c
expect_screen "Switch company" "company picker opens"
ui_text äimä
expect_screen "Kahvila Äimä Oy" "picker filters by a lower-case part"
expect_gone "Pohjolan" "the filter hides the others"
ui_keys Enter
expect_screen "Switched to Kahvila Äimä Oy." "switch confirmed"
expect_screen "Users and roles  4" "users of the new company"
expect_screen "Jussi Öhman" "a user of the new company"
ui_keys 1
expect_screen "Receipts  47" "receipts of the new company, every page"
expect_screen "Date        Description" "receipt columns"
ui_keys G
expect_screen "2024-01" "G jumps to the oldest receipts"
ui_keys g
expect_screen "2024-12-24" "g jumps back to the newest"

code=$(sim_control /sim/password \
    "{\"email\":\"$EMAIL\",\"password\":\"demo-aino-renewed\"}")
[ "$code" = 200 ] || fail "password change answered $code"
ui_keys r
expect_screen "Session expired: sign in again" "re-login over the view"
ui_text "$PASSWORD"
ui_keys Enter
expect_screen "Wrong email or password." "old password refused, form stays"
expect_screen "Session expired" "still the re-login form"
sleep 1.5
ui_text demo-aino-renewed
ui_keys Enter
expect_screen "Signed in again as $EMAIL." "signed in again"
expect_screen "Receipts  47" "back in the same view and company"
expect_no_screen "Session expired" "the re-login form is gone"

code=$(sim_control /sim/switch "{\"email\":\"$EMAIL\",\"company_id\":318}")
[ "$code" = 200 ] || fail "switch elsewhere answered $code"
ui_keys r
expect_screen "changed elsewhere" "a switch elsewhere is shown"
expect_screen "Pohjolan Sähkö" "the views follow the server's company"

ui_keys 7
expect_screen "山本 結衣" "a name in CJK among the users"
expect_screen $'Linne\xcc\x81a Åkerlund' "a name with a combining accent"
if ui_screen | python3 "$(dirname "$0")/columns.py"; then
    pass "columns line up by display width"
else
    fail "columns do not line up:"
    ui_screen >&2
fi

ui_resize 20 6
e2e_sleep 0.5
ui_keys ?
e2e_sleep 0.3
ui_keys Escape
ui_resize 3 2
e2e_sleep 0.3
ui_resize 20 6
e2e_sleep 0.3
expect_no_screen "[exited" "alive at 20x6"

# The company picker on short screens: rows before blank lines and hint.
# The filter sets accents aside, as the lists' filters do.
ui_keys c
ui_text aima
expect_screen "│  Kahvi" "at 20x6 the picker shows a company row"
ui_resize 20 3
expect_screen "Company: aima" "at 20x3 the picker's filter stays in sight"
ui_resize 20 8
ui_keys BSpace BSpace BSpace BSpace
expect_screen "│  Kahvi" "at 20x8 the picker shows a second company"
expect_screen "│ Enter: switch" "and its key hint"
ui_keys Escape
expect_gone "Filter:" "Esc closes the picker"
ui_resize 100 30
expect_screen "Receipts" "whole again after the resize"
expect_screen " aino.harkonen@" "status line back after the resize"

ui_keys q
expect_screen "[exited 0]" "q quits with status 0"

e2e_finish
