#!/bin/sh
# Installs what `make test-mpi` needs (Open MPI and the sqlite3 shell) when
# missing. As root it runs apt-get; otherwise it prints the command and stops.
set -eu
missing=""
command -v mpirun >/dev/null && [ -e /usr/include/x86_64-linux-gnu/mpi.h -o -n "$(command -v mpicc)" ] ||
  missing="libopenmpi-dev openmpi-bin"
command -v sqlite3 >/dev/null || missing="$missing sqlite3"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "test-mpi needs: sudo apt-get install -y $missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends $missing >/dev/null 2>&1 ||
  { apt-get update >/dev/null && apt-get install -y --no-install-recommends $missing >/dev/null; }
