#!/usr/bin/env bash
# The view subcommands, export and --cached against a private bezala-sim:
# each view's JSON rows equal what the demo data says the role may see,
# CSV export quoting and files, and answers from the store offline.
BIN_DIR=$1
ASSETS=$2
. "$(dirname "$0")/lib.sh"

DATA=$ASSETS/demo/data.json
AINO=aino.harkonen@demo.bezala.test
OSKARI=oskari.heikkila@demo.bezala.test
RIIKKA=riikka.soderstrom@demo.bezala.test
TAPIO=tapio.makela@demo.bezala.test
JUSSI=jussi.ohman@demo.bezala.test
VIEWS="receipts trips allowances rewards approvals archive users
    ledger-accounts cost-centers batches company"

# The expectation, computed from the data set with the visibility rules
# of the API contract; nothing here knows a count.
cat >"$E2E_TMP/views.py" <<'EOF'
import csv, io, json, sys, unicodedata

data = json.load(open(sys.argv[1]))
KINDS = {"receipts": ["receipts"], "trips": ["trips"],
         "allowances": ["daily_allowances"], "rewards": ["rewards"]}
ALL_KINDS = ["receipts", "trips", "daily_allowances", "rewards"]
EXPENSE_KEYS = {"date", "description", "user_name", "amount", "currency",
                "user_id"}


def user_id(email):
    return [u["id"] for u in data["users"] if u["email"] == email][0]


def membership(uid, company):
    for m in data["memberships"]:
        if m["user_id"] == uid and m["company_id"] == company:
            return m
    return None


def visible(item, uid, roles):
    own = item["user_id"] == uid
    if "manager" in roles or "accountant" in roles:
        return item["state"] != "draft" or own
    return (own or (item["state"] == "reviewing" and
                    (uid in item.get("current_approvers_ids", []) or
                     "money_checker" in roles)))


def items(kinds, uid, company, roles):
    return [i for k in kinds for i in data[k]
            if i["company_id"] == company and visible(i, uid, roles)]


def expected(view, email, company):
    """The rows the user may see, or None for a 403."""
    uid = user_id(email)
    m = membership(uid, company)
    if not m or m["state"] != "accepted":
        return None
    roles = m["roles"]
    sees_all = "manager" in roles or "accountant" in roles
    if view in KINDS:
        return items(KINDS[view], uid, company, roles)
    if view == "approvals":
        return [i for i in items(ALL_KINDS, uid, company, roles)
                if i["state"] == "reviewing" and
                (uid in i.get("current_approvers_ids", []) or
                 "money_checker" in roles)]
    if view == "archive":
        return [i for i in items(ALL_KINDS, uid, company, roles)
                if i["state"] == "accounted"]
    if view == "users":
        comp = [c for c in data["companies"] if c["id"] == company][0]
        ms = [x for x in data["memberships"] if x["company_id"] == company]
        if not sees_all:
            if not comp.get("employees_see_all_users"):
                return None
            ms = [x for x in ms if x["state"] == "accepted"]
        ids = {x["user_id"] for x in ms}
        return [u for u in data["users"] if u["id"] in ids]
    if view == "ledger-accounts":
        return [a for a in data["accounts"] if a["company_id"] == company]
    if view == "cost-centers":
        return [c for c in data["cost_centers"]
                if c["company_id"] == company]
    if view == "batches":
        refs = {i.get("batch_reference_number")
                for k in ALL_KINDS for i in data[k]
                if i["company_id"] == company and i["user_id"] == uid}
        return [b for b in data["batch_documents"]
                if b["company_id"] == company and
                (sees_all or b["reference_number"] in refs)]
    if view == "company":
        return [c for c in data["companies"] if c["id"] == company]
    raise SystemExit("unknown view " + view)


def user_name(uid):
    return [u["name"] for u in data["users"] if u["id"] == uid][0]


