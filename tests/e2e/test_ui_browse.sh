#!/usr/bin/env bash
# Moving through a long list in tmux against a slow bezala-sim: the first
# page is on screen while the rest arrives with a visible count, keys work
# meanwhile, the mouse selects rows, scrolls and sorts by a header, and
# the column widths at 80 to 250 columns. Expected rows come from the
# sim's data set.
BIN_DIR=$1
ASSETS=$2
. "$(dirname "$0")/lib.sh"

EMAIL=aino.harkonen@demo.bezala.test
COMPANY=318

# The receipts an accountant of the company sees, in the server's order
# (newest date first, then the highest id): count, the first, second and
# fourth descriptions, and the description of the smallest amount.
python3 - "$ASSETS/demo/data.json" >"$E2E_TMP/facts" <<'PY'
import json, shlex, sys
d = json.load(open(sys.argv[1]))
aino = next(u["id"] for u in d["users"] if u["email"].startswith("aino."))
rows = [r for r in d["receipts"] if r["company_id"] == 318 and
        (r["state"] != "draft" or r["user_id"] == aino)]
rows.sort(key=lambda r: (r["date"], r["id"]), reverse=True)
cheapest = min(rows, key=lambda r: float(r["total_cost"]))
def out(k, v):
    print("%s=%s" % (k, shlex.quote(str(v))))
out("COUNT", len(rows))
out("FIRST", rows[0]["description"][:20])
out("SECOND", rows[1]["description"][:20])
out("FOURTH", rows[3]["description"][:20])
out("CHEAPEST", cheapest["total_cost"])
PY
. "$E2E_TMP/facts"

# Every answer takes 300 ms, so the pages of the list arrive one by one.
sim_start --latency-ms 300
echo demo-aino-2025 | bz login --email "$EMAIL" --password-stdin \
    >/dev/null 2>&1 || fail "login"
bz switch "$COMPANY" >/dev/null 2>&1 || fail "switch"
ui_start 120 30 "$BIN_DIR/bezala --server $SIM_URL --cacert $CACERT \
    --home $E2E_HOME"

expect_screen "loading… " "a running count while pages arrive" 15
expect_screen "$FIRST" "the first page is on screen before the last" 5
if ui_screen | grep -qF "Receipts  $COUNT"; then
    fail "the whole list was there before its pages could arrive"
else
    pass "the count was not complete while loading"
fi
# expect_detail TEXT DESCRIPTION: the open detail's first lines (type,
# date, description) show TEXT.
expect_detail() {
    if ui_screen | grep -A3 "Detail" | grep -qF -- "$1"; then
        pass "$2"
    else
        fail "$2: '$1' is not in the detail; screen was:"
        ui_screen >&2
    fi
}

# Keys work while pages arrive: move down one row and open the detail.
ui_keys j Enter
expect_screen "Detail" "the detail opens while the list loads" 5
expect_detail "$SECOND" "the second row is the one opened"
ui_keys Escape
expect_screen "Receipts  $COUNT" "every visible receipt arrives" 30
expect_no_screen "loading… " "the count stops at the end"

# Mouse, in xterm's X10 encoding as the terminal sends it: ESC [ M, the
# button, then column and row (1-based) each plus 32. A click is a press
# and a release; a turn of the wheel is a quick run of presses.
mouse_at() { # button-byte column row
    local x y
    x=$(printf '\\x%x' $((32 + $2)))
    y=$(printf '\\x%x' $((32 + $3)))
    ui_text $'\e[M'"$1$(printf "$x$y")"
}
click() { # column row
    mouse_at ' ' "$1" "$2"
    mouse_at '#' "$1" "$2"
}
wheel_down() { # column row
    mouse_at 'a' "$1" "$2"
}
# A click on the fourth row selects it; Enter opens it.
ui_keys g
click 20 8
ui_keys Enter
expect_screen "Detail" "Enter after a click opens a detail" 5
expect_detail "$FOURTH" "the clicked row is the one opened"
ui_keys Escape
expect_gone "Detail" "Esc closes the detail"
top=$(ui_screen | sed -n 5p)
for _ in $(seq 12); do
    wheel_down 20 10
done
e2e_sleep 0.5
if [ "$(ui_screen | sed -n 5p)" != "$top" ]; then
    pass "the wheel scrolls the list"
else
    fail "the wheel did not scroll the list; screen was:"
    ui_screen >&2
fi
ui_keys g
# A click on the Amount header sorts by amount, smallest first.
column=$(ui_screen | sed -n 4p | grep -bo "Amount" | head -1 | cut -d: -f1)
if [ -z "$column" ]; then
    fail "no Amount header on row 4"
else
    click $((column + 3)) 4
    expect_screen "▲" "the header shows the sort" 5
    # The selection stays on its row through the sort; g goes to the top.
    ui_keys g
    e2e_sleep 0.3
    if ui_screen | sed -n 5p | grep -qF " $CHEAPEST "; then
        pass "the smallest amount is first"
    else
        fail "the smallest amount ($CHEAPEST) is not first:"
        ui_screen >&2
    fi
fi

# Column widths with a 671-character description among the rows: the
# short columns (user, amount, currency, state) are whole at every width
# ("…" only in the description), and the description gets the rest.
check_columns() { # screen-width
    ui_screen | python3 -c '
import sys, unicodedata
def cells(line):
    out = []
    for ch in line:
        if unicodedata.combining(ch):
            if out:
                out[-1] += ch
            continue
        out.append(ch)
        if unicodedata.east_asian_width(ch) in "WF":
            out.append("")
    return out
lines = sys.stdin.read().splitlines()
head = "".join(cells(lines[3]))
names = ["Date", "Description", "User", "Amount", "Currency", "State"]
missing = [n for n in names if n not in head]
if missing:
    sys.exit("headers missing: %s in %r" % (missing, head))
desc, user = head.index("Description"), head.index("User")
width = int(sys.argv[1])
if user - desc - 2 < (40 if width >= 120 else 12):
    sys.exit("the description has %d cells at %d" % (user - desc - 2, width))
rows = [cells(l) for l in lines[4:] if l.startswith(" 20")]
if len(rows) < 5:
    sys.exit("too few rows: %d" % len(rows))
for row in rows:
    rest = "".join(row[:desc] + row[user:])
    if "\u2026" in rest:
        sys.exit("a short column is cut: %r" % "".join(row))
print("ok")
' "$1"
}
for width in 80 120 160 250; do
    ui_resize "$width" 30
    e2e_sleep 0.5
    if out=$(check_columns "$width" 2>&1); then
        pass "short columns whole, the description gets the rest at $width"
    else
        fail "columns at $width: $out"
        ui_screen >&2
    fi
done

ui_keys q
e2e_finish
