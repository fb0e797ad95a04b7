#!/usr/bin/env bash
# The subcommands against a private bezala-sim: output, JSON fields and the
# exit codes that scripts rely on.
BIN_DIR=$1
ASSETS=$2
. "$(dirname "$0")/lib.sh"

AINO=aino.harkonen@demo.bezala.test
AINO_PW=demo-aino-2025
RIIKKA=riikka.soderstrom@demo.bezala.test
JUSSI=jussi.ohman@demo.bezala.test

sim_start

expect_exit 2 "plain http server refused" -- \
    "$BIN_DIR/bezala" --server http://127.0.0.1:9 --home "$E2E_HOME" whoami
grep -q 'https' "$E2E_TMP/err" && pass "the refusal says https is needed" ||
    fail "the refusal does not mention https: $(cat "$E2E_TMP/err")"
expect_exit 2 "unknown option is a usage error" -- bz whoami --bogus
expect_exit 3 "whoami before sign-in" -- bz whoami

expect_exit 3 "wrong password" -- login "$AINO" not-her-password
expect_exit 5 "untrusted certificate" -- \
    sh -c "printf '%s\n' '$AINO_PW' | '$BIN_DIR/bezala' --server '$SIM_URL' \
        --home '$E2E_HOME' login --email '$AINO' --password-stdin"
expect_exit 5 "nothing listening" -- \
    sh -c "printf '%s\n' '$AINO_PW' | '$BIN_DIR/bezala' \
        --server https://127.0.0.1:1 --cacert '$CACERT' \
        --home '$E2E_HOME' login --email '$AINO' --password-stdin"

expect_exit 0 "sign in" -- login "$AINO" "$AINO_PW"
expect_exit 0 "whoami --json" -- bz whoami --json
check "whoami user" "$(json 'd["user"]["email"]')" "$AINO"
check "whoami company" "$(json 'd["company"]["id"]')" "101"
check "whoami roles" "$(json '"accountant" in d["company"]["roles"]')" True
check "whoami not changed" "$(json 'd["changed_elsewhere"]')" False

expect_exit 0 "companies --json" -- bz companies --json
check "four companies" "$(json 'sorted(c["id"] for c in d)')" \
    "[101, 205, 318, 539]"
check "unpublished name is null" \
    "$(json '[c["name"] for c in d if c["id"] == 539][0]')" None
check "one active" "$(json '[c["id"] for c in d if c["active"]]')" "[101]"
expect_exit 0 "companies table" -- bz companies
grep -q 'Pohjolan Sähkö ja Lämpö Oy' "$E2E_TMP/out" &&
    pass "table shows UTF-8 names" || fail "table: $(cat "$E2E_TMP/out")"

expect_exit 2 "ambiguous switch" -- bz switch Oy
grep -q 'Kahvila' "$E2E_TMP/err" && pass "ambiguity lists the matches" ||
    fail "ambiguity message: $(cat "$E2E_TMP/err")"
expect_exit 2 "switch to a company not joined" -- bz switch 427
expect_exit 0 "switch by the label of an unnamed company" -- \
    bz switch "company 539"
expect_exit 0 "whoami after that switch" -- bz whoami --json
check "switched to the unnamed company" "$(json 'd["company"]["id"]')" "539"
expect_exit 2 "a label with an id not joined" -- bz switch "Company 427"
expect_exit 0 "switch by part of a name, any case" -- bz switch äimä
expect_exit 0 "whoami after switch" -- bz whoami --json
check "switched company" "$(json 'd["company"]["id"]')" "205"

expect_exit 0 "users as accountant" -- bz users --json
check "users of Kahvila" "$(json 'len(d)')" "4"
check "user fields" \
    "$(json 'sorted(d[0].keys())')" \
    "['email', 'id', 'last_sign_in_at', 'name', 'roles', 'state']"

