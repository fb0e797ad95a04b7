#!/usr/bin/env bash
# The forms and messages of the UI in tmux: editing inside a field, keys
# that are not built yet (and `a`, which is), a server failure said once,
# re-login as another account, the password field closed to typing during
# the wait after a wrong password, a sign-in form locked while it runs (slow
# server), the login prompt's Ctrl-C and Ctrl-D, and --demo cleaning up
# after a killed run.
BIN_DIR=$1
ASSETS=$2
. "$(dirname "$0")/lib.sh"

AINO=aino.harkonen@demo.bezala.test
AINO_PW=demo-aino-2025
PEKKA=pekka.vaisanen@demo.bezala.test
PEKKA_PW=demo-pekka-2025

ui_stop() {
    tmux -S "$E2E_SOCKET" kill-session -t ui 2>/dev/null
    sleep 0.2
}

sim_stop() {
    kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null
    SIM_PID=
    exec 7<&-
    rm -f "$E2E_TMP/sim.out"
}

ui_bezala() {
    ui_start 100 30 "$BIN_DIR/bezala --server $SIM_URL --cacert $CACERT \
        --home $E2E_HOME"
}

# --- Editing inside a field, help, keys not built yet, messages ---------
sim_start
ui_bezala
expect_screen "Sign in to $SIM_URL" "sign-in screen"
ui_keys F1
expect_screen "Enter signs in; Esc quits" "F1 opens the forms' help"
ui_keys Escape
expect_gone "Enter signs in; Esc quits" "any other key closes it"
ui_text "?"
expect_screen "Email         ?" "? is typed into the field, not the help"
ui_keys BSpace
# A typo fixed in the middle: "tst" -> "test", the first letter replaced.
ui_text "xino.harkonen@demo.bezala.tst"
ui_keys Left Left
ui_text e
ui_keys Home Delete
ui_text a
ui_keys End
ui_text Q
ui_keys BSpace
expect_screen "$AINO" "Left, Home, Delete, End and Backspace edit the email"
# Typed afresh, so that what follows does not hang on the editing.
ui_keys C-u
ui_text "$AINO"
ui_keys Tab
ui_text "$AINO_PW"
ui_keys Enter
expect_screen "Signed in as $AINO." "signed in"
ui_keys 7
expect_screen "Users and roles  2" "users of the first company"

ui_keys ?
expect_screen "Ctrl-L" "help lists the keys that work"
expect_screen "switch account, or add one" "help lists the account switcher"
expect_screen "wheel scrolls" "with the mouse on, help has the mouse line"
expect_screen "command line: Tab completes" "help lists the command line"
ui_keys Escape
ui_keys a
expect_screen "Switch account" "a opens the account switcher"
ui_keys Escape
ui_keys /
expect_screen "filter “”" "/ opens the filter"
ui_keys Escape
expect_screen "Filter cleared." "Esc closes the filter"
ui_keys :
ui_text bogus
expect_screen " :bogus" ": opens the command line"
ui_keys Escape
expect_gone " :bogus" "Esc closes the command line"
ui_keys Enter
expect_screen "Detail" "Enter opens the row's detail"
ui_keys Escape
expect_gone "Esc close" "Esc closes the detail"

code=$(sim_control /sim/fault '{"status":500,"count":3}')
[ "$code" = 200 ] || fail "fault injection answered $code"
ui_keys r
expect_screen "Injected fault." "a server failure is shown"
expect_no_screen "server failure: server failure" "the status is not doubled"
expect_no_screen "ailure: Server failure" "nor in another case"
expect_no_screen "fault.." "the message ends in one full stop"
sim_control /sim/fault '{"status":500,"count":0}' >/dev/null

# --- Re-login as another account ------------------------------------------
calls=$(api_calls)
ui_keys r
# The rows shown are those from before the refresh: the revoke must wait
# for the refresh's two calls (home, users), or one of them opens the
# re-login form before the r below, which then lands in its password.
wait_calls_above $((calls + 1)) || fail "the refresh asked no home and users"
expect_gone "loading…" "the refresh has ended"
expect_screen "Users and roles  2" "the view loads again after the fault"
code=$(sim_control /sim/revoke "{\"email\":\"$AINO\"}")
[ "$code" = 200 ] || fail "revoke answered $code"
ui_keys r
expect_screen "Session expired: sign in again" "re-login over the view"
# Each step is seen on screen before the next: under valgrind, this burst
# of keys once ended in a wrong password, and these checks name the step
# that lost a key if that happens again.
ui_keys BTab C-u
ui_text "$PEKKA"
expect_screen "Email         $PEKKA" "the other account's email is typed"
ui_keys Tab
ui_text "$PEKKA_PW"
expect_screen "Password      $(printf '•%.0s' $(seq ${#PEKKA_PW}))" \
    "every character of the password reached the field"
