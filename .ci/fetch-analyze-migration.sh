#!/usr/bin/env bash
# Fetches QEMU 7.2's scripts/analyze-migration.py from Debian's qemu source package into
# /tmp/analyze-migration.py, so the stream test runs against QEMU's own reader. Best effort:
# without it that one test is skipped with the reason, and nothing else changes.
set -euo pipefail
out=/tmp/analyze-migration.py
[ -s "$out" ] && exit 0
if ! grep -rqs '^Types: deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
  cat > /etc/apt/sources.list.d/tabvm-debian-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  apt-get update -qq
fi
work=$(mktemp -d)
cd "$work"
apt-get source --download-only -qq qemu >/dev/null
tarball=$(ls qemu_*.orig.tar.* | head -n 1)
tar -xf "$tarball" --wildcards '*/scripts/analyze-migration.py'
cp ./*/scripts/analyze-migration.py "$out"
rm -rf "$work"
echo "analyze-migration.py: $(sha256sum "$out" | cut -c1-16)… from $tarball"