expect_exit 0 "receipts with a limit" -- bz receipts --json --limit 15
check "limit honoured" "$(json 'len(d)')" "15"
check "receipt fields" "$(json 'sorted(d[0].keys())')" \
    "['amount', 'currency', 'date', 'description', 'id', 'state', \
'user_id', 'user_name']"
check "amount is decimal text" "$(json 'type(d[0]["amount"]).__name__')" str
expect_exit 0 "every receipt, paged to the end" -- bz receipts --json
want=$(python3 -c "import json; d=json.load(open('$ASSETS/demo/data.json'))
print(sum(1 for r in d['receipts'] if r['company_id'] == 205
          and (r['state'] != 'draft' or r['user_id'] == 4701)))")
check "all visible receipts" "$(json 'len(d)')" "$want"
expect_exit 0 "receipts by state" -- bz receipts --json --state queue
check "only queue" "$(json 'sorted(set(r["state"] for r in d))')" "['queue']"

code=$(sim_control /sim/switch "{\"email\":\"$AINO\",\"company_id\":318}")
check "switch elsewhere accepted" "$code" 200
expect_exit 0 "whoami after a switch elsewhere" -- bz whoami --json
check "follows the server" "$(json 'd["company"]["id"]')" "318"
check "says it changed" "$(json 'd["changed_elsewhere"]')" True

expect_exit 0 "accounts --json" -- bz accounts --json
check "account listed" "$(json '[a["email"] for a in d]')" "['$AINO']"
check "signed in" "$(json 'd[0]["signed_in"]')" True

code=$(sim_control /sim/password \
    "{\"email\":\"$AINO\",\"password\":\"demo-aino-changed\"}")
check "password changed on the server" "$code" 200
expect_exit 3 "revoked token" -- bz users
grep -qi 'login' "$E2E_TMP/err" && pass "the message says to sign in" ||
    fail "401 message: $(cat "$E2E_TMP/err")"

expect_exit 0 "second account" -- login "$RIIKKA" demo-riikka-2025
expect_exit 4 "employee may not list users" -- bz users
expect_exit 0 "employee sees own receipts" -- bz receipts --json
# Her own, and the ones in review that name her as approver.
want=$(python3 -c "import json; d=json.load(open('$ASSETS/demo/data.json'))
print(sorted(r['id'] for r in d['receipts'] if r['company_id'] == 318
             and (r['user_id'] == 4707 or (r['state'] == 'reviewing' and
                  4707 in r.get('current_approvers_ids', [])))))")
check "hers and those she approves" \
    "$(json 'sorted(r["id"] for r in d)')" \
    "$want"
expect_exit 0 "third account" -- login "$JUSSI" demo-jussi-2025
expect_exit 0 "employee where all users are visible" -- bz users --json
want=$(python3 -c "import json; d=json.load(open('$ASSETS/demo/data.json'))
ids = {m['user_id'] for m in d['memberships']
       if m['company_id'] == 205 and m['state'] == 'accepted'}
print(sorted(u['email'] for u in d['users'] if u['id'] in ids))")
check "the accepted members" "$(json 'sorted(u["email"] for u in d)')" \
    "$want"

# A stored token whose bytes were changed is "not signed in" for that
# account only, with a message that says so; the others keep working.
sqlite3 "$E2E_HOME/bezala.db" "UPDATE tokens SET nonce = zeroblob(24)
    WHERE account_id = (SELECT id FROM accounts WHERE email = '$RIIKKA');"
expect_exit 3 "tampered token" -- bz --account "$RIIKKA" whoami
grep -q 'could not be read' "$E2E_TMP/err" &&
    grep -q 'login' "$E2E_TMP/err" &&
    pass "the message names the unreadable token and the way back" ||
    fail "tampered token message: $(cat "$E2E_TMP/err")"
expect_exit 0 "another account still works" -- bz --account "$JUSSI" whoami
expect_exit 0 "sign in again after tampering" -- login "$RIIKKA" \
    demo-riikka-2025
expect_exit 0 "the new token works" -- bz --account "$RIIKKA" whoami

expect_exit 0 "logout" -- bz logout --account "$JUSSI"
expect_exit 3 "whoami after logout" -- bz --account "$JUSSI" whoami

e2e_finish
