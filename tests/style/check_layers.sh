#!/usr/bin/env bash
# Fails when a layer includes a header it must not: only tui/ includes
# curses; tui/ includes no curl, sqlite, jansson or sodium header; a lower
# layer never includes a higher one (tui -> core -> db -> base).
set -u
cd "$1" || exit 2
bad=0

breach() {
    echo "layering: $1" >&2
    bad=1
}

hits=$(grep -rlE '#include <n?curses' base core db 2>/dev/null)
[ -n "$hits" ] && breach "curses outside tui/: $hits"
hits=$(grep -rlE '#include <(curl/|sqlite3|jansson|sodium)' tui 2>/dev/null)
[ -n "$hits" ] && breach "tui/ includes a lower layer's library: $hits"
hits=$(grep -rlE '#include "(tui)/' base core db 2>/dev/null)
[ -n "$hits" ] && breach "a lower layer includes tui/: $hits"
hits=$(grep -rlE '#include "(core|tui)/' base db 2>/dev/null)
[ -n "$hits" ] && breach "db/ or base/ includes a higher layer: $hits"
hits=$(grep -rlE '#include "(db|core|tui)/' base 2>/dev/null)
[ -n "$hits" ] && breach "base/ includes a higher layer: $hits"
hits=$(grep -rlE '#include "db/' tui 2>/dev/null)
[ -n "$hits" ] && breach "tui/ reaches past core/ into db/: $hits"
hits=$(grep -rn 'CURLOPT_VERBOSE' base core db tui 2>/dev/null)
[ -n "$hits" ] && breach "CURLOPT_VERBOSE can leak the token: $hits"

[ "$bad" -eq 0 ] && echo "layering: ok"
exit "$bad"
