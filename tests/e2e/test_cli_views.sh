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

# --- Server text with escape sequences, bidi controls and wide text ------
# A copy of the data where one receipt's description carries an escape
# sequence, an OSC title, a C1 CSI and a right-to-left override, and
# another is long, in CJK with combining marks.
EVIL=$E2E_TMP/evil
mkdir -p "$EVIL"
python3 - "$DATA" "$EVIL/data.json" <<'EOF'
import json, sys
data = json.load(open(sys.argv[1]))
seen = [r for r in data["receipts"]
        if r["company_id"] == 318 and r["state"] not in ("draft",)
        and len(r.get("description") or "") < 100
        and "\n" not in (r.get("description") or "")]
seen[0]["description"] = ("Taksi \x1b[2J\x1b]0;pwned\x07 \u009b31m "
                          "\u202eevil\u202c loppu")
seen[1]["description"] = "\u51fa\u5f35" * 40 + " cafe\u0301" * 20
json.dump(data, open(sys.argv[2], "w"), ensure_ascii=True)
EOF
rm -f "$E2E_TMP/sim.out"
sim_start --data "$EVIL"
expect_exit 0 "aino signs in to the second server" -- \
    login "$AINO" demo-aino-2025
expect_exit 0 "aino switches to 318 there" -- bz $A switch 318

# on_tty COLS COMMAND...: runs bezala with standard output on a terminal
# COLS columns wide (0: no window size), output in out, status in code.
on_tty() {
    local cols=$1 cmd
    shift
    cmd=$(printf '%q ' "$BIN_DIR/bezala" --server "$SIM_URL" \
        --cacert "$CACERT" --home "$E2E_HOME" "$@")
    script -qec "stty cols $cols rows 40; $cmd" /dev/null \
        </dev/null >"$E2E_TMP/out" 2>"$E2E_TMP/err"
    code=$?
}

# has_bytes FILE: which of ESC, C1 CSI and U+202E the file holds.
has_bytes() {
    python3 -c "import sys
raw = open(sys.argv[1], 'rb').read()
print([n for n, b in (('ESC', b'\x1b'), ('CSI', b'\xc2\x9b'),
                      ('RLO', b'\xe2\x80\xae')) if b in raw])" "$1"
}

on_tty 100 $A export receipts --csv
check "CSV on a terminal exits 0" "$code" 0
check "no control or bidi bytes reach the terminal" \
    "$(has_bytes "$E2E_TMP/out")" "[]"
grep -q "Taksi ?" "$E2E_TMP/out" && pass "the field is shown, made safe" ||
    fail "tty CSV: $(head -c 300 "$E2E_TMP/out")"
expect_exit 0 "CSV into a pipe" -- bz $A export receipts --csv
check "a pipe gets the bytes as sent" "$(has_bytes "$E2E_TMP/out")" \
    "['ESC', 'CSI', 'RLO']"

# The text table fits the terminal: the long text columns are cut with
# "…", display width counted (wide and combining characters), the short
# ones (ids, amounts, dates) stay whole; a pipe gets every character.
expect_exit 0 "receipts --json for the width checks" -- bz $A receipts --json
cp "$E2E_TMP/out" "$E2E_TMP/evil-receipts.json"
cat >"$E2E_TMP/width.py" <<'EOF'
import json, sys, unicodedata
text = open(sys.argv[1], "rb").read().decode("utf-8")
rows = json.load(open(sys.argv[2]))
cols = int(sys.argv[3])


def width(s):
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in s)


lines = [l.rstrip("\r") for l in text.split("\n") if l.strip("\r")]
problems = []
if len(lines) != len(rows) + 1:
    problems.append("%d lines for %d rows" % (len(lines), len(rows)))
wide = [l for l in lines if width(l) > cols]
if cols and wide:
    problems.append("%d lines wider than %d: %d" % (len(wide), cols,
                                                   width(wide[0])))
if cols and not any("\u2026" in l and "\u51fa" in l for l in lines):
    problems.append("the CJK description is not cut with an ellipsis")
if not cols and not any("\u51fa\u5f35" * 40 in l for l in lines):
    problems.append("the CJK description is not whole")
for r in rows:
    if r["amount"] not in text or r["date"] not in text:
        problems.append("%s: amount or date cut" % r["id"])
        break
print("; ".join(problems[:4]) or "ok")
EOF
on_tty 100 $A receipts
check "receipts on a 100-column terminal exits 0" "$code" 0
check "every line fits 100 columns, short columns whole" \
    "$(python3 "$E2E_TMP/width.py" "$E2E_TMP/out" \
        "$E2E_TMP/evil-receipts.json" 100)" ok
check "no control or bidi bytes in the table" \
    "$(has_bytes "$E2E_TMP/out")" "[]"
COLUMNS=70 on_tty 0 $A receipts
check "\$COLUMNS when the terminal has no size" \
    "$(python3 "$E2E_TMP/width.py" "$E2E_TMP/out" \
        "$E2E_TMP/evil-receipts.json" 70)" ok
COLUMNS=70 expect_exit 0 "receipts into a pipe" -- bz $A receipts
check "a pipe gets the full text" \
    "$(python3 "$E2E_TMP/width.py" "$E2E_TMP/out" \
        "$E2E_TMP/evil-receipts.json" 0)" ok

# A failed write to standard output is exit 1 with one message.
for args in "receipts --json" "receipts" "company" "export trips --csv"; do
    bz $A $args >/dev/full 2>"$E2E_TMP/err"
    check "$args into a full disk exits 1" "$?" 1
    check "$args: one message names standard output" \
        "$(grep -c 'could not write to standard output: No space left' \
            "$E2E_TMP/err")/$(wc -l <"$E2E_TMP/err")" "1/1"
