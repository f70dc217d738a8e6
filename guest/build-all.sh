#!/usr/bin/env bash
# Rebuild every guest artifact in public/ from Debian 12 packages, then the
# manifest. Set JOBS=N for a parallel kernel/busybox build (default 2).
# Pass --smoke to boot the result in QEMU afterwards (guest/qemu-smoke.sh).
source "$(dirname "$0")/lib.sh"

"$GUEST_DIR/opensbi.sh"
"$GUEST_DIR/kernel.sh"
"$GUEST_DIR/busybox.sh"
"$GUEST_DIR/initramfs.sh"
"$GUEST_DIR/disk.sh"
"$GUEST_DIR/manifest.sh"
if [ "${1:-}" = --smoke ]; then
  "$GUEST_DIR/qemu-smoke.sh"
fi
log "done: $(cd "$PUBLIC_DIR" && ls -l fw_dynamic.bin Image initramfs.cpio disk.img manifest.json | awk '{print $9 "=" $5}' | xargs)"