ui_keys Enter
expect_screen "Signed in as $PEKKA." "the message names the new account"
expect_screen " $PEKKA" "the status line shows the new account"
expect_screen "Pohjolan Sähkö ja Lämpö Oy" "his active company is shown"
expect_screen "Users and roles  8" "the users of his company, same view kind"
expect_no_screen "held request" "no message about a dropped request"
expect_no_screen "Nothing here" "the view is not left empty"
expect_no_screen "Mikko Lehtinen" "nothing of the old account stays"
ui_keys 1
expect_screen "Receipts  " "his receipts load"
expect_no_screen "Tilitoimisto" "the old company is gone"
ui_keys q
expect_screen "[exited 0]" "q quits"
ui_stop
sim_stop

# --- The wait after a wrong password: the password field takes no typing --
# A user who retypes the password and presses Enter while the wait runs
# must not find those keys in the field (and sent) afterwards.
sim_start
rm -rf "$E2E_HOME"
ui_bezala
expect_screen "Sign in to $SIM_URL" "sign-in screen (wait)"
ui_text "$AINO"
ui_keys Tab
ui_text "bad"
ui_keys Enter
expect_screen "Wait 1 s before trying again." "a wrong password starts a wait"
for i in 1 2 3; do
    ui_text "bad"
    ui_keys Enter
done
expect_screen "waiting 1 s" "the password field says that it waits"
expect_no_screen "Signing in" "Enter during the wait sends nothing"
for ((i = 0; i < 30 * E2E_SLOW; i++)); do
    ui_screen | grep -qF "Wait " || break
    sleep 0.1
done
expect_no_screen "waiting" "the wait ends"
expect_screen "Email         $AINO" "the email is kept"
ui_text "$AINO_PW"
ui_keys Enter
expect_screen "Signed in as $AINO." "the right password after the wait signs in"
ui_keys q
expect_screen "[exited 0]" "q quits"
ui_stop
sim_stop

# --- A slow server: the form is locked while the sign-in runs -------------
sim_start --latency-ms 1500
rm -rf "$E2E_HOME"
ui_bezala
expect_screen "Sign in to $SIM_URL" "sign-in screen (slow server)"
ui_text "$AINO"
ui_keys Tab
ui_text "$AINO_PW"
ui_keys Enter
expect_screen "Signing in" "sign-in in progress"
ui_keys Escape
expect_screen "Sign-in cancelled." "Esc cancels the running sign-in"
expect_no_screen "[exited" "Esc while signing in does not quit"
e2e_sleep 2
expect_no_screen "Signed in as" "the cancelled sign-in did not sign in"
ui_text "$AINO_PW"
ui_keys Enter
expect_screen "Signing in" "second sign-in in progress"
ui_keys BTab
ui_text XYZ
ui_keys C-u
ui_text "junk@example.test"
e2e_sleep 0.3
expect_no_screen "XYZ" "typed keys do not reach the fields"
expect_screen "Signed in as $AINO." "the message names the email sent" 15
expect_no_screen "junk@example.test" "not the text typed meanwhile"
ui_keys q
expect_screen "[exited 0]" "q quits (slow server)"
ui_stop

# --- The login prompt: Ctrl-C and Ctrl-D -----------------------------------
# run_prompt NAME: a login that asks for the password on the terminal;
# writes the exit status and the terminal's echo flag to NAME.result.
run_prompt() {
    cat >"$E2E_TMP/$1.sh" <<EOF
${BEZALA_TEST_WRAP:-} "$BIN_DIR/bezala" --server "$SIM_URL" \
    --cacert "$CACERT" --home "$E2E_HOME" login --email "$AINO"
rc=\$?
echo "rc=\$rc" >"$E2E_TMP/$1.result"
stty -a | tr ' ;' '\n\n' | grep -x -e echo -e -echo >>"$E2E_TMP/$1.result"
exit \$rc
EOF
    ui_start 100 10 "bash $E2E_TMP/$1.sh"
}

run_prompt interrupt
expect_screen "Password:" "the password prompt"
ui_keys C-c
expect_screen "[exited 130]" "Ctrl-C at the prompt exits 130"
grep -qx 'rc=130' "$E2E_TMP/interrupt.result" 2>/dev/null &&
    grep -qx 'echo' "$E2E_TMP/interrupt.result" &&
    pass "the terminal echoes again after Ctrl-C" ||
    fail "after Ctrl-C: $(cat "$E2E_TMP/interrupt.result" 2>&1)"