done

for args in --version --help; do
    "$BIN_DIR/bezala" $args >/dev/full 2>"$E2E_TMP/err"
    check "$args into a full disk exits 1" "$?" 1
    check "$args: one message names standard output" \
        "$(grep -c 'could not write to standard output: No space left' \
            "$E2E_TMP/err")/$(wc -l <"$E2E_TMP/err")" "1/1"
done

# A closed standard output or error is not taken over by a file the run
# opens (here the log): the write fails as it would without --log. Run
# without any wrapper (valgrind would open its own files on the number).
bz_bare() {
    "$BIN_DIR/bezala" --server "$SIM_URL" --cacert "$CACERT" \
        --home "$E2E_HOME" "$@"
}
bz_bare $A receipts --json --log "$E2E_TMP/closed.log" >&- 2>"$E2E_TMP/err"
check "receipts with standard output closed exits 1" "$?" 1
check "and says so" \
    "$(grep -c 'could not write to standard output: Bad file descriptor' \
        "$E2E_TMP/err")" 1
check "nothing of the rows went to the log" \
    "$(grep -c '"id"' "$E2E_TMP/closed.log")" 0
bz_bare $A --log "$E2E_TMP/closed2.log" receipts --nosuch 2>&-
check "a usage error with standard error closed exits 2" "$?" 2
check "its message went nowhere near the log" \
    "$(grep -c 'nosuch' "$E2E_TMP/closed2.log")" 0

# Help offers only what works; approvals take only their one state.
expect_exit 0 "help archive" -- bz help archive
check "archive offers no --state" "$(grep -c -- '--state' "$E2E_TMP/out")" 0
expect_exit 2 "archive --state refused" -- bz $A archive --state accounted
expect_exit 0 "help approvals" -- bz help approvals
check "approvals offer no state that cannot match" \
    "$(grep -cE 'queue|draft|accounted' "$E2E_TMP/out")" 0
expect_exit 2 "approvals --state queue refused" -- \
    bz $A approvals --state queue
err_has "reviewing" "the refusal names the one state"
expect_exit 0 "approvals --state reviewing" -- \
    bz $A approvals --json --state reviewing

# --limit counts after --filter and --sort: a word missing from the first
# rows still finds its rows, and the largest amounts are the largest of
# all, not of the first rows fetched.
word=$(python3 -c "import json, re, sys
rows = json.load(open(sys.argv[1]))
def words(r):
    return set(re.findall(r'[A-Za-z]{5,}', r['description'] or ''))
head = set().union(*[words(r) for r in rows[:3]])
later = {}
for r in rows[3:]:
    for w in words(r) - head:
        later[w] = later.get(w, 0) + 1
print(max(sorted(later), key=lambda w: later[w]))" \
    "$E2E_TMP/evil-receipts.json")
want=$(python3 -c "import json, sys
rows = json.load(open(sys.argv[1]))
print([r['id'] for r in rows
       if sys.argv[2].lower() in (r['description'] or '').lower()][:2])" \
    "$E2E_TMP/evil-receipts.json" "$word")
cat >"$E2E_TMP/csvids.py" <<'EOF'
import csv, io, sys
t = list(csv.reader(io.StringIO(open(sys.argv[1], encoding="utf-8",
                                     newline="").read())))
print([int(r[0]) for r in t[1:]])
EOF
expect_exit 0 "export --filter $word --limit 2" -- \
    bz $A export receipts --csv --filter "$word" --limit 2
check "the first two matches, though not among the first rows" \
    "$(python3 "$E2E_TMP/csvids.py" "$E2E_TMP/out")" "$want"
want=$(python3 -c "import json, sys
from decimal import Decimal
rows = json.load(open(sys.argv[1]))
rows = sorted(rows, key=lambda r: -Decimal(r['amount']))
print([r['id'] for r in rows][:3])" \
    "$E2E_TMP/evil-receipts.json")
expect_exit 0 "export --sort amount:desc --limit 3" -- \
    bz $A export receipts --csv --sort amount:desc --limit 3
check "the three largest of all" \
    "$(python3 "$E2E_TMP/csvids.py" "$E2E_TMP/out")" "$want"

# Arguments: roles, limits and filters that cannot work are refused.
expect_exit 2 "users --role bogus" -- bz $A users --role bogus
err_has "money_checker" "the role error lists the roles"
expect_exit 0 "users --role Money_Checker" -- \
    bz $A users --json --role Money_Checker
for limit in " 3" "+3" "-0" "3 " "0x3"; do
    expect_exit 2 "--limit '$limit' refused" -- \
        bz $A receipts --json --limit "$limit"
done
expect_exit 0 "--limit 007" -- bz $A receipts --json --limit 007
check "--limit 007 is seven" "$(json 'len(d)')" 7
expect_exit 2 "--filter with invalid UTF-8" -- \
    bz $A export receipts --csv --filter "$(printf 'taksi\xff')"
err_has "UTF-8" "the refusal names the encoding"

# A company move made elsewhere is noted, as whoami notes it.
code=$(sim_control /sim/switch "{\"email\":\"$AINO\",\"company_id\":205}")
check "switch elsewhere accepted" "$code" 200
expect_exit 0 "trips after a switch elsewhere" -- bz $A trips --json
err_has "changed elsewhere" "the view notes the company move"
check "the rows are 205's" "$(views company-of "$E2E_TMP/out")" "[205]"
expect_exit 0 "trips again" -- bz $A trips --json
check "noted once" "$(grep -c 'changed elsewhere' "$E2E_TMP/err")" 0

e2e_finish
