#!/bin/sh
# Runs every unit-test program of a build under valgrind's memcheck from the
# source tree (where the tests expect to run). Fails on any error or leak.
# usage: tools/valgrind-tests.sh BUILD_DIR
set -eu
build=${1:-build-valgrind}
status=0
for t in "$build"/tests/*; do
  [ -x "$t" ] || continue
  if valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect \
       --error-exitcode=99 "$t" >/tmp/parley-valgrind.$$ 2>&1; then
    echo "valgrind ok:   $(basename "$t")"
  else
    echo "valgrind FAIL: $(basename "$t")"; cat /tmp/parley-valgrind.$$; status=1
  fi
done
rm -f /tmp/parley-valgrind.$$
exit $status
