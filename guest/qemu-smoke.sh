#!/usr/bin/env bash
# Reference boot of the public/ images in QEMU's virt board (QEMU is only a
# yardstick here, tabvm does not use it at run time). Drives the serial
# console through a FIFO and checks: the shell prompt appears, arithmetic
# works, Ctrl-C interrupts a foreground job (job control / controlling tty),
# the virtio disk mounts and reads, and `poweroff` ends QEMU.
# Prints the kernel's own time to /init and the wall time to the prompt.
source "$(dirname "$0")/lib.sh"

ensure_packages qemu-system-misc

BOOT_TIMEOUT_S="${BOOT_TIMEOUT_S:-120}"
STEP_TIMEOUT_S=20
PROMPT='~ # '
RUN="$BUILD_DIR/smoke"
rm -rf "$RUN" && mkdir -p "$RUN"
FIFO="$RUN/console.in"
LOG="$RUN/console.log"
mkfifo "$FIFO"
: > "$LOG"

qemu-system-riscv64 -M virt -m 256M -nographic \
  -bios "$PUBLIC_DIR/fw_dynamic.bin" -kernel "$PUBLIC_DIR/Image" \
  -initrd "$PUBLIC_DIR/initramfs.cpio" -append "console=ttyS0" \
  -drive file="$PUBLIC_DIR/disk.img",format=raw,if=none,id=d0,snapshot=on \
  -device virtio-blk-device,drive=d0 -device virtio-rng-device \
  < "$FIFO" > "$LOG" 2>&1 &
QEMU_PID=$!
exec 3> "$FIFO"
START_NS=$(date +%s%N)
cleanup() {
  exec 3>&- || true
  if kill -0 "$QEMU_PID" 2>/dev/null; then kill "$QEMU_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

fail() {
  log "FAIL: $*"
  log "---- console log (last 40 lines) ----"
  tail -n 40 "$LOG" >&2
  exit 1
}

# wait_for OFFSET TIMEOUT_S GREP_ARGS...: wait until the console output after
# byte OFFSET matches; returns 1 on timeout.
wait_for() {
  local offset="$1" timeout="$2"; shift 2
  local deadline=$(( $(date +%s) + timeout ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    tail -c +"$((offset + 1))" "$LOG" | tr -d '\r' | grep -q "$@" && return 0
    kill -0 "$QEMU_PID" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}

log_size() { stat -c %s "$LOG"; }

# run_step NAME INPUT GREP_ARGS...: type INPUT, expect a match, then a prompt.
run_step() {
  local name="$1" input="$2"; shift 2
  local offset; offset="$(log_size)"
  printf '%s' "$input" >&3
  wait_for "$offset" "$STEP_TIMEOUT_S" "$@" || fail "$name: no match for '$*'"
  wait_for "$offset" "$STEP_TIMEOUT_S" -F "$PROMPT" || fail "$name: no prompt afterwards"
  log "ok: $name"
}

wait_for 0 "$BOOT_TIMEOUT_S" -F "$PROMPT" || fail "no shell prompt within ${BOOT_TIMEOUT_S}s"
PROMPT_MS=$(( ($(date +%s%N) - START_NS) / 1000000 ))
log "ok: shell prompt after ${PROMPT_MS} ms (wall clock, QEMU start to '$PROMPT')"

run_step "arithmetic" $'echo $((6*7))\r' -x '42'

# Ctrl-C must kill the foreground job (SIGINT through the controlling tty):
# the prompt comes back long before 60 s and $? is 128 + SIGINT = 130.
offset="$(log_size)"
printf 'sleep 60\r' >&3
sleep 1
printf '\003' >&3
wait_for "$offset" 5 -F "$PROMPT" || fail "Ctrl-C did not interrupt sleep"
run_step "Ctrl-C status" $'echo "status=$?"\r' -x 'status=130'
run_step "disk" $'mount /dev/vda /mnt && cat /mnt/hello.txt\r' -x 'Hello from the tabvm disk!'
run_step "umount" $'umount /mnt && echo unmounted\r' -x 'unmounted'

printf 'poweroff\r' >&3
deadline=$(( $(date +%s) + STEP_TIMEOUT_S ))
while kill -0 "$QEMU_PID" 2>/dev/null; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "poweroff did not end QEMU"
  sleep 0.2
done
wait "$QEMU_PID" || fail "QEMU exited with status $?"
log "ok: poweroff ended QEMU"

init_line="$(tr -d '\r' < "$LOG" | grep -m1 'Run /init as init process' || true)"
log "kernel time to /init: $(sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p' <<< "$init_line") s (printk clock)"
log "PASS (console log: ${LOG#"$REPO_DIR/"})"
