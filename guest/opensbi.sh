#!/usr/bin/env bash
# Copy Debian's prebuilt OpenSBI generic firmware (fw_dynamic: the kernel's
# address and the DTB are passed in registers by the loader) to public/.
source "$(dirname "$0")/lib.sh"

ensure_packages opensbi

FW=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
[ -f "$FW" ] || die "$FW missing (package opensbi)"
cp "$FW" "$PUBLIC_DIR/fw_dynamic.bin"
log "wrote public/fw_dynamic.bin ($(stat -c %s "$PUBLIC_DIR/fw_dynamic.bin") bytes, opensbi $(pkg_version opensbi))"
