#!/usr/bin/env bash
# Write public/manifest.json: for each guest artifact its file name, size,
# sha256, and the Debian package (and version) it was built from, plus the
# toolchain packages that went into it. Versions come from dpkg-query -W; the
# busybox source package is not installed, so its version is the one
# busybox.sh recorded from the unpacked source's debian/changelog.
source "$(dirname "$0")/lib.sh"

ensure_packages dpkg coreutils

BUSYBOX_VERSION_FILE="$BUILD_DIR/busybox/debian-version"
[ -f "$BUSYBOX_VERSION_FILE" ] || die "run busybox.sh first"

# pkg_json PKG [VERSION]: {"name": ..., "version": ...}
pkg_json() {
  printf '{ "name": "%s", "version": "%s" }' "$1" "${2:-$(pkg_version "$1")}"
}

# artifact_json FILE DESCRIPTION SOURCE_JSON BUILT_WITH_PKGS...
artifact_json() {
  local file="$1" desc="$2" source="$3"; shift 3
  local path="$PUBLIC_DIR/$file" first=1 p
  [ -f "$path" ] || die "missing public/$file"
  printf '    {\n'
  printf '      "file": "%s",\n' "$file"
  printf '      "description": "%s",\n' "$desc"
  printf '      "bytes": %s,\n' "$(stat -c %s "$path")"
  printf '      "sha256": "%s",\n' "$(sha256sum "$path" | cut -d' ' -f1)"
  printf '      "source": %s,\n' "$source"
  printf '      "builtWith": ['
  for p in "$@"; do
    [ $first -eq 1 ] || printf ','
    printf '\n        %s' "$(pkg_json "$p")"
    first=0
  done
  [ $first -eq 1 ] && printf ']\n' || printf '\n      ]\n'
  printf '    }'
}

out="$PUBLIC_DIR/manifest.json"
{
  printf '{\n  "distribution": "Debian 12 (bookworm)",\n  "artifacts": [\n'
  artifact_json fw_dynamic.bin "OpenSBI generic firmware (fw_dynamic), prebuilt by Debian" \
    "$(pkg_json opensbi)"
  printf ',\n'
  artifact_json Image "Linux RISC-V kernel Image (tinyconfig + guest/linux.fragment)" \
    "$(pkg_json linux-source-6.1)" gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu
  printf ',\n'
  artifact_json initramfs.cpio "uncompressed newc initramfs: static busybox + guest/rootfs" \
    "$(pkg_json busybox "$(cat "$BUSYBOX_VERSION_FILE")")" \
    gcc-riscv64-linux-gnu libc6-dev-riscv64-cross linux-source-6.1
  printf ',\n'
  artifact_json disk.img "ext2 disk image from guest/disk (virtio-blk /dev/vda)" \
    "$(pkg_json e2fsprogs)"
  printf '\n  ]\n}\n'
} > "$out"
log "wrote public/manifest.json"
