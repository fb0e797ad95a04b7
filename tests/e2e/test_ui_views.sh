#!/usr/bin/env bash
# The UI's views in tmux against bezala-sim: every view of an accountant's
# company shows its rows (expected rows derived from the sim's data set),
# a detail opens, sorting, an accent-free filter with n/N, a CSV export, a
# company switch that leaves no old row, a plain employee kept out of the
# users view, and an offline start from the cache that recovers.
BIN_DIR=$1
ASSETS=$2
. "$(dirname "$0")/lib.sh"

EMAIL=aino.harkonen@demo.bezala.test
PASSWORD=demo-aino-2025
DATA=$ASSETS/demo/data.json

# facts KEY...: values derived from the data set (see the Python below).
python3 - "$DATA" >"$E2E_TMP/facts" <<'EOF'
import json, shlex, sys, unicodedata
d = json.load(open(sys.argv[1]))
users = {u["id"]: u for u in d["users"]}
aino = next(u["id"] for u in d["users"] if u["email"].startswith("aino."))
KINDS = ["receipts", "trips", "daily_allowances", "rewards"]

def fold(s):
    s = unicodedata.normalize("NFKD", s or "")
    return "".join(c for c in s if not unicodedata.combining(c)).lower()

def visible(kind, company):
    # aino is manager and accountant here: all but others' drafts
    return [i for i in d[kind] if i["company_id"] == company and
            (i["state"] != "draft" or i["user_id"] == aino)]

def out(key, value):
    print("%s=%s" % (key, shlex.quote(str(value))))

def newest(items):
    return max(i["date"] for i in items) if items else ""

for c, tag in ((101, "A"), (205, "B")):
    for kind in KINDS:
        items = visible(kind, c)
        out("%s_%s_N" % (tag, kind.upper()), len(items))
        out("%s_%s_DATE" % (tag, kind.upper()), newest(items))
    waiting = [i for k in KINDS for i in d[k] if i["company_id"] == c and
               i["state"] == "reviewing" and
               aino in (i.get("current_approvers_ids") or [])]
    out("%s_APPROVALS_N" % tag, len(waiting))
    out("%s_USERS_N" % tag,
        sum(1 for m in d["memberships"] if m["company_id"] == c))
    out("%s_ACCOUNTS_N" % tag,
        sum(1 for a in d["accounts"] if a["company_id"] == c))
    out("%s_COST_CENTERS_N" % tag,
        sum(1 for a in d["cost_centers"] if a["company_id"] == c))
    batches = [b for b in d["batch_documents"] if b["company_id"] == c]
    out("%s_BATCHES_N" % tag, len(batches))
    withitems = [b for b in batches if b.get("item_count")]
    ref = max(withitems, key=lambda b: b["created_at"]) if withitems else {}
    out("%s_BATCH_REF" % tag, ref.get("reference_number", ""))
    comp = next(x for x in d["companies"] if x["id"] == c)
    out("%s_NAME" % tag, comp["name"])
    out("%s_BUSINESS_ID" % tag, comp["business_id"])

# An accented description of company 101 and its accent-free query.
rec = visible("receipts", 101)
word = next(w for i in rec for w in i["description"].split()
            if fold(w) != w.lower() and len(w) >= 5 and w.isalpha())
query = fold(word)
shown = lambda i: fold(i["description"]) + " " + \
    fold(users[i["user_id"]]["name"])
matches = [i for i in rec if query in shown(i)]
out("QUERY", query)
out("QUERY_WORD", word)
out("QUERY_N", len(matches))
# Users of company 101 only: none of them may show after the switch.
only = [u for u in users if
        {m["company_id"] for m in d["memberships"] if m["user_id"] == u}
        == {101}]
out("ONLY_A_USER", users[only[0]]["name"] if only else "")
# The plain employee's company lets employees see users or not.
osk = next(u for u in d["users"] if u["email"].startswith("oskari."))
comp = next(x for x in d["companies"] if x["id"] == 318)
out("OSKARI_SEES_USERS", "yes" if comp["employees_see_all_users"] else "no")
EOF
. "$E2E_TMP/facts"

title_count() { # view title, count: "Receipts  37", or the empty text
    if [ "$2" -gt 0 ]; then
        expect_screen "$1  $2" "$1: $2 rows as the data set has"
    else
        expect_screen "Nothing here" "$1: empty, said in words"
    fi
}

sim_start
ui_start 130 40 "$BIN_DIR/bezala --server $SIM_URL --cacert $CACERT \
    --home $E2E_HOME"
expect_screen "Sign in to $SIM_URL" "sign-in screen"
ui_text "$EMAIL"
ui_keys Tab
ui_text "$PASSWORD"
ui_keys Enter
expect_status_line "$A_NAME" "signed in, the first company"
expect_screen "1 Receipts  2 Trips" "the view bar"

# Every view of the first company.
ui_keys 1
title_count Receipts "$A_RECEIPTS_N"
[ -n "$A_RECEIPTS_DATE" ] && expect_screen "$A_RECEIPTS_DATE" \
    "the newest receipt is the first row"