ui_stop

run_prompt eof
expect_screen "Password:" "the password prompt again"
ui_keys C-d
expect_screen "no password given" "Ctrl-D says no password was given"
expect_screen "[exited 1]" "Ctrl-D at the prompt exits 1"
grep -qx 'echo' "$E2E_TMP/eof.result" 2>/dev/null &&
    pass "the terminal echoes again after Ctrl-D" ||
    fail "after Ctrl-D: $(cat "$E2E_TMP/eof.result" 2>&1)"
ui_stop
sim_stop

# --- The subcommands' input checks and messages -------------------------
sim_start
rm -rf "$E2E_HOME"
# err_has TEXT DESCRIPTION: the last command's stderr holds TEXT.
err_has() {
    grep -qF -- "$1" "$E2E_TMP/err" && pass "$2" ||
        fail "$2: stderr was: $(cat "$E2E_TMP/err")"
}
out_has() {
    grep -qF -- "$1" "$E2E_TMP/out" && pass "$2" ||
        fail "$2: stdout was: $(cat "$E2E_TMP/out")"
}
login() {
    printf '%s\n' "$2" | bz login --email "$1" --password-stdin
}
STATES="draft, reviewing, unapproved, queue, accounting, accounted"

expect_exit 0 "sign in for the checks" -- login "$AINO" "$AINO_PW"
for state in bogus ACCOUNTED ''; do
    expect_exit 2 "receipts --state '$state' is a usage error" -- \
        bz receipts --state "$state"
    err_has "$STATES" "the message lists the valid states"
done
expect_exit 0 "receipts --state accounted is valid" -- \
    bz receipts --state accounted --limit 1
expect_exit 2 "switch '' is a usage error" -- bz switch ''
err_has "a company id or name is needed" "switch '' says what is needed"
expect_exit 2 "login --email '' is a usage error" -- \
    bz login --email '' --password-stdin
err_has "an email address is needed" "the message asks for an email"
expect_exit 2 "empty standard input is a usage error" -- \
    bz login --email "$AINO" --password-stdin
err_has "no password on standard input" "the message names standard input"

for url in "https://user:pw@127.0.0.1:1" "https://127.0.0.1:99999" \
    "https://127.0.0.1:1/?q=1" "https://127.0.0.1:1/#frag" \
    "https://127.0.0.1:1/api"; do
    expect_exit 2 "server $url refused" -- \
        "$BIN_DIR/bezala" --server "$url" --home "$E2E_HOME" whoami
    err_has "server URL" "the refusal of $url says what is wrong"
    grep -q '^bezala: usage error' "$E2E_TMP/err" &&
        fail "a bare usage error for $url" || pass "no bare text for $url"
done

# Server text with a right-to-left override and an escape sequence: the
# active company's name as /api/home publishes it.
evil=$(python3 - "$ASSETS/demo/data.json" "$AINO" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
user = [u for u in data["users"] if u["email"] == sys.argv[2]][0]
names = {c["id"]: c["name"] for c in data["companies"]}
names[318] = "Evil\u202eyO\u001b[2J"
ships = [dict(m, company_name=names.get(m["company_id"]))
         for m in data["memberships"] if m["user_id"] == user["id"]]
company = [c for c in data["companies"] if c["id"] == 101][0]
home = {"user": {"id": user["id"], "name": user["name"],
                 "email": user["email"], "company_id": 101,
                 "memberships": ships},
        "company": company, "accounts": [], "currencies": [], "vats": [],
        "vehicles": [], "vendors": []}
print(json.dumps({"status": 200, "path": "/api/home", "count": 1,
                  "json": home}))
PY
)
code=$(sim_control /sim/fault "$evil")
[ "$code" = 200 ] || fail "fault with a home answered $code"
expect_exit 0 "switch to a company whose name is hostile" -- bz switch 318
grep -q $'\xe2\x80\xae\|\x1b' "$E2E_TMP/out" "$E2E_TMP/err" &&
    fail "switch printed a bidi override or an escape" ||
    pass "switch output carries no bidi override or escape"
