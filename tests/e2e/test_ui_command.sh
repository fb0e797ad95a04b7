#!/usr/bin/env bash
# The command line of the full-screen UI (":"): Tab completes commands and
# their arguments (company names with ä and ö, any case), Enter runs them
# as their keys do, Esc cancels, Up walks the history, a bad command says
# so on one line, and :q quits with the terminal restored.
BIN_DIR=$1
ASSETS=$2
. "$(dirname "$0")/lib.sh"

EMAIL=aino.harkonen@demo.bezala.test
PASSWORD=demo-aino-2025
PEKKA=pekka.vaisanen@demo.bezala.test
PEKKA_PASSWORD=demo-pekka-2025
ROWS=30

# server_company: the id of the company the server has active for aino.
server_company() {
    bz whoami --json >"$E2E_TMP/out" 2>/dev/null
    json 'd["company"]["id"]'
}

# bottom_row: the prompt's row, as shown.
bottom_row() {
    ui_screen | sed -n "${ROWS}p"
}

# expect_prompt TEXT DESCRIPTION: the bottom row reads " :TEXT" (blanks
# at the end do not count).
expect_prompt() {
    local want=" :$1" got i
    for ((i = 0; i < 50 * E2E_SLOW; i++)); do
        got=$(bottom_row | sed 's/ *$//')
        [ "$got" = "${want% }" ] && break
        sleep 0.1
    done
    if [ "$got" = "${want% }" ]; then
        pass "$2"
    else
        fail "$2: the prompt reads '$got', want '${want% }'"
        ui_screen >&2
    fi
}

# command TEXT: opens the command line and types TEXT (no Enter).
command() {
    ui_keys :
    expect_prompt "" "':' opens the command line for '$1'"
    ui_text "$1"
}

sim_start
# Pekka first, so that aino, signed in last, is the account the UI opens.
login "$PEKKA" "$PEKKA_PASSWORD" >/dev/null 2>&1 || fail "login $PEKKA"
login "$EMAIL" "$PASSWORD" >/dev/null 2>&1 || fail "login"
check "the server starts on aino's first company" "$(server_company)" 101

ui_start 120 "$ROWS" "$BIN_DIR/bezala --server $SIM_URL --cacert $CACERT \
    --home $E2E_HOME"
expect_screen "Receipts  " "the main view is up" 15
expect_status_line "Tilitoimisto Härkönen Oy" "the first company is active"
expect_screen "q quit  : command" "the key line offers the command line last"

# A command's name completes with a space after it.
command sw
ui_keys Tab
expect_prompt "switch " "sw<Tab> completes to 'switch '"

# Tab after switch lists the companies above the prompt.
ui_keys Tab
expect_row $((ROWS - 1)) "Tilitoimisto Härkönen Oy  Kahvila Äimä Oy" \
    "switch <Tab> lists the companies by name"
expect_row $((ROWS - 1)) "Pohjolan Sähkö ja Lämpö Oy" \
    "the third company is listed too"
expect_prompt "switch " "listing the companies leaves the line as it was"

# Tab again cycles through them, in place of the word.
ui_keys Tab
expect_prompt "switch Tilitoimisto Härkönen Oy" "Tab again puts in the first"
ui_keys Tab
expect_prompt "switch Kahvila Äimä Oy" "Tab once more puts in the second"
ui_keys Escape
expect_gone "Kahvila Äimä Oy  " "Esc closes the line and its list"
check "Esc did not switch" "$(server_company)" 101
expect_status_line "Tilitoimisto Härkönen Oy" "Esc ran nothing"

# Lower case with ä completes the name written with Ä; Enter switches
# through the picker's asynchronous path.
command "switch kahvila ä"
ui_keys Tab
expect_prompt "switch Kahvila Äimä Oy " "a lower-case ä completes 'Äimä'"
ui_keys Enter
expect_screen "Switched to Kahvila Äimä Oy." "Enter switches the company"
expect_status_line "Kahvila Äimä Oy" "the status line shows the new company"
check "the server's active company is now 205" "$(server_company)" 205

# Upper case and ö, with a unique prefix given by id.
command "switch POHJOLAN SÄHK"
ui_keys Tab
expect_prompt "switch Pohjolan Sähkö ja Lämpö Oy " \
    "upper-case 'SÄHK' completes 'Sähkö'"
ui_keys C-u
ui_text "switch 31"
ui_keys Tab
expect_prompt "switch 318 " "a digit completes the company's id"
ui_keys Escape

# account: the stored emails complete, any case; the one in use says so.
command "account AINO"
ui_keys Tab
expect_prompt "account $EMAIL " "account completes the stored email"
ui_keys Enter
expect_screen "Already using $EMAIL." "the account in use says so"
command "account nobody"
ui_keys Enter
expect_screen "No stored account matches 'nobody': Tab lists them." \
    "an unknown account: one line"
