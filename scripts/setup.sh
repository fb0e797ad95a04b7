#!/usr/bin/env bash
# Installs what bezala needs on Debian, builds it, then starts the demo or
# runs every test (as built, under ASan and UBSan, the fuzzers briefly,
# and under valgrind). Usage: scripts/setup.sh demo|test|deps|build
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BEZALA_BUILD_DIR:-$top/build}

packages=(
    build-essential cmake pkg-config git
    libncurses-dev libcurl4-openssl-dev libjansson-dev libsqlite3-dev
    libsodium-dev libcmocka-dev libmicrohttpd-dev libinih-dev
    openssl ca-certificates curl tmux clang-format python3 sqlite3
    clang libclang-rt-14-dev valgrind groff-base man-db zsh
)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    else
        sudo "$@"
    fi
}

install_deps() {
    local missing=()
    local p
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
            grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "setup: installing ${missing[*]}" >&2
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# build_tree DIR [CMAKE OPTION...]
build_tree() {
    local dir=$1
    shift
    cmake -S "$top" -B "$dir" -DBEZALA_WERROR=ON "$@" >/dev/null
    cmake --build "$dir" -j "$(nproc)"
}

run_tests() {
    (cd "$1" && ctest --output-on-failure --timeout 600)
}

case "${1:-}" in
deps)
    install_deps
    ;;
build)
    install_deps
    build_tree "$build"
    ;;
demo)
    install_deps
    build_tree "$build"
    exec "$build/bin/bezala" --demo
    ;;
test)
    install_deps
    # Every test twice: as shipped, then under AddressSanitizer and UBSan.
    build_tree "$build"
    run_tests "$build"
    build_tree "$build-asan" -DBEZALA_SANITIZE=ON
    run_tests "$build-asan"
    # Each fuzzer for a short fixed time, then every unit test and the
    # end-to-end scripts under valgrind memcheck.
    "$top/scripts/fuzz.sh" 15
    "$top/scripts/memcheck.sh"
    ;;
*)
    echo "usage: scripts/setup.sh demo|test|deps|build" >&2
    exit 2
    ;;
esac
