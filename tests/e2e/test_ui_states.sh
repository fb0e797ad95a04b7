#!/usr/bin/env bash
# What the UI says in between and at the edges: a company switch that is
# refused (pending membership, server failure) or still running, the
# status line at 80 and 100 columns, the sign-in focus in --demo with a
# typed burst, F3 on the sign-in screen, tiny windows (every row drawn
# whole), the help at 160x45 and 80x24, a filter longer than it can hold,
# and the CLI's advice after a rate-limited sign-in.
BIN_DIR=$1
ASSETS=$2
. "$(dirname "$0")/lib.sh"

AINO=aino.harkonen@demo.bezala.test
EVELIINA=eveliina.karkkainen@demo.bezala.test
PEKKA=pekka.vaisanen@demo.bezala.test

login() {
    printf '%s\n' "$2" | bz login --email "$1" --password-stdin \
        >/dev/null 2>"$E2E_TMP/err" || fail "login $1: $(cat "$E2E_TMP/err")"
}

ui_run() {
    ui_start "$1" "$2" "$BIN_DIR/bezala --server $SIM_URL --cacert $CACERT \
        --home $E2E_HOME ${3:-}"
}

ui_stop() {
    tmux -S "$E2E_SOCKET" kill-server 2>/dev/null
    sleep 0.2
}

# The screen's first line (the status line).
status_line() {
    ui_screen | head -n 1
}

# expect_status TEXT DESCRIPTION: the status line shows TEXT within a few
# seconds (it settles once the server's answer replaces the first frame).
expect_status() {
    local i
    for ((i = 0; i < 50 * E2E_SLOW; i++)); do
        if status_line | grep -qF -- "$1"; then
            pass "$2"
            return 0
        fi
        sleep 0.1
    done
    fail "$2: '$1' not in the status line: $(status_line)"
}

still_running() {
    e2e_sleep 0.5
    if ui_screen | grep -qF "[exited"; then
        fail "$1: the UI exited"
        ui_screen >&2
    else
        pass "$1"
    fi
}

