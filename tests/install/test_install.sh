#!/usr/bin/env bash
# `cmake --install` into a fresh prefix, then checks the installed tree as
# a user meets it: the files, the man page, the bash and zsh completions,
# the programs (the installed bezala signs in to the installed bezala-sim
# with the installed demo CA, and --demo finds the assets under its own
# prefix), and that the man page and both completions name every command
# and option that `bezala help` lists, and every setting, theme, colour,
# action and key name of tui/config.c and every `:` command of
# tui/command.c.
#
# Usage: test_install.sh BUILD_DIR [CMAKE [SOURCE_DIR]]
# SOURCE_DIR defaults to the one BUILD_DIR was configured from.
set -u

BUILD=${1:?usage: test_install.sh BUILD_DIR [CMAKE [SOURCE_DIR]]}
CMAKE=${2:-cmake}
SRC=${3:-$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' \
    "$BUILD/CMakeCache.txt" 2>/dev/null)}
TMP=$(mktemp -d /tmp/bezala-install.XXXXXX)
P=$TMP/prefix
failures=0
passes=0
PIDS=()

# shellcheck disable=SC2317 # called by the trap
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    rm -rf "$TMP"
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

pass() {
    echo "ok: $*"
    passes=$((passes + 1))
}

check() {
    local what=$1
    shift
    if "$@"; then pass "$what"; else fail "$what"; fi
}

finish() {
    echo "$passes passed, $failures failed"
    [ "$failures" -eq 0 ]
    exit
}

# A clean user: nothing from the caller's home, config or environment.
mkdir -p "$TMP/home" "$TMP/run"
chmod 700 "$TMP/home" "$TMP/run"
export HOME=$TMP/home XDG_CONFIG_HOME=$TMP/home/.config
export XDG_DATA_HOME=$TMP/home/.local/share XDG_RUNTIME_DIR=$TMP/run
unset BEZALA_SERVER BEZALA_CACERT BEZALA_HOME BEZALA_ACCOUNT BEZALA_LOG
unset BEZALA_PIN_COMPANY NO_COLOR MANPATH
export LC_ALL=C.UTF-8

# --- The install -------------------------------------------------------
if ! "$CMAKE" --install "$BUILD" --prefix "$P" >"$TMP/install.log" 2>&1; then
    cat "$TMP/install.log" >&2
    fail "cmake --install $BUILD --prefix $P"
    finish
fi
pass "cmake --install into $P"

BZ=$P/bin/bezala
SIM=$P/bin/bezala-sim
MAN=$P/share/man/man1/bezala.1
BASH_COMP=$P/share/bash-completion/completions/bezala
ZSH_COMP=$P/share/zsh/site-functions/_bezala
DEMO=$P/share/bezala/demo

for f in "$BZ" "$SIM"; do
    check "$f is an executable file" test -f "$f" -a -x "$f"
done
for f in "$MAN" "$BASH_COMP" "$ZSH_COMP" "$DEMO/accounts.tsv" \
    "$DEMO/data.json" "$DEMO/certs/ca.pem" "$DEMO/certs/server.pem" \
    "$DEMO/certs/server-key.pem"; do
    if [ -f "$f" ] && [ -r "$f" ] && [ ! -x "$f" ]; then
        pass "${f#"$P"/} is a readable, not executable file"
    else
        fail "${f#"$P"/} is missing or has the wrong mode"
    fi
done
# The scripts that remake the demo certificates run as installed.
for f in "$DEMO/certs/make-certs.sh" "$DEMO/certs/make-fault-certs.sh"; do
    mode=$(stat -c %a "$f" 2>/dev/null)
    check "${f#"$P"/} is installed mode 755 (${mode:-missing})" \
        test "$mode" = 755 -a -f "$f"
done
[ "$failures" -eq 0 ] || finish

# --- The installed programs run ----------------------------------------
version=$("$BZ" --version 2>&1)
check "bezala --version runs: $version" \
    grep -qE '^bezala [0-9]+\.[0-9]+' <<<"$version"
if "$BZ" help >"$TMP/help.txt" 2>&1; then
    check "bezala help runs" grep -q '^Usage: bezala' "$TMP/help.txt"
else
    fail "bezala help exits $?"
fi

# The commands and global options that `bezala help` lists.
mapfile -t COMMANDS < <(sed -n '/^Commands:/,/^$/p' "$TMP/help.txt" |
    sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p')
mapfile -t GLOBALS < <(sed -n '/^Global options/,$p' "$TMP/help.txt" |
    grep '^  -' | sed 's/^  \(.*\)/\1/; s/  .*//' |
    grep -oE -- '--[a-z][a-z-]*' | sort -u)
mapfile -t ENV_VARS < <(grep -oE 'BEZALA_[A-Z_]+' "$TMP/help.txt" |
    sort -u)
if [ "${#COMMANDS[@]}" -ge 10 ] && [ "${#GLOBALS[@]}" -ge 5 ]; then
    pass "bezala help lists ${#COMMANDS[@]} commands, ${#GLOBALS[@]} options"
else
    fail "could not read the commands and options from bezala help"
    finish
fi

# --- The man page ------------------------------------------------------
groff_out=$(groff -man -ww -z "$MAN" 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && [ -z "$groff_out" ]; then
    pass "groff -man -ww -z is silent on the installed page"
else
    fail "groff exits $rc and says: $groff_out"
fi
if MANWIDTH=80 MANPAGER=cat PAGER=cat man -l "$MAN" >"$TMP/man.raw" \
    2>"$TMP/man.err"; then
    sed 's/.\x08//g' "$TMP/man.raw" >"$TMP/man.txt"
    check "man -l renders the page with NAME" grep -q '^NAME$' "$TMP/man.txt"
    check "the NAME line names bezala" \
        grep -q '^ *bezala - ' "$TMP/man.txt"
    over=$(awk 'length > 80' "$TMP/man.txt")
    check "the page fits 80 columns" test -z "$over"
else
    fail "man -l exits non-zero: $(cat "$TMP/man.err")"
fi

# A section of the rendered page: its lines up to the next heading.
man_section() {
    sed -n "/^$1\$/,/^[A-Z]/p" "$TMP/man.txt"
}
man_section COMMANDS >"$TMP/man.commands"
man_section OPTIONS >"$TMP/man.options"
man_section ENVIRONMENT >"$TMP/man.env"

# --- Bash completion ---------------------------------------------------
spec=$(bash --norc -c 'source "$1" && complete -p bezala' _ "$BASH_COMP" \
    2>&1)
fn=$(sed -n 's/^complete .*-F \([^ ]*\) .*bezala$/\1/p' <<<"$spec")
check "bash loads the completion: $spec" test -n "$fn"

# complete_bash WORD...: what bash offers for the last WORD, one a line.
complete_bash() {
    bash --norc -c '
        source "$1" || exit 1
        fn=$2
        shift 2
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        COMPREPLY=()
        "$fn"
        printf "%s\n" "${COMPREPLY[@]}"' _ "$BASH_COMP" "$fn" bezala "$@" |
        sed '/^$/d' | sort
}

# same_words WHAT GOT WANT: both lists, one word a line, are equal.
same_words() {
    if [ "$(sort <<<"$2")" = "$(sort <<<"$3")" ]; then
        pass "$1"
    else
        fail "$1: got [$(tr '\n' ' ' <<<"$2")] want [$(tr '\n' ' ' <<<"$3")]"
    fi
}

same_words "bash: bezala rec<TAB> gives receipts" \
    "$(complete_bash rec)" "receipts"

views=$("$BZ" help export | tr '\n' ' ' |
    sed -n 's/.*a view (\([^)]*\)).*/\1/p' | sed 's/, */\n/g')
check "bezala help export names the views" test "$(wc -l <<<"$views")" -ge 5
same_words "bash: bezala export <TAB> gives the views" \
    "$(complete_bash export '')" "$views"

verbs=$("$BZ" help vault | sed -n 's/^Usage: bezala vault \([a-z|]*\).*/\1/p' |
    tr '|' '\n')
check "bezala help vault names the verbs" test "$(wc -l <<<"$verbs")" -ge 3
same_words "bash: bezala vault <TAB> gives the vault verbs" \
    "$(complete_bash vault '')" "$verbs"

same_words "bash: --sso values" "$(complete_bash login --sso '')" \
    "$(printf '%s\n' google microsoft okta)"
states=$("$BZ" help receipts | tr '\n' ' ' |
    sed -n 's/.*only receipts in state S (\([^)]*\)).*/\1/p' |
    sed 's/, */\n/g')
same_words "bash: --state values" "$(complete_bash receipts --state '')" \
    "$states"
check "bash: file names after --cacert" \
    grep -qx "$DEMO/certs/ca.pem" < <(complete_bash --cacert "$DEMO/certs/c")

# --- Zsh completion ----------------------------------------------------
if command -v zsh >/dev/null; then
    zsh_out=$(zsh -f -c 'fpath=("$1" $fpath)
        autoload -U compinit && compinit -u -D
        autoload -Uz _bezala
        whence -w _bezala
        print -r -- "compdef: ${_comps[bezala]}"' _ "${ZSH_COMP%/*}" 2>&1)
    check "zsh autoloads _bezala" grep -qx '_bezala: function' <<<"$zsh_out"
    check "zsh compinit binds bezala to _bezala" \
        grep -qx 'compdef: _bezala' <<<"$zsh_out"
    check "zsh parses _bezala" zsh -n "$ZSH_COMP"
else
    fail "zsh is not installed (scripts/setup.sh deps installs it)"
fi

# --- Consistency: every command and option in all three ----------------
all_commands=$(complete_bash '')
long_options=$(complete_bash --)
for cmd in "${COMMANDS[@]}"; do
    out=$("$BZ" "$cmd" --help 2>&1)
    rc=$?
    if [ "$rc" -eq 0 ] && grep -qE "^Usage: bezala $cmd( |\$)" \
        <<<"$(head -n 1 <<<"$out")"; then
        pass "bezala $cmd --help"
    else
        fail "bezala $cmd --help: exit $rc, $(head -n 1 <<<"$out")"
    fi
    check "man page lists $cmd" grep -qE "^ {7}$cmd( |\$)" "$TMP/man.commands"
    check "bash completes $cmd" grep -qx -- "$cmd" <<<"$all_commands"
    check "zsh completes $cmd" grep -qE "^ *['\"]$cmd:" "$ZSH_COMP"
done

# The options in one command's help (before its global options).
command_options() {
    "$BZ" help "$1" | sed '/^Global options/,$d' |
        grep -oE -- "(^|[][ |(/])--?[a-z][a-z-]*" | sed 's/^[^-]*//' |
        sort -u
}

# An option spec in _bezala opens a quoted word, after an optional
# exclusion list: '--json[...]', "--state=[...]", '(- *)--help[...]'.
zsh_spec="['\"](\\([^)]*\\))?"

# What bash offers after `bezala CMD [VERB] -` for each verb of CMD.
bash_command_options() {
    if [ "$1" = vault ]; then
        for verb in $verbs; do complete_bash vault "$verb" -; done
    else
        complete_bash "$1" -
    fi
}

for cmd in "${COMMANDS[@]}"; do
    offered=$(bash_command_options "$cmd")
    for opt in $(command_options "$cmd"); do
        check "bash offers $opt after $cmd" grep -qx -- "$opt" <<<"$offered"
        check "zsh knows $opt of $cmd" grep -qE -- "$zsh_spec${opt}[=[]" \
            "$ZSH_COMP"
        check "man page names $opt of $cmd" \
            grep -qF -- "$opt" "$TMP/man.commands"
    done
done

for opt in "${GLOBALS[@]}"; do
    check "man page describes $opt" grep -qE -- "^ {7}$opt( |\$)" \
        "$TMP/man.options"
    check "bash offers $opt" grep -qx -- "$opt" <<<"$long_options"
    check "zsh knows $opt" grep -qE -- "$zsh_spec${opt}[=[]" "$ZSH_COMP"
done
for var in "${ENV_VARS[@]}"; do
    check "man page ENVIRONMENT has $var" grep -qE "^ {7}$var\$" \
        "$TMP/man.env"
done
check "man page ENVIRONMENT has NO_COLOR" grep -qE '^ {7}NO_COLOR$' \
    "$TMP/man.env"

# --- Consistency: the configuration file and the `:` commands ----------
# The names come from the tables in the sources, and the config names
# also from what the installed bezala says of an unknown entry; each
# must be in the man page's CONFIGURATION or COMMAND LINE section.

# c_block FILE REGEX: the lines of FILE from the one matching REGEX to
# the first that holds "};", which may be the same line.
c_block() {
    START=$2 awk '$0 ~ ENVIRON["START"] { on = 1 }
        on { print }
        on && /};/ { exit }' "$1"
}

# The quoted strings of a block, one a line.
c_strings() {
    grep -oE '"[^"]*"' | tr -d '"'
}

# The first quoted string of each {"name", ...} entry, one a line.
c_entries() {
    grep -oE '\{"[^"]+"' | cut -c3- | tr -d '"'
}

# names_ok WHAT MIN NAME...: at least MIN names were read.
names_ok() {
    local what=$1 min=$2
    shift 2
    if [ "$#" -ge "$min" ]; then
        pass "read $# $what: $*"
    else
        fail "read $# $what (want $min or more): $*"
    fi
}

CONFIG_C=$SRC/tui/config.c
COMMAND_C=$SRC/tui/command.c
if [ -r "$CONFIG_C" ] && [ -r "$COMMAND_C" ]; then
    pass "the sources are in $SRC"
else
    fail "no tui/config.c and tui/command.c under '$SRC' (3rd argument)"
fi

mapfile -t GENERAL < <(c_block "$CONFIG_C" \
    'char \*const general_names\[' | c_strings)
mapfile -t THEMES < <(c_block "$CONFIG_C" \
    'char \*const theme_names\[' | c_strings)
mapfile -t ELEMENTS < <(c_block "$CONFIG_C" \
    'char \*const element_names\[' | c_strings)
mapfile -t COLOURS < <(c_block "$CONFIG_C" \
    'char \*const colour_names\[' | c_strings)
mapfile -t ATTRS < <(c_block "$CONFIG_C" \
    'struct attr_name attr_names\[' | c_entries)
mapfile -t KEY_NAMES < <(c_block "$CONFIG_C" \
    'struct named_key named_keys\[' | c_entries | sort -u)
# "name scope" for each action, the scope being MAIN, FORM or both.
mapfile -t ACTION_SCOPES < <(c_block "$CONFIG_C" \
    'struct action_info actions\[' |
    sed -nE 's/^ *\[TUI_CONFIG_ACT.*\{"([^"]+)", ([A-Z |]+),.*/\1 \2/p' |
    tr -d '|' | tr -s ' ')
ACTIONS=("${ACTION_SCOPES[@]%% *}")
mapfile -t UI_COMMANDS < <(c_block "$COMMAND_C" \
    'struct command_def commands\[' | grep 'TUI_COMMAND_' | c_entries)

names_ok "[general] keys" 6 "${GENERAL[@]}"
names_ok themes 3 "${THEMES[@]}"
names_ok "[colors] elements" 8 "${ELEMENTS[@]}"
names_ok colours 8 "${COLOURS[@]}"
names_ok attributes 4 "${ATTRS[@]}"
names_ok "key names" 15 "${KEY_NAMES[@]}"
names_ok "[keys] actions" 40 "${ACTIONS[@]}"
names_ok ": commands" 10 "${UI_COMMANDS[@]}"

# The actions that the command line runs by name: those of the main
# screen that no command of the table stands for, but for the command
# line itself, the redraw and the views (tui/command.c, action_listed).
BY_NAME=()
for entry in "${ACTION_SCOPES[@]}"; do
    name=${entry%% *}
    case $name in command | redraw | view_[0-9]*) continue ;; esac
    [[ ${entry#* } == *MAIN* ]] || continue
    printf '%s\n' "${UI_COMMANDS[@]}" | grep -qx -- "$name" && continue
    BY_NAME+=("$name")
done
names_ok "actions run by name" 10 "${BY_NAME[@]}"

# What the installed bezala says of an unknown name in each section: the
# names its message lists must be the table's.
mkdir -m 700 "$TMP/cfg"
printf '%s\n' '[general]' 'none = 1' 'theme = none' '[colors]' 'none = red' \
    '[keys]' 'none = x' >"$TMP/cfg/config"
"$BZ" --home "$TMP/cfg" accounts >/dev/null 2>"$TMP/cfg.err"
# said_list PATTERN: the names in the (...) of the message that matches.
said_list() {
    sed -n "s/.*$1 (\\([^)]*\\)).*/\\1/p" "$TMP/cfg.err" | sed 's/, */\n/g' |
        while read -r name; do
            if [ "$name" = view_1..view_10 ]; then
                printf 'view_%s\n' $(seq 10)
            else
                printf '%s\n' "$name"
            fi
        done
}
same_words "bezala's message lists the [general] keys of the table" \
    "$(said_list "in \\[general\\]")" "$(printf '%s\n' "${GENERAL[@]}")"
same_words "bezala's message lists the themes of the table" \
    "$(said_list "unknown theme 'none'")" "$(printf '%s\n' "${THEMES[@]}")"
same_words "bezala's message lists the [colors] elements of the table" \
    "$(said_list "in \\[colors\\]")" "$(printf '%s\n' "${ELEMENTS[@]}")"
same_words "bezala's message lists the [keys] actions of the table" \
    "$(said_list "in \\[keys\\]")" "$(printf '%s\n' "${ACTIONS[@]}")"

# The page as man shows it on a terminal, bold as X^HX, with each run of
# bold text put between <b> and </b> and the rest plain.
MAN_KEEP_FORMATTING=1 MANWIDTH=80 MANPAGER=cat PAGER=cat man -l "$MAN" \
    2>/dev/null | sed -E 's/(.)\x08\1/<b>\1<\/b>/g; s/<\/b><b>//g' |
    sed 's/.\x08//g' >"$TMP/man.bold"

# bold_section NAME: the lines of section NAME in man.bold.
bold_section() {
    awk -v name="$1" 'NR == FNR {
            if ($0 == name) on = 1
            else if (on && /^[A-Z]/) on = 0
            if (on) keep[FNR] = 1
            next
        }
        FNR in keep' "$TMP/man.txt" "$TMP/man.bold"
}

# in_section SECTION WHAT NAME...: each NAME is a word in bold in the
# page's SECTION, as a name is written there, not merely a word of it.
in_section() {
    local section=$1 what=$2 text name re
    local before='<b>([^<]*[^[:alnum:]_-])?' after='([^[:alnum:]_-][^<]*)?</b>'
    shift 2
    text=$(bold_section "$section")
    for name in "$@"; do
        re=$(sed 's/[][\.*^$+?(){}|/]/\\&/g' <<<"$name")
        check "man page $section names $what $name in bold" \
            grep -qE -- "$before$re$after" <<<"$text"
    done
}

for section in CONFIGURATION "COMMAND LINE"; do
    check "man page has a $section section in bold" \
        grep -q '<b>' <<<"$(bold_section "$section")"
done
in_section CONFIGURATION "the setting" "${GENERAL[@]}"
in_section CONFIGURATION "the theme" "${THEMES[@]}"
in_section CONFIGURATION "the element" "${ELEMENTS[@]}"
in_section CONFIGURATION "the colour" "${COLOURS[@]}"
in_section CONFIGURATION "the attribute" "${ATTRS[@]}"
in_section CONFIGURATION "the key name" "${KEY_NAMES[@]}"
in_section CONFIGURATION "the action" "${ACTIONS[@]}"
in_section "COMMAND LINE" "the command" \
    "${UI_COMMANDS[@]}" "${BY_NAME[@]}"

# --- The installed bezala signs in to the installed bezala-sim ---------
account=$(grep -m 1 '^aino\.' "$DEMO/accounts.tsv")
email=${account%%$'\t'*}
password=${account#*$'\t'}
password=${password%%$'\t'*}
check "the demo accounts list aino ($email)" test -n "$email" -a -n "$password"

"$SIM" --port 0 --data "$DEMO" --cert "$DEMO/certs/server.pem" \
    --key "$DEMO/certs/server-key.pem" --quiet >"$TMP/sim.out" \
    2>"$TMP/sim.err" &
PIDS+=($!)
url=
for _ in $(seq 100); do
    url=$(sed -n 's/^listening on \(https:\/\/127\.0\.0\.1:[0-9]*\)$/\1/p' \
        "$TMP/sim.out")
    [ -n "$url" ] && break
    sleep 0.1
done
check "installed bezala-sim listens on loopback: $url" test -n "$url"

if [ -n "$url" ]; then
    home=$TMP/h1
    printf '%s\n' "$password" | timeout 60 "$BZ" --home "$home" \
        --server "$url" --cacert "$DEMO/certs/ca.pem" login \
        --email "$email" --password-stdin >"$TMP/login.out" 2>&1
    rc=$?
    check "installed bezala signs in with the installed CA (exit $rc)" \
        test "$rc" -eq 0
    timeout 60 "$BZ" --home "$home" --server "$url" \
        --cacert "$DEMO/certs/ca.pem" whoami --json >"$TMP/whoami.json" \
        2>"$TMP/whoami.err"
    check "whoami answers for $email" grep -qF "\"$email\"" \
        "$TMP/whoami.json"
    printf '%s\n' "$password" | timeout 60 "$BZ" --home "$TMP/h2" \
        --server "$url" login --email "$email" --password-stdin \
        >/dev/null 2>&1
    rc=$?
    check "without the demo CA the sign-in is a TLS failure (exit $rc)" \
        test "$rc" -eq 5
fi

# --- --demo finds the assets under its own prefix ----------------------
# demo_assets PREFIX: runs PREFIX/bin/bezala --demo login and checks that
# the sim it starts is PREFIX's, serving PREFIX's data, and that the
# sign-in with the demo CA it found succeeds.
demo_assets() {
    local prefix=$1 go=$TMP/go.$RANDOM pid sim="" data want rc
    (
        for _ in $(seq 300); do
            [ -e "$go" ] && break
            sleep 0.1
        done
        printf '%s\n' "$password"
    ) | timeout 60 "$prefix/bin/bezala" --demo --home "$TMP/d.$RANDOM" \
        login --email "$email" --password-stdin >"$TMP/demo.out" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    for _ in $(seq 100); do
        sim=$(pgrep -P "$(pgrep -P "$pid" -x bezala || echo "$pid")" \
            -x bezala-sim)
        [ -n "$sim" ] && break
        sleep 0.1
    done
    if [ -z "$sim" ]; then
        touch "$go"
        fail "bezala --demo under $prefix started no bezala-sim"
        return
    fi
    data=$(tr '\0' '\n' <"/proc/$sim/cmdline" | sed -n '/^--data$/{n;p}')
    want=$(realpath "$prefix/share/bezala/demo")
    check "--demo serves $want" test "$(realpath "$data")" = "$want"
    check "--demo runs $prefix/bin/bezala-sim" test \
        "$(readlink "/proc/$sim/exe")" = "$(realpath "$prefix/bin/bezala-sim")"
    touch "$go"
    wait "$pid"
    rc=$?
    check "--demo login under $prefix (exit $rc)" test "$rc" -eq 0
}

configured=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$BUILD/CMakeCache.txt")
check "the prefix differs from the configured one ($configured)" \
    test "$configured" != "$P"
demo_assets "$P"
# A copy moved elsewhere after the install still finds its own.
cp -a "$P" "$TMP/moved"
demo_assets "$TMP/moved"

finish
