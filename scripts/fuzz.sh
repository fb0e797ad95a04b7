#!/usr/bin/env bash
# Builds the libFuzzer harnesses (fuzz/) with clang, ASan and UBSan and
# runs each for a few seconds over the seed corpus; fails on any crash.
#
# Usage: scripts/fuzz.sh [SECONDS]   (default 20 per harness)
# Environment: BEZALA_FUZZ_DIR (build dir, default build-fuzz/),
# CC (default clang), JOBS (build jobs, default 2).
set -euo pipefail

seconds=${1:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BEZALA_FUZZ_DIR:-$root/build-fuzz}
harnesses=(fuzz_view_decode fuzz_decode fuzz_text fuzz_config)

case "$seconds" in
'' | *[!0-9]*)
    echo "usage: $0 [SECONDS]" >&2
    exit 2
    ;;
esac

mkdir -p "$build"
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER="${CC:-clang}" \
    -DCMAKE_BUILD_TYPE=Debug -DBEZALA_FUZZ=ON -DBEZALA_TESTS=OFF \
    -DBEZALA_WERROR=ON >"$build/configure.log" 2>&1 || {
    cat "$build/configure.log" >&2
    exit 1
}
cmake --build "$build" --target "${harnesses[@]}" -j"${JOBS:-2}"

# The seeds are regenerated each run; what the fuzzer finds is kept in
# found/ between runs (both stay in the build directory, out of git).
rm -rf "$build/corpus"
python3 "$root/fuzz/make-corpus.py" "$build/corpus"

failed=0
for harness in "${harnesses[@]}"; do
    name=${harness#fuzz_}
    found=$build/found/$name
    artifacts=$build/artifacts/$name/
    mkdir -p "$found" "$artifacts"
    echo "== $harness: ${seconds}s"
    if "$build/bin/$harness" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$artifacts" "$found" "$build/corpus/$name" \
        >"$build/$name.log" 2>&1; then
        grep -E 'stat::(number_of_executed_units|peak_rss)' \
            "$build/$name.log" || true
    else
        failed=1
        tail -n 40 "$build/$name.log" >&2
        echo "FAIL: $harness crashed; input in $artifacts," \
            "log in $build/$name.log" >&2
    fi
done

cat <<EOF

To fuzz longer, e.g. an hour per harness:
  scripts/fuzz.sh 3600
or one harness by hand on every core (found/ keeps what it learns between runs):
  $build/bin/fuzz_view_decode -jobs=\$(nproc) -max_total_time=3600 \\
      $build/found/view_decode $build/corpus/view_decode
Replay a crash: $build/bin/fuzz_<name> <crash-file>
EOF
exit "$failed"