def check_row(view, company, row, item):
    """A reason when a JSON row does not show the data's item."""
    if view == "users":
        m = membership(item["id"], company)
        want = {"name": item["name"], "email": item["email"],
                "last_sign_in_at": item.get("last_sign_in_at"),
                "roles": m["roles"], "state": m["state"]}
    elif view in KINDS or view in ("approvals", "archive"):
        want = {"date": item["date"], "description": item["description"],
                "user_id": item["user_id"],
                "user_name": user_name(item["user_id"]),
                "amount": item["total_cost"], "currency": item["currency"]}
        if view != "archive":
            want["state"] = item["state"]
    else:
        return None
    for key, value in want.items():
        if row.get(key) != value:
            return "%s %s: %r, want %r" % (row["id"], key, row.get(key),
                                           value)
    return None


PRODUCT_KEYS = {
    "receipts": {"id", "date", "description", "user_id", "user_name",
                 "amount", "currency", "state"},
    "users": {"id", "name", "email", "roles", "state", "last_sign_in_at"}}


def check_list(view, email, company, path):
    company = int(company)
    want = expected(view, email, company)
    if want is None:
        return "the role may not see %s" % view
    try:
        rows = json.load(open(path))
    except ValueError:
        return "the output is not JSON"
    if view == "company":
        return None
    if not isinstance(rows, list):
        return "not a JSON array"
    keys = {frozenset(r.keys()) for r in rows}
    if len(keys) > 1:
        return "rows differ in their keys: %s" % keys
    if rows and not all(isinstance(r["id"], int) for r in rows):
        return "ids are not numbers"
    if rows and view in PRODUCT_KEYS and PRODUCT_KEYS[view] - set(rows[0]):
        return "keys missing: %s" % sorted(PRODUCT_KEYS[view] - set(rows[0]))
    if view in KINDS or view in ("approvals", "archive"):
        missing = EXPENSE_KEYS - set(rows[0].keys()) if rows else set()
        if missing:
            return "keys missing: %s" % sorted(missing)
        if rows and not isinstance(rows[0]["amount"], str):
            return "amount is not decimal text"
    got_ids = sorted(r["id"] for r in rows)
    want_ids = sorted(i["id"] for i in want)
    if got_ids != want_ids:
        return "ids %s..., want %s... (%d, want %d)" % (
            got_ids[:6], want_ids[:6], len(got_ids), len(want_ids))
    by_id = {i["id"]: i for i in want}
    for r in rows:
        reason = check_row(view, company, r, by_id[r["id"]])
        if reason:
            return reason
    return None


def fold(text):
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text
                   if not unicodedata.combining(c)).casefold()


def shown(value):
    if isinstance(value, list):
        return ", ".join(value)
    return "" if value is None else str(value)


def main():
    cmd = sys.argv[2]
    if cmd == "check":
        reason = check_list(*sys.argv[3:7])
        print(reason or "ok")
    elif cmd == "count":
        want = expected(sys.argv[3], sys.argv[4], int(sys.argv[5]))
        print("forbidden" if want is None else len(want))
    elif cmd == "company-of":
        ids = {i["id"]: i["company_id"] for k in ALL_KINDS for i in data[k]}
        try:
            rows = json.load(open(sys.argv[3]))
        except ValueError:
            raise SystemExit("not JSON")
        print(sorted({ids[r["id"]] for r in rows}))
    elif cmd == "filter":
        rows = json.load(open(sys.argv[3]))
        f = fold(sys.argv[4])
        print(sorted(r["id"] for r in rows
                     if any(f in fold(shown(v)) for k, v in r.items()
                            if k not in ("id", "user_id"))))


if __name__ == "__main__":
    main()
EOF

views() {
    python3 "$E2E_TMP/views.py" "$DATA" "$@"
}

# json EXPR: evaluates a Python expression on the JSON in $E2E_TMP/out.
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