command "account demo.bezala"
ui_keys Enter
expect_screen "'demo.bezala' matches several accounts:" \
    "a part of several emails: one line naming them"
e2e_sleep 0.5
expect_status_line "$EMAIL" "and no switch to the first of them"

# A part that matches several companies: one line naming them.
command "switch oy"
ui_keys Enter
expect_screen "matches several companies" "an ambiguous part names the matches"
expect_status_line "Kahvila Äimä Oy" "an ambiguous switch changes nothing"

# Views by name: "view trips", and the view's name alone.
command "view tr"
ui_keys Tab
expect_prompt "view trips " "view tr<Tab> completes the view's name"
ui_keys Enter
expect_re "^ Trips  [0-9]" "view trips shows the trips"
command rece
ui_keys Tab
expect_prompt "receipts " "a view's name is a command too"
ui_keys Enter
expect_re "^ Receipts  [0-9]" "receipts shows the receipts"

# filter keeps a filter as "/", typing and Enter do; alone it clears it.
command "filter öhman"
ui_keys Enter
expect_re "^ Receipts  [0-9]+ of 47  filter “öhman”" "filter narrows the rows"
expect_screen "Jussi Öhman" "the rows that match stay"
expect_no_screen "Sanna Äimälä" "the others go"
command filter
ui_keys Enter
expect_screen "Filter cleared." "filter alone clears the filter"
expect_re "^ Receipts  47" "every row is back"
command trips
ui_keys Enter
expect_re "^ Trips  [0-9]" "trips shows the trips"

# sort and filter do what their keys do.
command "sort amo"
ui_keys Tab
expect_prompt "sort amount " "sort completes the view's columns"
ui_keys Enter
expect_screen "Sorted by Amount" "sort amount sorts as a click on the header"

# refresh asks the server again.
e2e_sleep 1
before=$(api_calls)
command refresh
ui_keys Enter
if wait_calls_above "$before"; then
    pass "refresh asks the server (api_calls grew past $before)"
else
    fail "refresh made no call to the sim (api_calls stays $before)"
fi

# An unknown command: one line, and the UI goes on.
command bogus
ui_keys Enter
expect_screen "unknown command 'bogus': Tab lists the commands" \
    "an unknown command says so"
ui_keys 1
expect_re "^ Receipts  [0-9]" "the keys work after an unknown command"

# Tab on an empty line lists the commands, with "…" for those that do not
# fit.
ui_keys :
ui_keys Tab
expect_row $((ROWS - 1)) "switch  account  view  export" \
    "Tab on an empty line lists the commands"
if ui_screen | sed -n "$((ROWS - 1))p" | grep -q '…'; then
    pass "the commands that do not fit end in …"
else
    fail "no … after the commands shown; screen was:"
    ui_screen >&2
fi

# Up walks back through this run's commands; Down comes back.
ui_keys Up
expect_prompt "bogus" "Up shows the last command"
ui_keys Up
expect_prompt "refresh" "Up again the one before"
ui_keys Down
expect_prompt "bogus" "Down comes back"
ui_keys Down
expect_prompt "" "Down again: the empty line"

# Backspace on an empty line closes it; Esc closes it without running.
ui_keys BSpace
expect_screen "q quit" "Backspace on the empty line closes it"
command quit
ui_keys Escape
e2e_sleep 1
expect_no_screen "[exited" "Esc does not run the quit"
expect_screen "q quit" "the key line is back after Esc"

# The help lists the commands.
command help
ui_keys Enter
expect_screen "this help" "help opens the help"
for ((i = 0; i < 20; i++)); do
    ui_screen | grep -q "switch COMPANY" && break
    ui_keys NPage
    e2e_sleep 0.2
done
expect_screen "switch COMPANY" "the help lists the commands"
ui_keys Escape
expect_gone "this help" "the help closes"

# account switches to another stored account as the switcher does.
command "account pek"
ui_keys Tab
expect_prompt "account $PEKKA " "account completes the other email"
ui_keys Enter
expect_status_line "$PEKKA" "account switches to the other account"
expect_status_line "Pohjolan Sähkö ja Lämpö Oy" "with that account's company"

# :q quits, and the terminal is itself again.
tty=$(tmux -S "$E2E_SOCKET" display-message -p -t ui '#{pane_tty}')
command q
ui_keys Enter
expect_screen "[exited 0]" ":q quits"
expect_no_screen "Receipts" "the UI's screen is gone"
modes=$(stty -a -F "$tty" 2>/dev/null | tr ' ;' '\n\n' |
    grep -xE -- '-?(icanon|echo)' | tr '\n' ' ')
check "the terminal is back in canonical mode with echo" "$modes" \
    "icanon echo "
e2e_finish