expect_screen "Description" "receipt columns"
ui_keys 2
title_count Trips "$A_TRIPS_N"
[ -n "$A_TRIPS_DATE" ] && expect_screen "$A_TRIPS_DATE" "newest trip shown"
ui_keys 3
title_count "Daily allowances" "$A_DAILY_ALLOWANCES_N"
[ -n "$A_DAILY_ALLOWANCES_DATE" ] &&
    expect_screen "$A_DAILY_ALLOWANCES_DATE" "newest allowance shown"
ui_keys 4
title_count Rewards "$A_REWARDS_N"
ui_keys 5
if [ "$A_APPROVALS_N" -gt 0 ]; then
    expect_screen "My approvals  $A_APPROVALS_N" "approvals waiting for her"
else
    expect_screen "Nothing waits for your approval" "no approvals, in words"
fi
ui_keys 6
expect_screen "Archive  " "the archive loads"
[ -n "$A_BATCH_REF" ] && expect_screen "$A_BATCH_REF" \
    "the archive starts with the newest batch"
ui_keys 7
title_count "Users and roles" "$A_USERS_N"
expect_screen "Roles" "users show their roles"
ui_keys 8
title_count "Ledger accounts" "$A_ACCOUNTS_N"
ui_keys 9
title_count "Cost centers" "$A_COST_CENTERS_N"
ui_keys 0
title_count "Batch documents" "$A_BATCHES_N"
ui_keys ']'
expect_screen "Company info" "] reaches the company info"
expect_screen "$A_BUSINESS_ID" "the company's business id"
ui_keys ']'
expect_screen "Receipts  " "] wraps around to the receipts"
ui_keys '['
expect_screen "Company info" "[ goes back"
ui_keys Tab
expect_screen "Receipts  " "Tab changes view too"

# The detail of a user: what this person can do here.
ui_keys 7 g Enter
expect_screen "Detail" "Enter opens the detail"
expect_screen "employee" "the detail names a role"
expect_screen "submits expenses" "and says what the role allows"
ui_keys Escape
expect_gone "Esc close" "Esc closes the detail"

# R: the role filter.
ui_keys R
expect_screen "role employee" "R filters users by role"
ui_keys R R R R R
expect_gone "role " "R cycles back to every role"

# Sorting by column.
ui_keys s
expect_screen "Name ▲" "s sorts by the first column"
ui_keys S
expect_screen "Name ▼" "S reverses"
ui_keys s
expect_screen "Email ▲" "s again takes the next column"

# Filter, accent-free, in the receipts.
ui_keys 1 /
ui_text "$QUERY"
expect_screen "filter “$QUERY”" "the filter shows as typed"
if [ "$QUERY_N" -lt "$A_RECEIPTS_N" ]; then
    expect_screen "Receipts  $QUERY_N of $A_RECEIPTS_N" \
        "accent-free '$QUERY' matches $QUERY_N rows"
fi
expect_screen "$QUERY_WORD" "it matches the accented '$QUERY_WORD'"
ui_keys Enter
if [ "$QUERY_N" -eq 1 ]; then
    expect_screen "1 row matches:" "Enter keeps the filter, one match"
else
    expect_screen "$QUERY_N rows match:" "Enter keeps the filter"
fi
ui_keys n
if [ "$QUERY_N" -ge 2 ]; then
    expect_screen "match 2 of $QUERY_N" "n goes to the next match"
    ui_keys N N
    expect_screen "match $QUERY_N of $QUERY_N" "N wraps to the last match"
else
    expect_screen "match 1 of 1" "n stays on the only match"
fi

# Export what is shown.
OUT=$E2E_TMP/export.csv
ui_keys e
expect_screen "Export CSV to: ./bezala-receipts-101-" "a default file name"
ui_keys C-u
ui_text "$OUT"
ui_keys Enter
if [ "$QUERY_N" -eq 1 ]; then
    expect_screen "Wrote 1 row to $OUT." "the export says what it wrote"
else
    expect_screen "Wrote $QUERY_N rows to $OUT." "the export says what it wrote"
fi
if [ -f "$OUT" ]; then
    mode=$(stat -c %a "$OUT")
    [ "$mode" = 600 ] && pass "the CSV is 0600" || fail "CSV mode $mode"
    head -n 1 "$OUT" | grep -q '^id,' && pass "the CSV has its header" ||
        fail "CSV header: $(head -n 1 "$OUT")"
    records=$(python3 -c 'import csv,sys
print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=""))) - 1)' "$OUT")
    [ "$records" = "$QUERY_N" ] && pass "the CSV holds the $QUERY_N rows" ||
        fail "CSV holds $records rows, want $QUERY_N"
    grep -q "$QUERY_WORD" "$OUT" && pass "the CSV keeps the accents" ||
        fail "the CSV lacks $QUERY_WORD"
else
    fail "no CSV written"
fi
before=$(md5sum <"$OUT")
ui_keys e C-u
ui_text "$OUT"
ui_keys Enter
expect_screen "exists. Overwrite it? y / n" "no silent overwrite"
ui_keys n
expect_screen "Not overwritten" "n keeps the file"
ui_keys Escape
[ "$(md5sum <"$OUT")" = "$before" ] && pass "the file is unchanged" ||
    fail "the file changed without confirmation"

