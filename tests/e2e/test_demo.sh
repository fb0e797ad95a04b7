#!/usr/bin/env bash
# `bezala --demo`: starts its own bezala-sim, lists the demo accounts on the
# sign-in screen, signs in with one keystroke and stops the server on quit.
BIN_DIR=$1
ASSETS=$2
. "$(dirname "$0")/lib.sh"

ui_start 100 30 "$BIN_DIR/bezala --demo"
expect_screen "Demo accounts" "the sign-in screen lists the demo accounts"
expect_screen "aino.harkonen@demo.bezala.test" "a demo account is shown"
expect_screen "Sign in to https://127.0.0.1:" "the demo server is on loopback"

shell=$(tmux -S "$E2E_SOCKET" display-message -p -t ui '#{pane_pid}')
client=$(pgrep -P "$shell" -x bezala)
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

e2e_finish
