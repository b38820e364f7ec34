#!/bin/sh
# `mpirun -n 2 parley sweep` writes the same database content as one process
# on one thread and on two threads (sorted query output, not file bytes), and
# an MPI rerun of a finished sweep adds nothing. Registered only in an MPI
# build (-DPARLEY_MPI=ON); needs Open MPI's mpirun.
set -u
parley=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v mpirun >/dev/null || fail "mpirun not found"
command -v sqlite3 >/dev/null || fail "sqlite3 not found"
mpi="mpirun --allow-run-as-root --oversubscribe -n 2"
args="$src/tests/data/minimal.json --runs 30 --draws 3 --seed 5 --quiet
      --vary policy.linkage=separate,linked --vary policy.side_payments=0,25"

"$parley" sweep $args --threads 1 --out "$tmp/t1.sqlite" >/dev/null || fail "1 thread"
"$parley" sweep $args --threads 2 --out "$tmp/t2.sqlite" >/dev/null || fail "2 threads"
$mpi "$parley" sweep $args --threads 1 --out "$tmp/mpi.sqlite" >"$tmp/mpi.out" 2>&1 ||
  fail "mpirun -n 2: $(cat "$tmp/mpi.out")"
grep -q 'on 2 ranks' "$tmp/mpi.out" || fail "did not run on 2 ranks: $(cat "$tmp/mpi.out")"

dump() {
  for q in "select * from runs order by cell, draw, run" "select * from cells order by cell" \
           "select * from draws order by draw, idx" "select * from cell_summary order by cell" \
           "select key, value from meta where key <> 'command' order by key"; do
    sqlite3 "$1" "$q"
  done
}
dump "$tmp/t1.sqlite" >"$tmp/t1.txt"
dump "$tmp/t2.sqlite" >"$tmp/t2.txt"
dump "$tmp/mpi.sqlite" >"$tmp/mpi.txt"
[ "$(sqlite3 "$tmp/mpi.sqlite" 'select count(*) from runs')" = 360 ] || fail "row count"
cmp -s "$tmp/t1.txt" "$tmp/t2.txt" || fail "1 thread and 2 threads differ"
cmp -s "$tmp/t1.txt" "$tmp/mpi.txt" || fail "1 thread and 2 MPI ranks differ"

$mpi "$parley" sweep $args --threads 2 --out "$tmp/mpi.sqlite" >"$tmp/again.out" 2>&1 ||
  fail "MPI rerun: $(cat "$tmp/again.out")"
grep -q '(0 new' "$tmp/again.out" || fail "rerun added runs: $(cat "$tmp/again.out")"
dump "$tmp/mpi.sqlite" >"$tmp/mpi2.txt"
cmp -s "$tmp/t1.txt" "$tmp/mpi2.txt" || fail "rerun changed the database"

# Bad input under MPI: every rank exits 2, the database is untouched.
sum=$(cksum <"$tmp/mpi.sqlite")
$mpi "$parley" sweep $args --seed 6 --threads 1 --out "$tmp/mpi.sqlite" >/dev/null 2>"$tmp/err"
[ $? -ne 0 ] || fail "another command on the same database should fail"
grep -q 'different sweep' "$tmp/err" || fail "no clear message: $(cat "$tmp/err")"
[ "$(cksum <"$tmp/mpi.sqlite")" = "$sum" ] || fail "refused database was changed"
echo "ok"
