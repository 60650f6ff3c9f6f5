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
