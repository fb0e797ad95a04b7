#!/usr/bin/env bash
# `bezala --demo`: starts its own bezala-sim, lists the demo accounts on the
# sign-in screen (all ten: 0 and the arrows reach the tenth), signs in with
# one keystroke and stops the server on quit; when the server goes away
# the UI says so at once and marks the rows loaded before with their age.
BIN_DIR=$1
ASSETS=$2
. "$(dirname "$0")/lib.sh"

ui_start 100 30 "$BIN_DIR/bezala --demo"
expect_screen "Demo accounts" "the sign-in screen lists the demo accounts"
expect_screen "aino.harkonen@demo.bezala.test" "a demo account is shown"
expect_screen "Sign in to https://127.0.0.1:" "the demo server is on loopback"

client=$(ui_client)
sim=$(pgrep -P "${client:-0}" -x bezala-sim)
[ -n "$sim" ] && pass "bezala-sim runs as the client's child" ||
    fail "no bezala-sim under the client (client pid '${client}')"

ui_keys 1
ui_keys Enter
expect_screen "Signed in as aino.harkonen@demo.bezala.test." "one-key sign-in"
expect_screen "Tilitoimisto Härkönen Oy" "the demo company is active"
expect_screen "Receipts  " "the receipts view loads"
ui_keys 7
expect_screen "Users and roles  2" "the users view loads"

ui_keys q
expect_screen "[exited 0]" "q quits with status 0"
if [ -n "$sim" ] && kill -0 "$sim" 2>/dev/null; then
    fail "bezala-sim still runs after quit"
else
    pass "bezala-sim stopped with the client"
fi

# --- All ten accounts; then the demo server goes away -------------------
tmux -S "$E2E_SOCKET" kill-server 2>/dev/null
sleep 0.2
email_row() {
    ui_screen | grep -m 1 "Email "
}
ui_start 100 30 "$BIN_DIR/bezala --demo"
expect_screen " 0  oskari.heikkila@demo.bezala.test" \
    "the tenth account is listed"
ui_keys 0
e2e_sleep 0.3
email_row | grep -qF "oskari.heikkila@demo.bezala.test" &&
    pass "0 picks the tenth account" || fail "0: $(email_row)"
ui_keys Tab Up Enter
e2e_sleep 0.3
email_row | grep -qF "tapio.makela@demo.bezala.test" &&
    pass "Up on the list reaches the ninth" || fail "Up: $(email_row)"
ui_keys Tab Down Enter
e2e_sleep 0.3
email_row | grep -qF "oskari.heikkila@demo.bezala.test" &&
    pass "Down on the list reaches the tenth" || fail "Down: $(email_row)"
ui_keys Enter
expect_screen "Signed in as oskari.heikkila@demo.bezala.test." "he signs in"
expect_screen "Receipts  " "his receipts load"
client=$(ui_client)
sim=$(pgrep -P "${client:-0}" -x bezala-sim)
if [ -n "$sim" ]; then
    kill "$sim"
    ui_keys 2
    expect_status_line "offline" "the status line says offline"
    expect_screen "the demo server stopped" "the bottom line says why at once"
    expect_screen "bezala --demo" "and what to do"
    expect_no_screen "trying again every" "no retry is promised"
    expect_no_screen "Signed in as" "the old message is gone"
    ui_keys 1
    expect_screen "Receipts  " "the receipts loaded before stay"
    if wait_row 3 "loaded just now"; then
        pass "their title says how old they are"
    else
        fail "no age in the title: $(ui_screen | sed -n 3p)"
    fi
    expect_status_line "loaded just now" "so does the status line"
else
    fail "no bezala-sim under the client for the offline check"
fi
ui_keys q
expect_screen "[exited 0]" "q quits offline"

e2e_finish
