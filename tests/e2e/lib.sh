# Shared helpers for the end-to-end scripts: a private bezala-sim on a free
# loopback port, a fresh home, and the real binary driven in tmux.
# Each script sources this file with BIN_DIR and ASSETS set.

set -u

# Without the binaries every check would wait out its time limit.
for bin in bezala bezala-sim; do
    if [ ! -x "$BIN_DIR/$bin" ]; then
        echo "FAIL: $BIN_DIR/$bin is not built" >&2
        echo "0 passed, 1 failed"
        exit 1
    fi
done

E2E_TMP=$(mktemp -d /tmp/bezala-e2e.XXXXXX)
E2E_HOME=$E2E_TMP/home
E2E_SOCKET=$E2E_TMP/tmux.0.sock
E2E_SOCKETS=0
SIM_PID=
SIM_URL=
UI_PID=
CACERT=$ASSETS/demo/certs/ca.pem
failures=0
passes=0
# BEZALA_TEST_SLOW=N (a whole number, default 1) multiplies every wait
# limit below, the scripts' own wait loops and their fixed pauses
# (e2e_sleep), for a run that is N times slower, such as under valgrind.
E2E_SLOW=${BEZALA_TEST_SLOW:-1}
case "$E2E_SLOW" in
'' | *[!0-9]* | 0) echo "BEZALA_TEST_SLOW must be a whole number" >&2
    exit 1 ;;
esac

e2e_cleanup() {
    local socket
    for socket in "$E2E_TMP"/tmux.*.sock; do
        [ -S "$socket" ] && tmux -S "$socket" kill-server 2>/dev/null
    done
    ui_wait_gone
    [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null &&
        wait "$SIM_PID" 2>/dev/null
    rm -rf "$E2E_TMP"
}
trap e2e_cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

pass() {
    echo "ok: $*"
    passes=$((passes + 1))
}

# Starts the demo server with the bundled data; sets SIM_URL.
sim_start() {
    local fifo=$E2E_TMP/sim.out line
    mkfifo "$fifo"
    "$BIN_DIR/bezala-sim" --port 0 --data "$ASSETS/demo" \
        --cert "$ASSETS/demo/certs/server.pem" \
        --key "$ASSETS/demo/certs/server-key.pem" "$@" \
        >"$fifo" 2>"$E2E_TMP/sim.err" &
    SIM_PID=$!
    exec 7<"$fifo"
    if ! read -r -t 10 line <&7; then
        echo "sim did not start: $(cat "$E2E_TMP/sim.err")" >&2
        exit 1
    fi
    SIM_URL=${line#listening on }
    case "$SIM_URL" in
    https://127.0.0.1:*) ;;
    *) echo "unexpected sim line: $line" >&2; exit 1 ;;
    esac
}

# POSTs a JSON body to one of the sim's control endpoints (loopback only).
sim_control() {
    curl -sS --cacert "$CACERT" -o /dev/null -w '%{http_code}' \
        -H 'Content-Type: application/json' -d "$2" "$SIM_URL$1"
}

# api_calls [URL]: the /api/ calls the sim at URL (default: the private
# sim) has received.
api_calls() {
    curl -sS --cacert "$CACERT" -d '{}' "${1:-$SIM_URL}/sim/stats" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["api_calls"])'
}

# wait_calls_above N: waits until the private sim has had more than N
# /api/ calls; false when it has not within 10 s (stretched as the waits).
wait_calls_above() {
    local i
    for ((i = 0; i < 100 * E2E_SLOW; i++)); do
        [ "$(api_calls)" -gt "$1" ] && return 0
        sleep 0.1
    done
    return 1
}

# Runs the bezala CLI against the private sim and home.
bz() {
    "$BIN_DIR/bezala" --server "$SIM_URL" --cacert "$CACERT" \
        --home "$E2E_HOME" "$@"
}

# expect_exit CODE DESCRIPTION -- COMMAND...: runs it, checks the status.
expect_exit() {
    local want=$1 what=$2 got
    shift 3
    "$@" >"$E2E_TMP/out" 2>"$E2E_TMP/err" </dev/null
    got=$?
    if [ "$got" -eq "$want" ]; then
        pass "$what (exit $got)"
    else
        fail "$what: exit $got, want $want; stderr: $(cat "$E2E_TMP/err")"
    fi
}

