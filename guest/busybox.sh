#!/usr/bin/env bash
# Build a static RISC-V busybox from Debian 12's busybox source package:
# defconfig + CONFIG_STATIC, cross-compiled. Output: guest/build/busybox/busybox
# (installed into the initramfs by initramfs.sh, not copied to public/).
source "$(dirname "$0")/lib.sh"

ensure_packages gcc-riscv64-linux-gnu libc6-dev-riscv64-cross make dpkg-dev file

# apt-get source needs a deb-src entry; add one mirroring the deb entry in use.
SRC_LIST=/etc/apt/sources.list.d/tabvm-deb-src.sources
ensure_deb_src() {
  if grep -rqsE '^(deb-src|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    return 0
  fi
  [ "$(id -u)" -eq 0 ] || die "need root to add a deb-src entry"
  local uri
  uri="$(grep -rhsoE 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ | head -n 1 | tr -d ' ')"
  uri="${uri:-http://deb.debian.org/debian}"
  log "adding deb-src for bookworm main from $uri"
  printf 'Types: deb-src\nURIs: %s\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$uri" > "$SRC_LIST"
  apt-get update
}

WORK="$BUILD_DIR/busybox-src"
OUT="$BUILD_DIR/busybox"
mkdir -p "$WORK" "$OUT"

src_dir="$(find "$WORK" -mindepth 1 -maxdepth 1 -type d -name 'busybox-*' | head -n 1)"
if [ -z "$src_dir" ]; then
  ensure_deb_src
  log "fetching Debian busybox source"
  (cd "$WORK" && apt-get source --download-only busybox && dpkg-source -x busybox_*.dsc)
  src_dir="$(find "$WORK" -mindepth 1 -maxdepth 1 -type d -name 'busybox-*' | head -n 1)"
fi
[ -n "$src_dir" ] || die "busybox source not found in $WORK"
log "source: $src_dir"

# Reproducible: the build tag in `busybox --help` (include/autoconf.h) is the
# date of the Debian changelog entry, not the wall clock.
export SOURCE_DATE_EPOCH="$(dpkg-parsechangelog -l "$src_dir/debian/changelog" -S Timestamp)"
dpkg-parsechangelog -l "$src_dir/debian/changelog" -S Version > "$OUT/debian-version"

BBMAKE=(make -C "$src_dir" O="$OUT" ARCH=riscv CROSS_COMPILE="$CROSS_COMPILE")
"${BBMAKE[@]}" defconfig >/dev/null

# set_opt NAME VALUE|n: force one busybox config option.
set_opt() {
  sed -i -e "/^CONFIG_$1=/d" -e "/^# CONFIG_$1 is not set/d" "$OUT/.config"
  if [ "$2" = n ]; then echo "# CONFIG_$1 is not set"; else echo "CONFIG_$1=$2"; fi >> "$OUT/.config"
}
set_opt STATIC y
{ yes '' || true; } | "${BBMAKE[@]}" oldconfig >/dev/null

log "building busybox with -j$JOBS"
"${BBMAKE[@]}" -j"$JOBS" busybox

file "$OUT/busybox" | grep -q 'statically linked' || die "busybox is not static"
log "built $OUT/busybox ($(stat -c %s "$OUT/busybox") bytes)"