err_has() {
    if grep -qF -- "$1" "$E2E_TMP/err"; then
        pass "$2"
    else
        fail "$2: '$1' not in stderr: $(cat "$E2E_TMP/err")"
    fi
}

# same FILE EXPECTED_FILE: both hold the same non-empty output.
same() {
    if [ -s "$2" ] && [ "$(wc -c <"$2")" -gt 4 ] && cmp -s "$1" "$2"; then
        echo same
    else
        echo "differs (or empty)"
    fi
}

login() {
    printf '%s\n' "$2" | bz login --email "$1" --password-stdin
}

# check_view EMAIL COMPANY VIEW: --json rows equal the expectation.
check_view() {
    local email=$1 company=$2 view=$3 want
    want=$(views count "$view" "$email" "$company")
    if [ "$want" = forbidden ]; then
        expect_exit 4 "$view hidden from $email in $company" -- \
            bz --account "$email" "$view" --json
        err_has "not visible to your role in" "$view: the 403 names the role"
        err_has "$view" "$view: the 403 names the view"
        return
    fi
    expect_exit 0 "$view --json as $email in $company" -- \
        bz --account "$email" "$view" --json
    check "$view rows for $email in $company ($want expected)" \
        "$(views check "$view" "$email" "$company" "$E2E_TMP/out")" ok
}

sim_start

expect_exit 0 "help lists the new commands" -- bz help
for cmd in $VIEWS export; do
    grep -q "^  $cmd " "$E2E_TMP/out" || fail "help lacks $cmd"
done
for cmd in $VIEWS export; do
    expect_exit 0 "$cmd --help" -- bz "$cmd" --help
    grep -q "Usage: bezala $cmd" "$E2E_TMP/out" ||
        fail "$cmd --help: $(head -n 2 "$E2E_TMP/out")"
done
expect_exit 3 "trips before sign-in" -- bz trips

expect_exit 0 "aino signs in" -- login "$AINO" demo-aino-2025
expect_exit 0 "aino switches to 318" -- bz --account "$AINO" switch 318
for view in $VIEWS; do
    check_view "$AINO" 318 "$view"
done
expect_exit 0 "company --json" -- bz --account "$AINO" company --json
check "company object names the company" "$(json 'd.get("name")')" \
    "Pohjolan Sähkö ja Lämpö Oy"
check "company object has its id" "$(json 'str(d.get("id"))')" 318

# Usage errors name what is valid.
expect_exit 2 "unknown state" -- bz --account "$AINO" trips --state bogus
err_has "reviewing" "the state error lists the states"
expect_exit 2 "--state on users" -- bz --account "$AINO" users --state queue
expect_exit 2 "--limit on company" -- bz --account "$AINO" company --limit 3
expect_exit 2 "--role on trips" -- bz --account "$AINO" trips --role x
expect_exit 2 "bad limit" -- bz --account "$AINO" rewards --limit -1

# Narrowing.
expect_exit 0 "trips in full" -- bz --account "$AINO" trips --json
cp "$E2E_TMP/out" "$E2E_TMP/trips.json"
expect_exit 0 "trips --limit 3" -- bz --account "$AINO" trips --json --limit 3
check "the first three trips" "$(json '[r["id"] for r in d]')" \
    "$(python3 -c "import json; print([r['id'] for r in \
json.load(open('$E2E_TMP/trips.json'))][:3])")"
for view in receipts trips allowances rewards approvals; do
    expect_exit 0 "$view --state reviewing" -- \
        bz --account "$AINO" "$view" --json --state reviewing
    check "$view: only reviewing" \
        "$(json 'sorted(set(r["state"] for r in d)) in ([], ["reviewing"])')" \
        True
done
expect_exit 0 "users --role accountant" -- \
    bz --account "$AINO" users --json --role accountant
check "only accountants" \
    "$(json 'all("accountant" in r["roles"] for r in d) and len(d) > 0')" True

