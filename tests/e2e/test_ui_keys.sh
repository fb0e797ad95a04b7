#!/usr/bin/env bash
# The [keys] section of the config file in the full-screen UI: a changed
# binding takes the old key's place on the main screen, in the key line,
# in the help (which leaves out what does nothing here: the mouse when it
# is off, the role filter outside the users), and on the vault's unlock
# screen.
BIN_DIR=$1
ASSETS=$2
. "$(dirname "$0")/lib.sh"

EMAIL=aino.harkonen@demo.bezala.test
PASSWORD=demo-aino-2025

sim_start
login "$EMAIL" "$PASSWORD" >/dev/null 2>&1 || fail "login"
cat >"$E2E_HOME/config" <<'EOF'
[general]
mouse = off
[keys]
quit = x
refresh = F6
filter = f
EOF
chmod 600 "$E2E_HOME/config"

ui_start 120 30 "$BIN_DIR/bezala --server $SIM_URL --cacert $CACERT \
    --home $E2E_HOME"
expect_screen "Receipts  " "the main view is up" 15
expect_screen "f filter" "the key line shows the filter's new key"
expect_screen "F6 refresh" "the key line shows the refresh's new key"
expect_screen "x quit" "the key line shows the quit's new key"
expect_no_screen "q quit" "the old quit key is not offered"

# q is no longer quit: the UI stays.
ui_keys q
e2e_sleep 1.5
expect_no_screen "[exited" "q does not quit any more"
expect_screen "Receipts  " "the view is still there after q"

# f opens the filter; what is typed goes to it (x included), and Esc in
# the prompt clears it.
ui_keys f
e2e_sleep 0.5
ui_text "zzx-no-such-row"
expect_screen "f zzx-no-such-row" "f opens the filter and x is typed there"
expect_screen "Nothing matches" "the filter filters"
expect_no_screen "[exited" "x typed into the filter does not quit"
ui_keys Escape
expect_screen "Filter cleared." "Esc in the filter clears it"

# F6 refreshes: the sim receives new calls. The old key r does not.
e2e_sleep 1
before=$(api_calls)
ui_keys r
e2e_sleep 1.5
check "r no longer refreshes" "$(api_calls)" "$before"
ui_keys F6
if wait_calls_above "$before"; then
    pass "F6 refreshes (the sim's api_calls grew past $before)"
else
    fail "F6 made no call to the sim (api_calls stays $before)"
fi

# The help lists the keys as bound.
ui_keys '?'
expect_screen "this help" "? opens the help"
if ui_screen | grep -qE '(^|[^[:alnum:]])x {4,}quit$|│ *x {4,}quit'; then
    pass "the help lists x for quit"
else
    fail "the help does not list x for quit; screen was:"
    ui_screen >&2
fi
if ui_screen | grep -qE 'F6 {4,}refresh from the server'; then
    pass "the help lists F6 for refresh"
else
    fail "the help does not list F6 for refresh; screen was:"
    ui_screen >&2
fi
if ui_screen | grep -qE '(^|[^[:alnum:]])f {4,}filter as you type'; then
    pass "the help lists f for the filter"
else
    fail "the help does not list f for the filter; screen was:"
    ui_screen >&2
fi
expect_no_screen "wheel scrolls" "with the mouse off, no mouse line"
expect_no_screen "Enter, click" "nor a click to open a row"
expect_no_screen "filter by role" "the users' role filter is not offered here"
ui_keys Escape
expect_gone "this help" "any other key closes the help"
ui_keys 7
expect_screen "Users and roles  " "the users view"
ui_keys '?'
expect_screen "users: filter by role" "the users' help has the role filter"
ui_keys Escape
expect_gone "this help" "the help closes again"

ui_keys x
expect_screen "[exited 0]" "x quits"

# A filter being typed stays open when the server's first answer arrives:
# the keys after it go to the filter, not to the list as commands.
kill "$SIM_PID" && wait "$SIM_PID" 2>/dev/null
exec 7<&-
rm -f "$E2E_TMP/sim.out"
sim_start --latency-ms 1500
login "$EMAIL" "$PASSWORD" >/dev/null 2>&1 || fail "login to the slow sim"
ui_start 120 30 "$BIN_DIR/bezala --server $SIM_URL --cacert $CACERT \
    --home $E2E_HOME"
expect_screen "x quit" "the main screen is up before the server answers"
ui_keys f
ui_text "ta"
e2e_sleep 3.5
ui_text "ksi"
expect_screen "f taksi" "the keys typed after the answer reach the filter"
expect_no_screen "[exited" "none of them ran as a command"
ui_keys Escape
ui_keys x
expect_screen "[exited 0]" "x quits after the slow start"

# The unlock screen takes the form's bindings and names them.
PASS_FILE=$E2E_TMP/passphrase
printf 'a long enough vault passphrase\n' >"$PASS_FILE"
bz vault passphrase --new-passphrase-fd 3 3<"$PASS_FILE" >/dev/null 2>&1 ||
    fail "setting the vault passphrase"
cat >>"$E2E_HOME/config" <<'EOF'
form_submit = F9
form_cancel = F10
EOF
ui_start 120 30 "$BIN_DIR/bezala --server $SIM_URL --cacert $CACERT \
    --home $E2E_HOME"
expect_screen "Unlock the vault" "the unlock screen asks the passphrase"
expect_screen "F9: unlock   F10: quit   F1: help" \
    "its key line names the new keys"
ui_keys F1
expect_screen "F1 shows this help" "F1 opens the forms' help over it"
expect_no_screen "filter as you type" "which leaves out the lists' keys"
expect_screen "F9 unlocks; F10 quits" "it names this screen's keys as bound"
expect_no_screen "account switcher" "and nothing of the sign-in form"
ui_keys Escape
expect_gone "F1 shows this help" "any other key closes it"
ui_text "a long enough vault passphrase"
ui_keys Enter
e2e_sleep 0.5
expect_screen "Unlock the vault" "Enter, no longer bound, does not unlock"
ui_keys F9
expect_screen "Receipts  " "F9 unlocks and the main view is up" 15
ui_keys x
expect_screen "[exited 0]" "x quits after the unlock"

ui_start 120 30 "$BIN_DIR/bezala --server $SIM_URL --cacert $CACERT \
    --home $E2E_HOME"
expect_screen "Unlock the vault" "the unlock screen again"
ui_keys F10
expect_screen "[exited 0]" "F10 quits from the unlock screen"
e2e_finish