sim_start
PORT=${SIM_URL##*:}

# --- A pending membership: shown as such, Enter gives the reason ---------
login "$EVELIINA" demo-eveliina-2025
ui_run 100 30 "--account $EVELIINA"
expect_screen "Kahvila Äimä Oy" "eveliina's company is active"
ui_keys 1
expect_screen "Receipts  " "her receipts load"
e2e_sleep 0.5
count_before=$(ui_screen | sed -n 3p | grep -o 'Receipts  [0-9]*')
ui_keys c
expect_screen "Switch company" "the picker opens"
expect_screen "pending" "the pending membership says so"
ui_text Pohjolan
ui_keys Enter
expect_screen "the invitation in Bezala first" \
    "Enter on a pending membership gives the reason"
expect_no_screen "Nothing here" "no false empty state"
expect_screen "$count_before" "the current company's receipts stay"
ui_stop

# --- The status line at 80 and 100 columns, and a tiny window -----------
login "$AINO" demo-aino-2025
for cols in 80 100; do
    ui_run "$cols" 24 "--account $AINO"
    expect_screen "Receipts  " "the receipts view loads at $cols columns"
    expect_status "127.0.0.1:$PORT" "host:port in the status line at $cols"
    expect_status "Tilitoimisto Härkönen Oy" "the company at $cols"
    expect_status "employee" "a role at $cols"
    if status_line | grep -qF "https:"; then
        fail "the status line shows the scheme at $cols: $(status_line)"
    else
        pass "no https:// in the status line at $cols"
    fi
    ui_stop
done
ui_run 20 6 "--account $AINO"
e2e_sleep 1
still_running "the main view at 20x6"
ui_keys '?'
e2e_sleep 0.3
if ui_screen | tail -n 1 | grep -qF "└"; then
    pass "the help box ends on the last row at 20x6"
else
    fail "the help box has no bottom edge at 20x6:"
    ui_screen >&2
fi
if ui_screen | grep -v '│' | grep -qF "…"; then
    fail "a cut line outside the help box at 20x6:"
    ui_screen >&2
else
    pass "nothing of the help outside its box at 20x6"
fi
ui_keys Escape
code=$(sim_control /sim/revoke "{\"email\":\"$AINO\"}")
[ "$code" = 200 ] || fail "revoke: HTTP $code"
ui_keys r
expect_screen "Session" "the re-login overlay opens at 20x6"
expect_screen "Pass" "with its password field at 20x6"
still_running "the re-login overlay at 20x6"
ui_stop

# --- Tiny windows: each row drawn whole, nothing left of another --------
# row_is ROW TEXT DESCRIPTION: screen row ROW (1-based) is exactly TEXT.
row_is() {
    local row i
    for ((i = 0; i < 20 * E2E_SLOW; i++)); do
        row=$(ui_screen | sed -n "$1p")
        [ "$row" = "$2" ] && break
        sleep 0.1
    done
    if [ "$row" = "$2" ]; then
        pass "$3"
    else
        fail "$3: row $1 is '$row', want '$2'"
    fi
}
login "$AINO" demo-aino-2025
ui_run 100 30 "--account $AINO"
expect_screen "Receipts  " "receipts load before the tiny window"
ui_resize 9 3
ui_keys /
ui_text abc
row_is 3 " / abc" "the filter prompt at 9x3 leaves no letter of the title"
ui_keys Escape
row_is 3 " Filter…" "the message at 9x3 has no stray letter"
ui_keys C-l
row_is 3 " Filter…" "nor after Ctrl-L"
ui_resize 10 3
row_is 3 " Filter …" "one ellipsis at 10x3"
row_is 2 "         ›" "the bar keeps its own row at 10x3"
ui_resize 1 1
e2e_sleep 0.3
still_running "the main view at 1x1"
row_is 1 "" "nothing half-drawn at 1x1"

# --- The help: the whole width at 160x45, scrolling at 80x24 -----------
ui_resize 160 45
ui_keys '?'
expect_screen "filter as you type; Enter keeps it, Esc clears it" \
    "the help is not cut at 160x45"
expect_screen "[/S-Tab/Left ]/Tab/Right" "the help names the arrows for views"
expect_screen "any other key closes it" "the whole help shows at 160x45"
ui_resize 80 24
expect_screen "↓ more" "the help says there is more at 80x24"
expect_no_screen "closes it." "its end is below at 80x24"
ui_keys NPage NPage
expect_screen "closes it." "PgDn scrolls to its end"
ui_keys Up
expect_screen "─ Keys ─" "Up scrolls and keeps the help open"
ui_keys x
expect_gone "─ Keys ─" "another key closes the help"

# --- A filter longer than it holds: said, and the title cut cleanly ----
ui_resize 100 30
ui_keys /
ui_text "$(printf 'ä%.0s' $(seq 300))"
expect_screen "The filter is full" "a full filter says so"
if ui_screen | sed -n 3p | grep -q 'filter “ä*ä…”'; then
    pass "the title cuts the filter on a character, with …"
else
    fail "the title's filter: $(ui_screen | sed -n 3p)"
fi
ui_keys Escape
ui_stop

# --- A switch the server refuses: the old view comes back, in full ------
login "$AINO" demo-aino-2025
ui_run 80 24 "--account $AINO"
ui_keys 1
expect_screen "Receipts  " "aino's receipts load"
e2e_sleep 0.5
aino_before=$(ui_screen | sed -n 3p | grep -o 'Receipts  [0-9]*')
aino_id=$(bz whoami --json | grep -o '"id": [0-9]*' | head -n 1 |
    grep -o '[0-9]*$')
code=$(sim_control /sim/fault \
    "{\"count\":1,\"status\":500,\"path\":\"/api/users/$aino_id\"}")
[ "$code" = 200 ] || fail "fault: HTTP $code"
ui_keys c
expect_screen "Switch company" "the picker opens for aino"
expect_screen "employee, manager, accountant" "the roles are shown whole"
ui_text Kahvila
ui_keys Enter
expect_screen "Could not switch to Kahvila Äimä Oy" "the failure is named"
expect_screen "Injected fault" "with the server's words"
expect_screen "$aino_before" "the current company's receipts come back"
expect_no_screen "Nothing here" "and no false empty state"
ui_stop

# --- Sign-in in --demo: focus on Email, a typed burst, the list ---------
ui_start 100 30 "$BIN_DIR/bezala --demo --home $E2E_TMP/demo-home"
expect_screen "F3: accounts" "the sign-in hint names F3"
ui_text "$EVELIINA"
ui_keys Tab
ui_text demo-eveliina-2025
ui_keys Enter
expect_screen "Signed in as $EVELIINA." "a typed burst signs in"
ui_stop
ui_start 100 30 "$BIN_DIR/bezala --demo --home $E2E_TMP/demo-home2"
ui_text "$EVELIINA"
ui_keys Tab
ui_text wrong
ui_keys Enter
expect_screen "Wrong email or password" "a wrong password is refused"
ui_keys Tab
ui_text "x1"
e2e_sleep 0.3
if ui_screen | grep -q "Email .*$AINO"; then
    fail "digits in the list picked a demo account:"
    ui_screen >&2
else
    pass "digits in the list do not pick an account"
fi
expect_screen "${EVELIINA}x1" "text typed on the list goes to the email"
ui_stop

# --- F3 on the sign-in screen: the account switcher ---------------------
login "$PEKKA" demo-pekka-2025
bz logout --account "$PEKKA" >/dev/null 2>&1
ui_run 100 30 "--account $PEKKA"
expect_screen "Sign in to" "pekka is signed out"
ui_keys F3
expect_screen "Switch account" "F3 opens the account switcher"
ui_text aino
ui_keys Enter
expect_screen "Switched to account $AINO." "and switches to a signed-in one"
ui_stop

# --- The CLI after a 429: how long to wait ------------------------------
code=$(sim_control /sim/fault \
    "{\"count\":1,\"status\":429,\"path\":\"/api/auth/token\"}")
[ "$code" = 200 ] || fail "fault 429: HTTP $code"
printf 'x\n' | bz login --email "$AINO" --password-stdin \
    >/dev/null 2>"$E2E_TMP/err"
grep -qF "wait 1 s, then try again" "$E2E_TMP/err" &&
    pass "a 429 says how long to wait" ||
    fail "429 advice: $(cat "$E2E_TMP/err")"

# --- A switch still running: "Switching to …", never a false state ------
kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null
exec 7<&-
rm -f "$E2E_TMP/sim.out"
sim_start --latency-ms 1500
login "$AINO" demo-aino-2025
ui_run 100 30 "--account $AINO"
ui_keys 1
expect_screen "Receipts  " "receipts load under latency" 20
ui_keys r
e2e_sleep 2.5
ui_keys c
expect_screen "Switch company" "the picker opens under latency" 10
ui_text Kahvila
ui_keys Enter
expect_screen "Switching to Kahvila Äimä Oy…" "the switch is announced"
if ui_screen | sed -n 5p | grep -qF "Switching to Kahvila Äimä Oy…"; then
    pass "the view itself says that the switch runs"
else
    fail "the view does not say that the switch runs:"
    ui_screen >&2
fi
if ui_screen | sed -n 3p | grep -q "Receipts  [0-9]"; then
    fail "a row count shows while switching: $(ui_screen | sed -n 3p)"
else
    pass "no row count while switching"
fi
expect_no_screen "Nothing here" "no false empty state while switching"
expect_screen "Switched to Kahvila Äimä Oy." "the switch ends" 20
ui_stop

e2e_finish
