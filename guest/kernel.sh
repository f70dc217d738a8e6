#!/usr/bin/env bash
# Build the guest kernel (public/Image) from Debian's linux-source-6.1:
# tinyconfig + guest/linux.fragment + olddefconfig, then check that every
# fragment line survived, and save the full result as guest/linux.config.
source "$(dirname "$0")/lib.sh"

ensure_packages linux-source-6.1 gcc-riscv64-linux-gnu make flex bison bc \
  libssl-dev libelf-dev xz-utils cpio dpkg-dev

SRC_TAR=/usr/src/linux-source-6.1.tar.xz
SRC_DIR="$BUILD_DIR/linux-source-6.1"
FRAGMENT="$GUEST_DIR/linux.fragment"
KMAKE=(make -C "$SRC_DIR" ARCH=riscv CROSS_COMPILE="$CROSS_COMPILE")

if [ ! -f "$SRC_DIR/Makefile" ]; then
  log "extracting $SRC_TAR"
  tar -C "$BUILD_DIR" -xf "$SRC_TAR"
fi

# check_fragment CONFIG FRAGMENT: every "CONFIG_X=v" line must appear verbatim;
# every "# CONFIG_X is not set" must not be enabled (absent is fine: its
# dependencies are off). Prints each mismatch and returns 1 if any.
check_fragment() {
  local config="$1" fragment="$2" bad=0 line name
  while IFS= read -r line; do
    if [[ "$line" =~ ^(CONFIG_[A-Za-z0-9_]+)= ]]; then
      grep -qxF "$line" "$config" || {
        log "MISMATCH want '$line', got '$(grep -E "^(# )?${BASH_REMATCH[1]}[= ]" "$config" || echo absent)'"
        bad=1
      }
    elif [[ "$line" =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set ]]; then
      name="${BASH_REMATCH[1]}"
      if grep -qE "^${name}=" "$config"; then
        log "MISMATCH want $name off, got '$(grep -E "^${name}=" "$config")'"
        bad=1
      fi
    fi
  done < "$fragment"
  return $bad
}

log "configuring: tinyconfig + $(basename "$FRAGMENT")"
"${KMAKE[@]}" tinyconfig >/dev/null
(cd "$SRC_DIR" && ARCH=riscv scripts/kconfig/merge_config.sh -m .config "$FRAGMENT" >/dev/null)
"${KMAKE[@]}" olddefconfig >/dev/null
check_fragment "$SRC_DIR/.config" "$FRAGMENT" || die "fragment options were dropped by Kconfig"
log "all fragment options are set as intended"

# Reproducible build metadata, derived from the source package.
epoch="$(changelog_epoch linux-source-6.1)"
export KBUILD_BUILD_TIMESTAMP="$(date -u -d "@$epoch" '+%Y-%m-%d')"
export KBUILD_BUILD_USER=tabvm KBUILD_BUILD_HOST=debian KBUILD_BUILD_VERSION=1

log "building arch/riscv/boot/Image with -j$JOBS"
"${KMAKE[@]}" -j"$JOBS" Image

cp "$SRC_DIR/arch/riscv/boot/Image" "$PUBLIC_DIR/Image"
cp "$SRC_DIR/.config" "$GUEST_DIR/linux.config"
log "wrote public/Image ($(stat -c %s "$PUBLIC_DIR/Image") bytes) and guest/linux.config"