# Text tables: a header and one line per row.
expect_exit 0 "trips as text" -- bz --account "$AINO" trips
check "trips table header" "$(head -n 1 "$E2E_TMP/out" |
    grep -c 'ID .*DESCRIPTION')" 1
check "one line per trip" "$(($(wc -l <"$E2E_TMP/out") - 1))" \
    "$(views count trips "$AINO" 318)"
expect_exit 0 "company as text" -- bz --account "$AINO" company
grep -q 'Pohjolan Sähkö ja Lämpö Oy' "$E2E_TMP/out" &&
    pass "company text names the company" ||
    fail "company text: $(cat "$E2E_TMP/out")"

# Other roles.
expect_exit 0 "oskari signs in" -- login "$OSKARI" demo-oskari-2025
for view in receipts trips allowances rewards approvals archive users \
    batches; do
    check_view "$OSKARI" 318 "$view"
done
expect_exit 0 "riikka signs in" -- login "$RIIKKA" demo-riikka-2025
for view in approvals receipts; do
    check_view "$RIIKKA" 318 "$view"
done
expect_exit 0 "tapio signs in" -- login "$TAPIO" demo-tapio-2025
for view in approvals trips; do
    check_view "$TAPIO" 318 "$view"
done
expect_exit 0 "jussi signs in" -- login "$JUSSI" demo-jussi-2025
for view in users receipts batches; do
    check_view "$JUSSI" 205 "$view"
done

# Export.
A="--account $AINO"
expect_exit 2 "export of an unknown view" -- bz $A export nope --csv
err_has "ledger-accounts" "the view error lists the views"
expect_exit 2 "export without --csv" -- bz $A export receipts
expect_exit 2 "export with an unknown sort key" -- \
    bz $A export receipts --csv --sort nope
err_has "description" "the sort error lists the keys"
expect_exit 2 "export with an unknown state" -- \
    bz $A export receipts --csv --state nope

expect_exit 0 "receipts --json for export" -- bz $A receipts --json
cp "$E2E_TMP/out" "$E2E_TMP/receipts.json"
expect_exit 0 "export receipts to stdout" -- bz $A export receipts --csv
cp "$E2E_TMP/out" "$E2E_TMP/receipts.csv"
cat >"$E2E_TMP/csvcheck.py" <<'EOF'
import csv, io, json, sys
raw = open(sys.argv[1], "rb").read()
rows = json.load(open(sys.argv[2]))
data = json.load(open(sys.argv[3]))
text = raw.decode("utf-8")
table = list(csv.reader(io.StringIO(text, newline="")))
head, body = table[0], table[1:]
problems = []
if head[0] != "id":
    problems.append("first column %r" % head[0])
if rows and set(head) != set(rows[0].keys()):
    problems.append("header %s vs JSON keys %s" % (head, list(rows[0])))
if [int(r[0]) for r in body] != [r["id"] for r in rows]:
    problems.append("ids differ from the JSON's")
if not raw.endswith(b"\r\n") or b"\r\n" not in raw:
    problems.append("lines do not end in CRLF")
col = head.index("description")
by_id = {r["id"]: r for r in rows}
for r in body:
    want = by_id[int(r[0])]["description"]
    ok = r[col] == want or (want[:1] in "=+-@" and r[col] == "'" + want)
    if not ok:
        problems.append("description of %s: %r, want %r" % (r[0], r[col],
                                                            want))
tricky = [r for r in rows if '"' in (r["description"] or "") or
          "\n" in (r["description"] or "")]
if not tricky:
    problems.append("no description with a quote or newline to check")
for r in tricky:
    quoted = '"' + r["description"].replace('"', '""') + '"'
    if quoted.encode("utf-8") not in raw:
        problems.append("%s not quoted as RFC 4180 says" % r["id"])
print("; ".join(problems[:5]) or "ok")
EOF
check "CSV matches the JSON, quoted, UTF-8" \
    "$(python3 "$E2E_TMP/csvcheck.py" "$E2E_TMP/receipts.csv" \
        "$E2E_TMP/receipts.json" "$DATA")" ok

