# shellcheck shell=bash
# Sourced by the bench scripts: messages, and installing what a benchmark needs.
# Set BENCH to the script's name before sourcing.

die() {
    echo "$BENCH: $*" >&2
    exit 1
}

step() { echo "==> $*" >&2; }

# have PROBE: a command on PATH, a file when PROBE starts with /, or GNU time for `gnu-time`.
have() {
    case $1 in
        gnu-time) [ -x /usr/bin/time ] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null ;;
        /*) [ -e "$1" ] ;;
        *) command -v "$1" >/dev/null 2>&1 ;;
    esac
}

# need PACKAGE=PROBE ...: installs with apt-get, as root, each Debian package whose probe fails.
need() {
    local missing=() req
    for req in "$@"; do
        have "${req#*=}" || missing+=("${req%%=*}")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        die "missing ${missing[*]}; install them (Debian: sudo apt-get install ${missing[*]}) or run as root"
    fi
    step "installing ${missing[*]} with apt-get"
    apt-get update -qq || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
        die "apt-get install ${missing[*]} failed"
    for req in "$@"; do
        have "${req#*=}" || die "${req%%=*} is still missing after apt-get"
    done
}

# bench_facts: exports what every report states about the run: cpu_model, commit (with
# "+ uncommitted changes" when the sources differ from it), B_DATE, B_NPROC, B_KERNEL, B_RUSTC
# and B_HYPERFINE. Needs ROOT.
bench_facts() {
    cpu_model=$(awk -F': *' '/^(model name|Hardware|Model|cpu model)/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
    [ -n "$cpu_model" ] || cpu_model=unknown
    commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
    if [ "$commit" != unknown ] && [ -n "$(git -C "$ROOT" status --porcelain -- src songs data Cargo.toml Cargo.lock 2>/dev/null)" ]; then
        commit="$commit + uncommitted changes"
    fi
    B_DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
    B_NPROC=$(nproc)
    B_KERNEL=$(uname -sr)
    B_RUSTC=$(rustc --version 2>/dev/null || echo unknown)
    B_HYPERFINE=$(hyperfine --version)
    export cpu_model commit B_DATE B_NPROC B_KERNEL B_RUSTC B_HYPERFINE
}
