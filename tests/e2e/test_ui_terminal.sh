#!/usr/bin/env bash
# The terminal around the UI: a terminal that cannot place the cursor is
# refused with a message, a locale that is not UTF-8 gets a plain ASCII
# screen and a word on why, storms of resizes on every screen leave the
# UI running and drawing (under ASan too, when the sanitizer build runs
# this script), and SIGINT, SIGTERM and SIGHUP end it with the terminal
# restored.
BIN_DIR=$1
ASSETS=$2
. "$(dirname "$0")/lib.sh"

EMAIL=aino.harkonen@demo.bezala.test
ERR=$E2E_TMP/ui.err

sim_start
echo demo-aino-2025 | bz login --email "$EMAIL" --password-stdin \
    >/dev/null 2>&1 || fail "login"
UI="$BIN_DIR/bezala --server $SIM_URL --cacert $CACERT --home $E2E_HOME"

# The UI in its own window, its standard error kept apart; after it ends
# the window shows its exit status and whether the terminal is back in
# canonical mode with echo.
ui_run() { # cols rows environment...
    local cols=$1 rows=$2
    shift 2
    ui_new_socket
    tmux -S "$E2E_SOCKET" -f /dev/null new-session -d -s ui \
        -x "$cols" -y "$rows" \
        "env $* $(ui_wrap "$UI") 2>$ERR; echo \"[exited \$?]\"; \
         stty -a | tr ' ;' '\n\n' | grep -xE -- '-?(icanon|echo)' | \
         tr '\n' ' '; echo '[tty]'; sleep 30"
}

ui_pid() {
    local shell
    shell=$(tmux -S "$E2E_SOCKET" list-panes -t ui -F '#{pane_pid}')
    ps -o pid= --ppid "$shell" | tr -d ' ' | head -1
}

ui_end() {
    tmux -S "$E2E_SOCKET" kill-session -t ui 2>/dev/null
}

# A terminal without cursor addressing.
ui_run 80 10 TERM=dumb LANG=C.UTF-8 LC_ALL=C.UTF-8
expect_screen "[exited 2]" "TERM=dumb: the UI does not start (usage, 2)"
if grep -qF "cannot show the full-screen UI" "$ERR" &&
    grep -qF "TERM=dumb" "$ERR"; then
    pass "TERM=dumb: the message names the terminal and what to do"
else
    fail "TERM=dumb message: $(cat "$ERR")"
fi
ui_end

# A locale that is not UTF-8: ASCII look-alikes, never raw UTF-8 bytes.
ui_run 110 12 LANG=C LC_ALL=C
expect_screen "Tilitoimisto Harkonen Oy" "LANG=C: accented names show plain"
expect_screen "not UTF-8" "LANG=C: the UI says why"
if ui_screen | LC_ALL=C grep -q '[^ -~]'; then
    fail "LANG=C: bytes outside ASCII on the screen"
else
    pass "LANG=C: the screen is ASCII"
fi
ui_keys q
expect_screen "[exited 0]" "LANG=C: q quits"
ui_end

# Resize storms on every screen; sizes include 10x3 and 1x1.
SIZES=(80x24 10x3 200x60 1x1 33x7 120x40 20x6 161x9 10x3 100x30)
storm() { # what
    local i size
    for i in $(seq 3); do
        for size in "${SIZES[@]}"; do
            ui_resize "${size%x*}" "${size#*x}"
        done
    done
    ui_resize 100 30
    if [ -n "$(ui_pid)" ]; then
        pass "resize storm on $1: still running"
    else
        fail "resize storm on $1: the UI ended; $(cat "$ERR")"
    fi
}
ui_run 100 30 LANG=C.UTF-8 LC_ALL=C.UTF-8
expect_screen "Receipts" "the main screen is up"
storm "the list"
expect_status_line "Tilitoimisto Härkönen Oy" "the list redraws after the storm"
ui_keys Enter
expect_screen "Detail" "the detail opens"
storm "the detail"
ui_keys Escape
ui_keys c
expect_screen "Switch company" "the picker opens"
storm "the company picker"
ui_keys Escape
ui_keys '?'
e2e_sleep 0.3
storm "the help"
ui_keys Escape
ui_keys e
expect_screen "Export CSV to:" "the export prompt opens"
storm "the export prompt"
ui_keys Escape
ui_keys a
e2e_sleep 0.3
storm "the account switcher"
ui_keys Escape
ui_keys /
ui_text "kahvi"
storm "the filter"
ui_keys Escape
expect_status_line "Tilitoimisto Härkönen Oy" "the main screen is whole after every storm"
if [ -s "$ERR" ]; then
    fail "the UI wrote to standard error: $(head -c 2000 "$ERR")"
else
    pass "nothing on standard error (no sanitizer report)"
fi
ui_end

# Signals end the UI with the terminal restored.
for sig in INT TERM HUP; do
    ui_run 100 20 LANG=C.UTF-8 LC_ALL=C.UTF-8
    expect_screen "Receipts" "SIG$sig: the UI is up"
    pid=$(ui_pid)
    if [ -z "$pid" ]; then
        fail "SIG$sig: no UI process"
        ui_end
        continue
    fi
    kill -s "$sig" "$pid"
    code=$((128 + $(kill -l "$sig")))
    expect_screen "[exited $code]" "SIG$sig ends the UI ($code)"
    expect_screen "icanon echo [tty]" "SIG$sig: the terminal is restored"
    expect_no_screen "Receipts" "SIG$sig: the UI's screen is gone"
    ui_end
done

e2e_finish