OUT_DIR=$E2E_TMP/exports
mkdir -p "$OUT_DIR"
expect_exit 0 "export to a file" -- \
    bz $A export receipts --csv -o "$OUT_DIR/r.csv"
check "the file is mode 0600" "$(stat -c %a "$OUT_DIR/r.csv")" 600
check "the file equals standard output" \
    "$(same "$OUT_DIR/r.csv" "$E2E_TMP/receipts.csv")" same
check "nothing else left in the folder" "$(ls -A "$OUT_DIR")" r.csv
echo "keep me" >"$OUT_DIR/r.csv"
expect_exit 1 "no overwrite without --force" -- \
    bz $A export receipts --csv -o "$OUT_DIR/r.csv"
err_has "--force" "the refusal names --force"
check "the file is untouched" "$(cat "$OUT_DIR/r.csv")" "keep me"
expect_exit 0 "overwrite with --force" -- \
    bz $A export receipts --csv -o "$OUT_DIR/r.csv" --force
check "the file was replaced" \
    "$(same "$OUT_DIR/r.csv" "$E2E_TMP/receipts.csv")" same
check "still 0600 after --force" "$(stat -c %a "$OUT_DIR/r.csv")" 600
expect_exit 1 "export into a folder that is missing" -- \
    bz $A export receipts --csv -o "$OUT_DIR/none/r.csv"
check "no file left after a failure" "$(ls -A "$OUT_DIR")" r.csv

cat >"$E2E_TMP/sorted.py" <<'EOF'
import csv, io, sys
from decimal import Decimal
table = list(csv.reader(io.StringIO(open(sys.argv[1], encoding="utf-8",
                                         newline="").read())))
if not table or sys.argv[2] not in table[0]:
    raise SystemExit("no column " + sys.argv[2])
col = table[0].index(sys.argv[2])
vals = [r[col] for r in table[1:]]
if sys.argv[3] == "number":
    vals = [Decimal(v) for v in vals]
print(vals == sorted(vals, reverse=sys.argv[4] == "desc") and len(vals) > 1)
EOF
expect_exit 0 "export sorted by amount, descending" -- \
    bz $A export receipts --csv --sort amount:desc
check "amounts descend" \
    "$(python3 "$E2E_TMP/sorted.py" "$E2E_TMP/out" amount number desc)" True
expect_exit 0 "export sorted by date" -- \
    bz $A export trips --csv --sort date
check "dates ascend" \
    "$(python3 "$E2E_TMP/sorted.py" "$E2E_TMP/out" date text asc)" True
expect_exit 0 "export sorted by id, descending" -- \
    bz $A export trips --csv --sort id:desc
check "ids descend" \
    "$(python3 "$E2E_TMP/sorted.py" "$E2E_TMP/out" id number desc)" True