# e2e_sleep SECONDS: a fixed pause, BEZALA_TEST_SLOW times longer.
e2e_sleep() {
    local times=() i
    for ((i = 0; i < E2E_SLOW; i++)); do
        times+=("$1")
    done
    sleep "${times[@]}"
}

# ui_wrap COMMAND: the shell command line with every run of
# $BIN_DIR/bezala put under $BEZALA_TEST_WRAP, when that is set.
ui_wrap() {
    local cmd="$* "
    if [ -n "${BEZALA_TEST_WRAP:-}" ]; then
        cmd=${cmd//"$BIN_DIR/bezala "/"$BEZALA_TEST_WRAP $BIN_DIR/bezala "}
    fi
    printf '%s\n' "$cmd"
}

# ui_client: the pid of the program that ui_start runs (bezala, or the
# wrapper that runs bezala in the same process); empty when it has ended.
ui_client() {
    local shell
    shell=$(tmux -S "$E2E_SOCKET" display-message -p -t ui '#{pane_pid}' \
        2>/dev/null)
    [ -n "$shell" ] && pgrep -P "$shell" | head -n 1
}

# A wrapped run killed with its window (SIGHUP) takes a while to write its
# report; ui_start and the clean-up wait for it (at most a minute), so
# that two runs on one home never overlap and every report is whole.
ui_wait_gone() {
    local i
    for ((i = 0; i < 600 && ${UI_PID:-0} > 0; i++)); do
        kill -0 "$UI_PID" 2>/dev/null || break
        sleep 0.1
    done
    UI_PID=
}

# A tmux server of its own for the next window: a server told to end
# may still accept a client on its socket and then drop it ("server
# exited unexpectedly"), so a socket is never used twice.
ui_new_socket() {
    E2E_SOCKETS=$((E2E_SOCKETS + 1))
    E2E_SOCKET=$E2E_TMP/tmux.$E2E_SOCKETS.sock
}

# Starts the UI in a tmux window of the given size; the command is one
# shell command line (or its words), such as "$BIN_DIR/bezala --demo".
ui_start() {
    local cols=$1 rows=$2 i
    shift 2
    ui_wait_gone
    ui_new_socket
    tmux -S "$E2E_SOCKET" -f /dev/null new-session -d -s ui \
        -x "$cols" -y "$rows" \
        "env LANG=C.UTF-8 LC_ALL=C.UTF-8 $(ui_wrap "$@"); \
         echo \"[exited \$?]\"; sleep 30"
    if [ -n "${BEZALA_TEST_WRAP:-}" ]; then
        for ((i = 0; i < 50 && ${#UI_PID} == 0; i++)); do
            UI_PID=$(ui_client)
            [ -n "$UI_PID" ] || sleep 0.05
        done
    fi
}

# kill_hard PID: SIGKILL on purpose. A wrapped run ends without its
# report, so the pid goes to the file $BEZALA_TEST_KILLED names (if any)
# for scripts/memcheck.sh to tell it from a run cut short by accident.
kill_hard() {
    if [ -n "${BEZALA_TEST_KILLED:-}" ]; then
        echo "$1" >>"$BEZALA_TEST_KILLED"
    fi
    kill -9 "$1"
}

ui_keys() {
    tmux -S "$E2E_SOCKET" send-keys -t ui "$@"
}

ui_text() {
    tmux -S "$E2E_SOCKET" send-keys -t ui -l "$1"
}

ui_screen() {
    tmux -S "$E2E_SOCKET" capture-pane -p -t ui
}

ui_resize() {
    tmux -S "$E2E_SOCKET" resize-window -t ui -x "$1" -y "$2"
}

# wait_re REGEX [SECONDS]: waits until a screen line matches REGEX.
wait_re() {
    local re=$1 limit=${2:-10} i
    for ((i = 0; i < limit * 10 * ${E2E_SLOW:-1}; i++)); do
        if ui_screen | grep -qE -- "$re"; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

# expect_re REGEX DESCRIPTION [SECONDS]: a screen line matches REGEX
# within SECONDS (default 15).
expect_re() {
    if wait_re "$1" "${3:-15}"; then
        pass "$2"
    else
        fail "$2: no line matches '$1'; screen was:"
        ui_screen >&2
    fi
}

# wait_for TEXT [SECONDS]: waits until TEXT is on screen.
wait_for() {
    local text=$1 limit=${2:-10} i
    for ((i = 0; i < limit * 10 * E2E_SLOW; i++)); do
        if ui_screen | grep -qF -- "$text"; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

# wait_row ROW TEXT [SECONDS]: waits until screen row ROW (1-based) holds
# TEXT.
wait_row() {
    local limit=${3:-10} i
    for ((i = 0; i < limit * 10 * E2E_SLOW; i++)); do
        if ui_screen | sed -n "$1p" | grep -qF -- "$2"; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

# expect_row ROW TEXT DESCRIPTION [SECONDS]: screen row ROW shows TEXT.
expect_row() {
    if wait_row "$1" "$2" "${4:-10}"; then
        pass "$3"
    else
        fail "$3: '$2' not on row $1; screen was:"
        ui_screen >&2
    fi
}

# expect_screen TEXT DESCRIPTION [SECONDS]
expect_screen() {
    if wait_for "$1" "${3:-10}"; then
        pass "$2"
    else
        fail "$2: '$1' not on screen; screen was:"
        ui_screen >&2
    fi
}

# expect_no_screen TEXT DESCRIPTION: the text is not on screen now.
expect_no_screen() {
    if ui_screen | grep -qF -- "$1"; then
        fail "$2: '$1' is on screen"
        ui_screen >&2
    else
        pass "$2"
    fi
}

# expect_gone TEXT DESCRIPTION [SECONDS]: waits until TEXT is off screen
# (a key such as Esc may take a moment to arrive).
expect_gone() {
    local limit=${3:-10} i
    for ((i = 0; i < limit * 10 * E2E_SLOW; i++)); do
        if ! ui_screen | grep -qF -- "$1"; then
            pass "$2"
            return 0
        fi
        sleep 0.1
    done
    fail "$2: '$1' stays on screen:"
    ui_screen >&2
}

# expect_status_line TEXT DESCRIPTION [SECONDS]: the first row of the
# screen (the main view's status line) shows TEXT.
expect_status_line() {
    local text=$1 limit=${3:-10} i
    for ((i = 0; i < limit * 10 * E2E_SLOW; i++)); do
        if ui_screen | head -n 1 | grep -qF -- "$text"; then
            pass "$2"
            return 0
        fi
        sleep 0.1
    done
    fail "$2: '$text' not in the status line; screen was:"
    ui_screen >&2
}

# expect_no_status_line TEXT DESCRIPTION: the status line lacks TEXT now.
expect_no_status_line() {
    if ui_screen | head -n 1 | grep -qF -- "$1"; then
        fail "$2: '$1' is in the status line: $(ui_screen | head -n 1)"
    else
        pass "$2"
    fi
}

# Ends the script with the plain closing line that counts.
e2e_finish() {
    echo "$passes passed, $failures failed"
    [ "$failures" -eq 0 ]
}

# login EMAIL PASSWORD [OPTION...]: signs in with the password on stdin.
login() {
    printf '%s\n' "$2" | bz login --email "$1" --password-stdin "${@:3}"
}

# json EXPR: evaluates a Python expression on the JSON in $E2E_TMP/out,
# as d; says "not JSON" and fails when the output is not JSON.
json() {
    python3 -c "import json,sys
try:
    d = json.load(open(sys.argv[1]))
except ValueError:
    raise SystemExit('not JSON')
print($1)" "$E2E_TMP/out"
}

# check DESCRIPTION ACTUAL EXPECTED
check() {
    if [ "$2" = "$3" ]; then
        pass "$1"
    else
        fail "$1: got '$2', want '$3'"
    fi
}

# With BEZALA_TEST_WRAP set to a command and its options (for instance
# "valgrind --error-exitcode=99 --log-file=/tmp/vg.%p"), bz runs the
# binary under it, as ui_start does (ui_wrap); scripts/memcheck.sh uses
# this. Split at spaces.
if [ -n "${BEZALA_TEST_WRAP:-}" ]; then
    bz() {
        # shellcheck disable=SC2086
        $BEZALA_TEST_WRAP "$BIN_DIR/bezala" --server "$SIM_URL" \
            --cacert "$CACERT" --home "$E2E_HOME" "$@"
    }
fi
