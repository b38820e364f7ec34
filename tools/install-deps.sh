#!/bin/sh
# Installs the Debian packages parley needs to build and test, when missing.
# As root it runs apt-get; otherwise it prints the exact command and stops.
set -eu
packages="gcc make cmake pkg-config libjansson-dev libsqlite3-dev libcmocka-dev libplplot-dev plplot-driver-cairo"
case "${1:-}" in
  --test) packages="$packages clang valgrind chromium" ;;
  --lint) packages="$packages clang clang-tidy cppcheck" ;;
esac
missing=""
for p in $packages; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "parley needs these Debian packages:$missing" >&2
  echo "run: sudo apt-get install -y$missing" >&2
  exit 1
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends $missing >/dev/null 2>&1 ||
  { apt-get update >/dev/null && apt-get install -y --no-install-recommends $missing >/dev/null; }
