# Shared helpers for the guest image scripts. Source it, do not run it.
# shellcheck shell=bash
set -euo pipefail

GUEST_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$GUEST_DIR")"
BUILD_DIR="$GUEST_DIR/build"
PUBLIC_DIR="$REPO_DIR/public"
CROSS_COMPILE=riscv64-linux-gnu-
JOBS="${JOBS:-2}"
mkdir -p "$BUILD_DIR" "$PUBLIC_DIR"

log() { printf '\033[1m[%s]\033[0m %s\n' "$(basename "$0" .sh)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ensure_packages PKG...: apt-get install the Debian packages that are missing.
ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing build dependencies: ${missing[*]}"
  [ "$(id -u)" -eq 0 ] || die "need root to apt-get install ${missing[*]}"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

# pkg_version PKG: the installed Debian version of PKG.
pkg_version() { dpkg-query -W -f '${Version}' "$1"; }

# A fixed, package-derived timestamp keeps the builds reproducible.
# changelog_epoch PKG: seconds since epoch of the latest changelog entry.
changelog_epoch() {
  local log="/usr/share/doc/$1/changelog.Debian.gz"
  [ -f "$log" ] || { echo 0; return; }
  date -d "$(zcat "$log" | sed -n 's/^ -- .*>  //p' | head -n 1)" +%s
}
