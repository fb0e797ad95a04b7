# Bash completion for bezala: commands, their options, the global options
# and the values they take. Self-contained: plain compgen, no helpers from
# the bash-completion package, and bezala itself is never run.

_bezala_commands="login logout accounts whoami companies switch receipts
trips allowances rewards approvals archive users ledger-accounts
cost-centers batches company export vault doctor help"

_bezala_views="receipts trips allowances rewards approvals archive users
ledger-accounts cost-centers batches company"

_bezala_globals="--server --cacert --home --account --log --log-level
--demo --pin-company --passphrase-fd --new-passphrase-fd --help
--version"

# _bezala_options COMMAND [VERB]: the options of one command.
_bezala_options() {
    case $1 in
    login)
        echo "--email --password-stdin --service-user --sso"
        echo "--sso-token-stdin --okta-url --company-name"
        ;;
    logout) echo "--account --all" ;;
    accounts) echo "--json --mark-service --unmark-service" ;;
    whoami | companies | ledger-accounts | cost-centers | batches | company)
        echo "--json --cached"
        ;;
    receipts | trips | allowances | rewards | approvals)
        echo "--json --state --limit --cached"
        ;;
    archive) echo "--json --limit --cached" ;;
    users) echo "--json --role --cached" ;;
    export)
        echo "--csv -o --force --filter --sort --state --limit --role"
        echo "--cached"
        ;;
    vault)
        case $2 in
        status) echo "--json" ;;
        passphrase) echo "--remove" ;;
        esac
        ;;
    doctor) echo "--json" ;;
    esac
}

# _bezala_words WORDS CUR: the words of WORDS that start with CUR.
_bezala_words() {
    mapfile -t COMPREPLY < <(compgen -W "$1" -- "$2")
}

# _bezala_value OPTION: completes the value of OPTION into COMPREPLY and
# returns 0, or returns 1 when OPTION takes no value.
_bezala_value() {
    local cur=$2
    case $1 in
    --cacert | --log | -o)
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        ;;
    --home)
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        ;;
    --log-level)
        _bezala_words "error warn info debug" "$cur"
        ;;
    --state)
        _bezala_words "draft reviewing unapproved queue
            accounting accounted" "$cur"
        ;;
    --role)
        _bezala_words "employee manager accountant approver
            money_checker" "$cur"
        ;;
    --sso)
        _bezala_words "google microsoft okta" "$cur"
        ;;
    --server)
        _bezala_words "https://" "$cur"
        compopt -o nospace 2>/dev/null
        ;;
    --account | --passphrase-fd | --new-passphrase-fd | --email | \
        --okta-url | --company-name | --mark-service | --unmark-service | \
        --limit | --filter | --sort)
        COMPREPLY=()
        ;;
    *) return 1 ;;
    esac
    return 0
}

_bezala() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev="" word command="" verb=""
    local i=1 skip=0 equals=0

    if [ "$COMP_CWORD" -gt 0 ]; then
        prev=${COMP_WORDS[COMP_CWORD - 1]}
    fi
    # readline splits --state=draft at the '=' into three words.
    if [ "$cur" = "=" ]; then
        cur=""
        equals=1
    elif [ "$prev" = "=" ] && [ "$COMP_CWORD" -gt 1 ]; then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
        equals=1
    fi
    if [ "$equals" -eq 1 ]; then
        _bezala_value "$prev" "$cur" || COMPREPLY=()
        return 0
    fi

    # The command and, for vault, export and help, the word after it;
    # the values of options are skipped.
    while [ "$i" -lt "$COMP_CWORD" ]; do
        word=${COMP_WORDS[i]}
        i=$((i + 1))
        if [ "$skip" -eq 1 ]; then
            skip=0
            continue
        fi
        case $word in
        =) skip=1 ;;
        -*)
            if [ "${COMP_WORDS[i]}" != "=" ] &&
                _bezala_takes_value "$word"; then
                skip=1
            fi
            ;;
        *)
            if [ -z "$command" ]; then
                command=$word
            elif [ -z "$verb" ]; then
                verb=$word
            fi
            ;;
        esac
    done

    if _bezala_value "$prev" "$cur"; then
        return 0
    fi
    if [[ $cur == -* ]]; then
        _bezala_words "$(_bezala_options "$command" "$verb")
            $_bezala_globals" "$cur"
        return 0
    fi
    case $command in
    "") _bezala_words "$_bezala_commands" "$cur" ;;
    help) [ -z "$verb" ] &&
        _bezala_words "$_bezala_commands" "$cur" ;;
    export) [ -z "$verb" ] &&
        _bezala_words "$_bezala_views" "$cur" ;;
    vault) [ -z "$verb" ] &&
        _bezala_words "status passphrase rekey lock" "$cur" ;;
    esac
    return 0
}

# Whether an option takes the next word as its value.
_bezala_takes_value() {
    case $1 in
    --server | --cacert | --home | --account | --log | --log-level | \
        --passphrase-fd | --new-passphrase-fd | --email | --sso | \
        --okta-url | --company-name | --mark-service | --unmark-service | \
        --state | --limit | --role | -o | --filter | --sort)
        return 0
        ;;
    esac
    return 1
}

complete -F _bezala bezala
