#!/bin/sh
# `parley sensitivity --db`: the indices land in a sweep database's
# `sensitivity` table, equal to what the command prints, replacing the
# earlier rows; bad databases exit 2 and are left byte for byte as they were;
# `parley report` then ranks the parameters.
set -u
parley=$1
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
sql() { sqlite3 -batch -noheader "$@"; }

"$parley" sweep four-party-1997 --runs 20 --out "$tmp/x.sqlite" --quiet >/dev/null 2>&1 || fail "sweep"
sens() {
  "$parley" sensitivity four-party-1997 --method morris --runs 20 --trajectories 2 \
    --param sim.sucker_loss=0.5:2 --param sim.participation_precision=0.1:0.4 --quiet "$@"
}
sens --format csv >"$tmp/printed.csv" || fail "sensitivity exited $?"
sens --format csv --db "$tmp/x.sqlite" >"$tmp/stored.csv" || fail "sensitivity --db exited $?"
cmp -s "$tmp/printed.csv" "$tmp/stored.csv" || fail "--db changed what is printed"
[ "$(sql "$tmp/x.sqlite" 'select count(*) from sensitivity')" = 4 ] ||
  fail "expected 2 outputs x 2 params = 4 rows"
# The stored numbers are the printed ones (same seed, same design).
sql -csv "$tmp/x.sqlite" "select output, param, mu_star from sensitivity order by rowid" >"$tmp/db.csv"
tail -n +2 "$tmp/printed.csv" | cut -d, -f1-3 >"$tmp/want.csv"
awk -F, 'NR==FNR { want[$1","$2] = $3; next }
         { d = $3 - want[$1","$2]; if (d < -1e-12 || d > 1e-12 || !(($1","$2) in want)) bad = 1 }
         END { exit bad }' "$tmp/want.csv" "$tmp/db.csv" || fail "stored mu* differ from printed"
sens --db "$tmp/x.sqlite" >/dev/null || fail "second --db run"
[ "$(sql "$tmp/x.sqlite" 'select count(*) from sensitivity')" = 4 ] || fail "a second run appended"
"$parley" report "$tmp/x.sqlite" -o "$tmp/r.html" >/dev/null 2>&1 || fail "report"
grep -q 'sim.participation_precision' "$tmp/r.html" || fail "the report does not rank the parameters"

# Bad databases: exit 2, file unchanged.
cp "$tmp/x.sqlite" "$tmp/before.sqlite"
bad() { # name, path, expected message fragment
  sens --db "$2" >/dev/null 2>"$tmp/err"
  [ $? -eq 2 ] || fail "$1: expected exit 2"
  grep -q "$3" "$tmp/err" || fail "$1: message: $(cat "$tmp/err")"
}
bad missing "$tmp/nope.sqlite" 'no such results database'
printf 'hello' >"$tmp/text.sqlite"
bad "not sqlite" "$tmp/text.sqlite" 'not a parley results database'
[ "$(cat "$tmp/text.sqlite")" = hello ] || fail "a file that is not a database was changed"
"$parley" sweep panmunjom-2018 --runs 2 --out "$tmp/other.sqlite" --quiet >/dev/null 2>&1 || fail "other sweep"
cp "$tmp/other.sqlite" "$tmp/other.before"
bad "another scenario" "$tmp/other.sqlite" "not 'four-party-1997'"
cmp -s "$tmp/other.sqlite" "$tmp/other.before" || fail "a database of another scenario was changed"
chmod a-w "$tmp/x.sqlite"
if [ ! -w "$tmp/x.sqlite" ]; then # root can write anyway
  bad "read-only" "$tmp/x.sqlite" 'not writable'
fi
chmod u+w "$tmp/x.sqlite"
cmp -s "$tmp/x.sqlite" "$tmp/before.sqlite" || fail "a refused run changed the database"
"$parley" sensitivity four-party-1997 --param sim.sucker_loss=0.5:2 --db >/dev/null 2>&1
[ $? -eq 2 ] || fail "--db without a file should exit 2"
echo "sensitivity --db: ok"