out_has "Evil?yO?[2J" "the hostile characters are shown as '?'"
evil=$(python3 -c 'import json,sys
print(json.dumps({"status": 200, "path": "/api/users", "count": 1,
    "json": [{"id": 1, "name": "Mallory\u2066\u202e", "roles": ["employee"],
              "email": "m\u200f@example.test", "state": "accepted",
              "last_sign_in_at": None}]}))')
code=$(sim_control /sim/fault "$evil")
[ "$code" = 200 ] || fail "fault with users answered $code"
expect_exit 0 "users whose names hold bidi controls" -- bz users
out_has "Mallory??" "bidi isolates and overrides become '?'"
out_has "m?@example.test" "a right-to-left mark becomes '?'"

# Not signed in: the message names the account and the way back.
expect_exit 0 "a second account" -- login "$PEKKA" "$PEKKA_PW"
expect_exit 0 "logout of the current one" -- bz logout --account "$PEKKA"
expect_exit 3 "whoami as the signed-out account" -- \
    bz --account "$PEKKA" whoami
err_has "bezala login --email $PEKKA" "says how to sign that account in"
err_has "--account EMAIL (see \`bezala accounts\`)" "mentions the others"
changed=$(sqlite3 "$E2E_HOME/bezala.db" "UPDATE tokens
    SET nonce = zeroblob(24) WHERE account_id =
    (SELECT id FROM accounts WHERE email = '$AINO'
     AND server = '$SIM_URL'); SELECT changes();")
[ "$changed" = 1 ] || fail "tampering changed '$changed' tokens"
expect_exit 3 "an unreadable token" -- bz --account "$AINO" whoami
err_has "could not be read" "says the token could not be read"
err_has "bezala login --email $AINO" "names the account to sign in again"
sim_stop

# --- --demo removes the home of a demo run that was killed -----------------
RUN=$E2E_TMP/run
mkdir -m 700 "$RUN"
dead=$(sh -c 'echo $$')
mkdir -m 700 "$RUN/bezala-demo-dead01" "$RUN/bezala-demo-live01" \
    "$RUN/bezala-demo-nomark" "$E2E_TMP/elsewhere"
echo "$dead" >"$RUN/bezala-demo-dead01/owner.pid"
touch "$RUN/bezala-demo-dead01/bezala.db" "$RUN/bezala-demo-dead01/key"
echo $$ >"$RUN/bezala-demo-live01/owner.pid"
echo "$dead" >"$E2E_TMP/elsewhere/owner.pid"
ln -s "$E2E_TMP/elsewhere" "$RUN/bezala-demo-linked"
ln -s "$E2E_TMP/elsewhere/owner.pid" "$RUN/bezala-demo-nomark/owner.pid"

ui_start 100 30 "XDG_RUNTIME_DIR=$RUN $BIN_DIR/bezala --demo"
expect_screen "Demo accounts" "--demo starts"
[ ! -e "$RUN/bezala-demo-dead01" ] &&
    pass "the home of a dead demo run is removed" ||
    fail "the home of a dead demo run is still there"
[ -d "$RUN/bezala-demo-live01" ] && pass "a running demo's home stays" ||
    fail "a running demo's home was removed"
[ -d "$RUN/bezala-demo-nomark" ] && [ -e "$E2E_TMP/elsewhere/owner.pid" ] &&
    pass "a home without its own marker stays" ||
    fail "a home whose marker is a link was removed"
[ -L "$RUN/bezala-demo-linked" ] && [ -d "$E2E_TMP/elsewhere" ] &&
    pass "a link is neither followed nor removed" ||
    fail "the linked directory was touched"

client=$(ui_client)
home=$(grep -lx "${client:-none}" "$RUN"/bezala-demo-*/owner.pid 2>/dev/null |
    head -n 1)
home=${home%/owner.pid}
[ -n "$home" ] && [ -d "$home" ] && pass "the demo home names its owner" ||
    fail "no demo home with the owner pid ${client:-?}"
[ -n "$client" ] && kill_hard "$client"
expect_screen "[exited 137]" "the demo client was killed"
ui_stop
[ -n "$home" ] && [ -d "$home" ] && pass "the killed run left its home" ||
    fail "the killed run's home vanished by itself"

ui_start 100 30 "XDG_RUNTIME_DIR=$RUN $BIN_DIR/bezala --demo"
expect_screen "Demo accounts" "--demo starts again"
[ -n "$home" ] && [ ! -e "$home" ] &&
    pass "the next --demo removes the killed run's home" ||
    fail "the killed run's home is still there: $home"
ui_keys Escape
expect_screen "[exited 0]" "Esc quits the demo"
ui_stop
[ "$(find "$RUN" -maxdepth 1 -name 'bezala-demo-*' | wc -l)" = 3 ] &&
    pass "the demo removes its own home on quit" ||
    fail "demo homes left: $(ls "$RUN")"

e2e_finish