# Export errors say what to do: a folder that does not exist, a folder
# given as the file.
ui_keys e C-u
ui_text "$E2E_TMP/no-such-folder/x.csv"
ui_keys Enter
expect_screen "create it or choose another" \
    "a missing folder is named as such"
ui_keys e C-u
ui_text "$E2E_TMP"
ui_keys Enter
expect_screen "give a file name, not a folder or a link" \
    "a folder as the target says to give a file name"

# A filter that matches nothing: said in words, no n / N hint.
ui_keys / C-u
ui_text "zzqxzzqx"
ui_keys Enter
expect_screen "No row matches:" "no match is said in words"
expect_no_screen "0 rows" "no \"0 rows\""
expect_no_screen "n and N step" "no n / N hint without matches"
ui_keys Escape
expect_screen "Filter cleared." "Esc clears the filter"

# A company switch: old rows gone, filters reset.
ui_keys c
expect_screen "Switch company" "company picker"
ui_text "äimä"
ui_keys Enter
expect_screen "Switched to $B_NAME." "switched"
title_count Receipts "$B_RECEIPTS_N"
expect_no_screen "filter “" "the filter is reset"
[ -n "$ONLY_A_USER" ] && expect_no_screen "$ONLY_A_USER" \
    "no row of the old company remains"
ui_keys 7
title_count "Users and roles" "$B_USERS_N"
[ -n "$ONLY_A_USER" ] && expect_no_screen "$ONLY_A_USER" \
    "nor among the users"
ui_keys 1
title_count Receipts "$B_RECEIPTS_N"
ui_keys q
expect_screen "[exited 0]" "q quits"

# Offline: the cache shows, marked, and the UI recovers.
tmux -S "$E2E_SOCKET" kill-server 2>/dev/null
kill "$SIM_PID" && wait "$SIM_PID" 2>/dev/null
OLD_URL=$SIM_URL
SIM_PID=
ui_start 130 40 "$BIN_DIR/bezala --server $OLD_URL --cacert $CACERT \
    --home $E2E_HOME"
expect_status_line "offline" "offline shown in the status line"
expect_status_line "cached" "with the age of the data"
expect_screen "Receipts  $B_RECEIPTS_N" "cached rows shown"
expect_screen "cached just now" "the view says it is cached"
port=${OLD_URL##*:}
port=${port%/}
rm -f "$E2E_TMP/sim.out"
sim_start --port "$port"
# The new server no longer knows the token: it answers, so the offline
# mark goes, and the re-login form asks for the password.
expect_screen "Session expired: sign in again" "the server answers again" 25
expect_no_status_line "offline" "the offline mark is gone"
expect_no_status_line "loading" "no loading while the re-login form waits"
expect_no_screen "trying again every" "the offline message is gone"
ui_text "$PASSWORD"
ui_keys Enter
# The restarted sim has her on her first company again: the UI follows
# the server and says so.
expect_status_line "changed elsewhere" "the server's company is followed"
expect_status_line "$A_NAME" "now the first company"
expect_screen "Receipts  $A_RECEIPTS_N" "the same view, fresh rows"
expect_gone "cached just now" "no cached mark on fresh rows"
ui_keys q
expect_screen "[exited 0]" "q quits"

# A plain employee and the users view.
tmux -S "$E2E_SOCKET" kill-server 2>/dev/null
HOME2=$E2E_TMP/home2
printf '%s' demo-oskari-2025 | "$BIN_DIR/bezala" --server "$SIM_URL" \
    --cacert "$CACERT" --home "$HOME2" login --password-stdin \
    --email oskari.heikkila@demo.bezala.test >/dev/null 2>&1 ||
    fail "oskari could not sign in"
ui_start 130 40 "$BIN_DIR/bezala --server $SIM_URL --cacert $CACERT \
    --home $HOME2"
expect_status_line "Pohjolan" "oskari's company"
ui_keys 7
if [ "$OSKARI_SEES_USERS" = no ]; then
    expect_screen "Not visible to your role here" \
        "users explained to a plain employee"
    expect_screen "Your roles in" "with his roles"
else
    expect_screen "Users and roles  " "his company shows users to all"
fi
ui_keys 1
expect_row 3 "Receipts  " "his own receipts load"
# The bar dims a view the server refused in this company (SGR 2, dim).
bar=$(tmux -S "$E2E_SOCKET" capture-pane -p -e -t ui | sed -n 2p)
if [ "$OSKARI_SEES_USERS" = no ]; then
    if printf '%s' "$bar" | grep -q $'\e\\[[0-9;]*2m7 Users'; then
        pass "the refused users view is dimmed in the bar"
    else
        fail "the refused users view is not dimmed: $(printf '%q' "$bar")"
    fi
fi
ui_resize 3 2
e2e_sleep 0.3
ui_resize 130 40
expect_screen "Receipts  " "whole again after a tiny resize"
ui_keys q
expect_screen "[exited 0]" "q quits"

e2e_finish
