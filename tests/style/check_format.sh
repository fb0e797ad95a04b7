#!/usr/bin/env bash
# Fails when a C file breaks the house shape: wider than 80 columns, a tab,
# or a difference from what clang-format makes of it.
set -u
cd "$1" || exit 2
bad=0
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]')
[ -n "$files" ] || { echo "format: no C files found" >&2; exit 1; }

for f in $files; do
    if awk 'length > 80 { exit 1 }' "$f"; then :; else
        echo "format: $f has lines over 80 columns" >&2
        bad=1
    fi
    if grep -q $'\t' "$f"; then
        echo "format: $f has tabs" >&2
        bad=1
    fi
done
if command -v clang-format >/dev/null; then
    # shellcheck disable=SC2086
    clang-format --dry-run -Werror $files || bad=1
else
    echo "format: clang-format is not installed" >&2
    bad=1
fi
[ "$bad" -eq 0 ] && echo "format: ok ($(echo "$files" | wc -l) files)"
exit "$bad"
