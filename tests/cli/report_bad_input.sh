#!/bin/sh
# `parley report` and `parley plot` on bad input: a missing, empty or foreign
# database (an SQLite file with other tables, a text file, a directory, a
# parley database without runs) exits 2 with a message naming the file and
# saying what it is, and leaves no output file, not even a temporary one.
set -u
parley=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mkdir "$tmp/out"

# expect_bad NAME PATTERN ARGS...: exit 2, PATTERN in stderr, nothing in out/.
expect_bad() {
  name=$1
  pattern=$2
  shift 2
  "$parley" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
  code=$?
  [ $code -eq 2 ] || fail "$name: exit $code, want 2 ($(cat "$tmp/stderr"))"
  grep -q -e "$pattern" "$tmp/stderr" || fail "$name: message '$(cat "$tmp/stderr")' lacks '$pattern'"
  [ -z "$(ls -A "$tmp/out")" ] || fail "$name: left $(ls -A "$tmp/out")"
}

: >"$tmp/empty.sqlite"
printf 'cell,runs\n0,10\n' >"$tmp/text.sqlite"
if command -v python3 >/dev/null 2>&1; then
  python3 -c "
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute('CREATE TABLE customers(id INTEGER, name TEXT)')
db.execute(\"INSERT INTO customers VALUES(1, 'x')\")
db.commit()" "$tmp/foreign.sqlite" || fail "python3 sqlite3"
else
  cp "$tmp/text.sqlite" "$tmp/foreign.sqlite"
fi

for cmd in report plot; do
  if [ $cmd = report ]; then pre="" o="$tmp/out/r.html"; else pre="outcomes" o="$tmp/out/r.svg"; fi
  expect_bad "$cmd missing" "no such results database" $cmd $pre "$tmp/none.sqlite" -o "$o"
  expect_bad "$cmd empty" "empty file, not a parley results database" \
    $cmd $pre "$tmp/empty.sqlite" -o "$o"
  expect_bad "$cmd text" "not a parley results database (not an SQLite file)" \
    $cmd $pre "$tmp/text.sqlite" -o "$o"
  expect_bad "$cmd foreign" "not a parley results database (no parley sweep schema)" \
    $cmd $pre "$tmp/foreign.sqlite" -o "$o"
  expect_bad "$cmd directory" "is a directory" $cmd $pre "$tmp" -o "$o"
done

# A parley database whose sweep never finished a run: nothing to report.
if command -v python3 >/dev/null 2>&1; then
  "$parley" sweep "$src/tests/data/minimal.json" --runs 2 --quiet --out "$tmp/ok.sqlite" >/dev/null ||
    fail "sweep exited $?"
  python3 -c "
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); db.execute('DELETE FROM runs'); db.commit()" "$tmp/ok.sqlite"
  expect_bad "no runs" "without runs" report "$tmp/ok.sqlite" -o "$tmp/out/r.html"
fi

# An unknown cell, a bad lever when sweeping first, usage errors.
"$parley" sweep "$src/tests/data/minimal.json" --runs 2 --quiet --out "$tmp/two.sqlite" >/dev/null ||
  fail "sweep exited $?"
expect_bad "unknown cell" "no cell 5" report "$tmp/two.sqlite" --cell 5 -o "$tmp/out/r.html"
expect_bad "bad vary" "policy.linkage" report "$src/tests/data/minimal.json" --runs 2 \
  --vary policy.linkage=sideways -o "$tmp/out/r.html"
expect_bad "no -o" "-o FILE.html is required" report "$tmp/two.sqlite"
expect_bad "--vary without --runs" "need --runs" report "$tmp/two.sqlite" --vary a=b -o "$tmp/out/r.html"
expect_bad "bad model" "dynamic model" report "$tmp/two.sqlite" --model median -o "$tmp/out/r.html"
expect_bad "bad sensitivity file" "not \`parley sensitivity --format csv\` output" \
  report "$tmp/two.sqlite" --sensitivity "$tmp/text.sqlite" -o "$tmp/out/r.html"
expect_bad "bad scenario for plot" "" plot positions "$tmp/empty.sqlite" -o "$tmp/out/p.svg"

# An existing page is replaced only by a complete new one.
echo "previous" >"$tmp/keep.html"
"$parley" report "$tmp/empty.sqlite" -o "$tmp/keep.html" 2>/dev/null
[ "$(cat "$tmp/keep.html")" = previous ] || fail "a failed report damaged the existing file"
ls -A "$tmp" | grep -q '^\.keep\.html\.tmp' && fail "temporary file left"
exit 0