# The filter folds case and accents as the UI does: an unaccented,
# upper-case word finds the accented one.
word=$(python3 -c "import json,sys,unicodedata
rows = json.load(open(sys.argv[1]))
for r in rows:
    for w in (r['description'] or '').split():
        plain = unicodedata.normalize('NFKD', w)
        plain = ''.join(c for c in plain if not unicodedata.combining(c))
        if plain != w and plain.isalpha() and len(plain) > 4:
            print(plain.upper()); raise SystemExit" "$E2E_TMP/receipts.json")
expect_exit 0 "export with --filter $word" -- \
    bz $A export receipts --csv --filter "$word"
check "the filter keeps the matching rows" \
    "$(python3 -c "import csv,io,sys
t = list(csv.reader(io.StringIO(open(sys.argv[1], encoding='utf-8',
                                     newline='').read())))
print(sorted(int(r[0]) for r in t[1:]))" "$E2E_TMP/out")" \
    "$(views filter "$E2E_TMP/receipts.json" "$word")"
expect_exit 0 "export with --state queue" -- \
    bz $A export receipts --csv --state queue
check "only queue rows" "$(python3 -c "import csv,io,sys
t = list(csv.reader(io.StringIO(open(sys.argv[1], encoding='utf-8',
                                     newline='').read())))
c = t[0].index('state'); print(sorted({r[c] for r in t[1:]}))" \
    "$E2E_TMP/out")" "['queue']"
expect_exit 4 "export of a hidden view" -- \
    bz --account "$OSKARI" export users --csv

# --cached: nothing stored yet, then the store's answer equals the
# server's, offline too; a company's cache never answers for another.
expect_exit 1 "nothing cached yet" -- \
    bz --account "$TAPIO" rewards --cached --json
err_has "once online" "the message says to run it online"
expect_exit 0 "aino's trips online" -- bz $A trips --json
cp "$E2E_TMP/out" "$E2E_TMP/trips-online.json"
expect_exit 0 "aino's trips from the store" -- bz $A trips --json --cached
check "cached trips equal the online answer" \
    "$(same "$E2E_TMP/out" "$E2E_TMP/trips-online.json")" same
err_has "cached data from" "stderr says the data is cached"
grep -Eq 'ago \([0-9]{4}-[0-9]{2}-[0-9]{2}T' "$E2E_TMP/err" &&
    pass "stderr names the age and the time" ||
    fail "cached note: $(cat "$E2E_TMP/err")"
expect_exit 0 "whoami --cached" -- bz $A whoami --json --cached
check "cached whoami names 318" "$(json 'd["company"]["id"]')" 318

expect_exit 0 "aino switches to 205" -- bz $A switch 205
bz $A trips --json --cached >"$E2E_TMP/out" 2>"$E2E_TMP/err"
code=$?
if [ "$code" -eq 1 ]; then
    pass "no 318 trips answered under 205 (nothing cached)"
elif [ "$code" -eq 0 ]; then
    check "cached trips under 205 are 205's" \
        "$(views company-of "$E2E_TMP/out")" "[205]"
else
    fail "trips --cached after a switch: exit $code: $(cat "$E2E_TMP/err")"
fi
expect_exit 0 "aino's 205 trips online" -- bz $A trips --json
cp "$E2E_TMP/out" "$E2E_TMP/trips-205.json"
expect_exit 0 "aino's 205 receipts online" -- bz $A receipts --json
cp "$E2E_TMP/out" "$E2E_TMP/receipts-205.json"
expect_exit 0 "export for the offline check" -- bz $A export trips --csv
cp "$E2E_TMP/out" "$E2E_TMP/trips-205.csv"

kill "$SIM_PID" && wait "$SIM_PID" 2>/dev/null
SIM_PID=
expect_exit 5 "online without the server" -- bz $A trips --json
expect_exit 0 "trips --cached offline" -- bz $A trips --json --cached
check "offline trips equal 205's online answer" \
    "$(same "$E2E_TMP/out" "$E2E_TMP/trips-205.json")" same
check "offline trips are 205's" "$(views company-of "$E2E_TMP/out")" "[205]"
expect_exit 0 "receipts --cached offline" -- bz $A receipts --json --cached
check "offline receipts equal the online answer" \
    "$(same "$E2E_TMP/out" "$E2E_TMP/receipts-205.json")" same
expect_exit 0 "export --cached offline" -- bz $A export trips --csv --cached
check "offline CSV equals the online one" \
    "$(same "$E2E_TMP/out" "$E2E_TMP/trips-205.csv")" same
expect_exit 0 "companies --cached offline" -- bz $A companies --json --cached
check "cached companies mark 205 active" \
    "$(json '[c["id"] for c in d if c["active"]]')" "[205]"
expect_exit 1 "a view never loaded, offline" -- bz $A rewards --cached
err_has "once online" "the message says to run it online"

e2e_finish
