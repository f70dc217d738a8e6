#!/usr/bin/env bash
# Build public/disk.img: a small ext2 file system (no partition table) that
# the guest mounts with `mount /dev/vda /mnt`. Contents come from
# guest/disk/; ownership is root and all timestamps are fixed so the image is
# reproducible.
source "$(dirname "$0")/lib.sh"

ensure_packages e2fsprogs

DISK_SIZE_KIB=3072           # 3 MiB
DISK_LABEL=tabvm
DISK_UUID=7ab7a000-0000-4000-8000-000000000001   # fixed: reproducible image
HASH_SEED=7ab7a000-0000-4000-8000-000000000002
CONTENT="$GUEST_DIR/disk"
STAGE="$BUILD_DIR/disk-root"
IMG="$PUBLIC_DIR/disk.img"

rm -rf "$STAGE" && mkdir -p "$STAGE"
cp -a "$CONTENT/." "$STAGE/"
epoch="$(changelog_epoch e2fsprogs)"
find "$STAGE" -exec touch -h -d "@$epoch" {} +

rm -f "$IMG"
E2FSPROGS_FAKE_TIME="$epoch" mke2fs -q -F -t ext2 -b 1024 -m 0 -L "$DISK_LABEL" \
  -U "$DISK_UUID" -E "root_owner=0:0,hash_seed=$HASH_SEED" \
  -d "$STAGE" "$IMG" "${DISK_SIZE_KIB}k"
# mke2fs -d copies each file's ctime (the time of the cp above) and ignores
# E2FSPROGS_FAKE_TIME for it; pin every inode's ctime as well.
find "$STAGE" -mindepth 1 -printf '/%P\n' | LC_ALL=C sort |
  sed "s|.*|set_inode_field & ctime @$epoch|" > "$BUILD_DIR/disk-ctime.debugfs"
debugfs -w -f "$BUILD_DIR/disk-ctime.debugfs" "$IMG" >/dev/null 2>&1
e2fsck -fn "$IMG" >/dev/null 2>&1 || die "fsck of $IMG failed"
log "wrote public/disk.img ($(stat -c %s "$IMG") bytes)"
