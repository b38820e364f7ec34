#!/bin/sh
# Sweep throughput: runs per second of `parley sweep four-party-1997` on 1 and
# 2 threads, and the scaling efficiency (rate on 2 / (2 x rate on 1)).
# Goal (docs/SWEEPS.md, "Speed"): 100,000 runs in under 2 minutes on a 2-core
# machine, and at least 90% efficiency from 1 to 2 threads.
#
#   cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release && cmake --build build-release -j2
#   sh bench/sweep.sh build-release [RUNS]        # RUNS defaults to 100000
#
# Each sweep writes a fresh database in a temporary directory (the SQLite
# writes are part of what is measured). Wall time is what a user waits; the
# CPU time per run shows whether other jobs on the machine slowed the run
# (the load average is printed for that reason).
set -eu
build=${1:-build}
runs=${2:-100000}
parley="$build/bin/parley"
[ -x "$parley" ] || { echo "no $parley: build first (see the header of $0)"; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
echo "parley sweep four-party-1997 --runs $runs ($(nproc) processors; load $(cut -d' ' -f1-3 /proc/loadavg))"
for t in 1 2; do
  start=$(now)
  /usr/bin/time -f "%U %S" -o "$tmp/cpu$t" "$parley" sweep four-party-1997 --runs "$runs" \
    --threads "$t" --quiet --out "$tmp/t$t.sqlite" >/dev/null
  end=$(now)
  wall=$(echo "$end - $start" | bc -l)
  cpus=$(awk '{print $1 + $2}' "$tmp/cpu$t")
  rate=$(echo "$runs / $wall" | bc -l)
  eval "rate$t=$rate"
  eval "cpu$t=$cpus"
  printf '%d thread(s): %8.2f s wall, %8.2f s CPU, %8.0f runs/s, %6.1f us CPU per run\n' \
    "$t" "$wall" "$cpus" "$rate" "$(echo "$cpus / $runs * 1000000" | bc -l)"
done
eff=$(echo "$rate2 / (2 * $rate1) * 100" | bc -l)
printf 'efficiency 1 -> 2 threads: %.1f%% (wall clock)\n' "$eff"
# CPU per run on 2 threads against 1: the parallel overhead alone, whatever
# else runs on the machine (a busy core lowers the wall-clock figure only).
printf 'CPU per run, 1 thread / 2 threads: %.1f%%\n' "$(echo "$cpu1 / $cpu2 * 100" | bc -l)"
q="select * from runs order by cell, draw, run"
if command -v sqlite3 >/dev/null; then
  [ "$(sqlite3 "$tmp/t1.sqlite" "$q" | cksum)" = "$(sqlite3 "$tmp/t2.sqlite" "$q" | cksum)" ] &&
    echo "databases: identical content on 1 and 2 threads" ||
    { echo "databases differ between 1 and 2 threads"; exit 1; }
fi
