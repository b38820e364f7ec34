#!/bin/sh
# `parley sweep`, `summary`, `compare`, `calibrate`, `sensitivity`: the CSV
# headers other scripts depend on, bad input exits 2 with a clear message and
# never damages an existing database, a killed sweep resumes to the same
# content as an uninterrupted one, and an ensemble feeds a sweep.
set -u
parley=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
min="$src/tests/data/minimal.json"
# The sqlite3 shell reads the databases back; without it those checks are
# left to tests/unit/montecarlo/test_sweep.c, which compares content in C.
have_sql=0
command -v sqlite3 >/dev/null && have_sql=1
[ $have_sql = 1 ] || echo "note: no sqlite3 shell; database content checks skipped here"
sql() { sqlite3 "$@"; }
vary="--vary policy.linkage=separate,linked --vary policy.side_payments=0,25"

"$parley" sweep "$min" --runs 20 --draws 2 $vary --threads 2 --out "$tmp/a.sqlite" >"$tmp/out" ||
  fail "sweep exited $?"
grep -q '4 cell(s) x 2 draw(s) x 20 run(s): 160 runs (160 new' "$tmp/out" || fail "report: $(cat "$tmp/out")"
[ -s "$tmp/out" ] || fail "no report"

"$parley" summary "$tmp/a.sqlite" --format csv >"$tmp/sum.csv" || fail "summary exited $?"
head -1 "$tmp/sum.csv" | grep -qx 'cell,runs,p_treaty,p_treaty_lo,p_treaty_hi,p_collapse,p_collapse_lo,p_collapse_hi,median_months_to_treaty,mean_cbm_rungs,median_treaty_extent,policy.linkage,policy.side_payments' ||
  fail "summary header: $(head -1 "$tmp/sum.csv")"
[ "$(wc -l <"$tmp/sum.csv")" -eq 5 ] || fail "summary should have 4 cells"
grep -q '^3,40,.*,linked,25$' "$tmp/sum.csv" || fail "cell 3 row: $(cat "$tmp/sum.csv")"
"$parley" summary "$tmp/a.sqlite" >"$tmp/sum.txt" || fail "summary table"
grep -q 'draws 5/50/95%' "$tmp/sum.txt" || fail "table lacks the draw spread"
# --min-extent 0 counts every treaty; 100 only full ones; outside [0, 100] is bad input.
"$parley" summary "$tmp/a.sqlite" --format csv --min-extent 0 | cmp -s - "$tmp/sum.csv" ||
  fail "--min-extent 0 differs from the plain summary"
"$parley" summary "$tmp/a.sqlite" --min-extent 100 >"$tmp/sum100.txt" || fail "--min-extent 100"
grep -q 'treaties counted only from peace-regime extent 100 of 100' "$tmp/sum100.txt" ||
  fail "the filtered table does not say so: $(head -2 "$tmp/sum100.txt")"
# The counterfactual test bed signs treaties at extent 80 under treaty-first:
# all of them count from 80 (the filtered summary is the plain one), none from 80.5.
bed="$src/tests/data/counterfactual.json"
"$parley" sweep "$bed" --runs 20 --set policy.sequencing=treaty_first --out "$tmp/bed.sqlite" \
  >/dev/null || fail "test-bed sweep"
"$parley" summary "$tmp/bed.sqlite" --format csv >"$tmp/bed.csv" || fail "test-bed summary"
grep -Eq '^0,20,(1|0\.[5-9][0-9]*),.*,80$' "$tmp/bed.csv" || fail "test bed: $(cat "$tmp/bed.csv")"
"$parley" summary "$tmp/bed.sqlite" --format csv --min-extent 80 | cmp -s - "$tmp/bed.csv" ||
  fail "from extent 80: $("$parley" summary "$tmp/bed.sqlite" --format csv --min-extent 80)"
"$parley" summary "$tmp/bed.sqlite" --format csv --min-extent 80.5 | grep -Eq '^0,20,0,.*,,[0-9.]+,$' ||
  fail "from extent 80.5: $("$parley" summary "$tmp/bed.sqlite" --format csv --min-extent 80.5)"
"$parley" compare "$tmp/bed.sqlite" 0 0 --format csv --min-extent 80 |
  grep -Eq '^treaty,baseline,baseline,(1|0\.[5-9][0-9]*),(1|0\.[5-9][0-9]*),0,' ||
  fail "compare from extent 80: $("$parley" compare "$tmp/bed.sqlite" 0 0 --format csv --min-extent 80)"
"$parley" compare "$tmp/bed.sqlite" 0 0 --format csv --min-extent 80.5 | grep -q '^treaty,baseline,baseline,0,0,0,' ||
  fail "compare from extent 80.5"
for bad in -1 101 abc ''; do
  "$parley" summary "$tmp/a.sqlite" --min-extent "$bad" >/dev/null 2>&1
  [ $? -eq 2 ] || fail "--min-extent '$bad' should exit 2"
  "$parley" compare "$tmp/a.sqlite" 0 1 --min-extent "$bad" >/dev/null 2>&1
  [ $? -eq 2 ] || fail "compare --min-extent '$bad' should exit 2"
done

"$parley" compare "$tmp/a.sqlite" 0 3 --format csv >"$tmp/cmp.csv" || fail "compare exited $?"
head -1 "$tmp/cmp.csv" | grep -qx 'metric,cell_a,cell_b,mean_a,mean_b,diff,diff_lo,diff_hi,pairs' ||
  fail "compare header: $(head -1 "$tmp/cmp.csv")"
grep -q '^treaty,.*,40$' "$tmp/cmp.csv" || fail "compare treaty row: $(cat "$tmp/cmp.csv")"
"$parley" compare "$tmp/a.sqlite" 'policy.linkage=linked,policy.side_payments=0' 0 >/dev/null ||
  fail "compare by label"

# Rerunning the same command adds nothing; threads do not change the content.
"$parley" sweep "$min" --runs 20 --draws 2 $vary --threads 1 --out "$tmp/a.sqlite" >"$tmp/out" ||
  fail "rerun exited $?"
grep -q '(0 new' "$tmp/out" || fail "rerun added runs: $(cat "$tmp/out")"
"$parley" sweep "$min" --runs 20 --draws 2 $vary --threads 1 --out "$tmp/b.sqlite" >/dev/null ||
  fail "1-thread sweep"
q="select * from runs order by cell, draw, run"
[ $have_sql = 0 ] || [ "$(sql "$tmp/a.sqlite" "$q" | cksum)" = "$(sql "$tmp/b.sqlite" "$q" | cksum)" ] ||
  fail "1 and 2 threads differ"

# Bad input: exit 2, a clear message, the database untouched.
sum=$(cksum <"$tmp/a.sqlite")
expect2() {
  what=$1; pattern=$2; shift 2
  "$parley" "$@" >/dev/null 2>"$tmp/err"
  code=$?
  [ $code -eq 2 ] || fail "$what: exit $code, want 2 ($(cat "$tmp/err"))"
  grep -q -- "$pattern" "$tmp/err" || fail "$what: message '$(cat "$tmp/err")' lacks '$pattern'"
  [ "$(cksum <"$tmp/a.sqlite")" = "$sum" ] || fail "$what: the database changed"
}
expect2 "unknown path" "policy.nonsense" sweep "$min" --runs 5 --vary policy.nonsense=1,2 --out "$tmp/c.sqlite"
expect2 "bad value" "policy.linkage" sweep "$min" --runs 5 --vary policy.linkage=separate,tied --out "$tmp/c.sqlite"
expect2 "empty values" "empty list" sweep "$min" --runs 5 --vary policy.linkage= --out "$tmp/c.sqlite"
expect2 "N=0" "runs" sweep "$min" --runs 0 --out "$tmp/c.sqlite"
expect2 "no --runs" "runs" sweep "$min" --out "$tmp/c.sqlite"
expect2 "unwritable" "cannot create" sweep "$min" --runs 5 --out "$tmp/no/such/dir/x.sqlite"
expect2 "other scenario" "another scenario" sweep four-party-1997 --runs 5 --out "$tmp/a.sqlite"
expect2 "other command" "different sweep" sweep "$min" --runs 21 --draws 2 $vary --out "$tmp/a.sqlite"
expect2 "other seed" "different sweep" sweep "$min" --runs 20 --draws 2 $vary --seed 2 --out "$tmp/a.sqlite"
expect2 "unknown cell" "no cell" compare "$tmp/a.sqlite" 0 42
expect2 "summary of nothing" "no such" summary "$tmp/missing.sqlite"
[ ! -e "$tmp/c.sqlite" ] || fail "a refused sweep left a database"
# A database of results schema 1 (before runs.treaty_extent): resuming it is
# refused untouched; summarising it still works, without the extent.
if [ $have_sql = 1 ]; then
  cp "$tmp/a.sqlite" "$tmp/old.sqlite"
  sql "$tmp/old.sqlite" "UPDATE meta SET value = '1' WHERE key = 'schema_version';
    ALTER TABLE runs DROP COLUMN treaty_extent;" || fail "cannot make a schema-1 database"
  old=$(cksum <"$tmp/old.sqlite")
  "$parley" sweep "$min" --runs 20 --draws 2 $vary --out "$tmp/old.sqlite" >/dev/null 2>"$tmp/err"
  [ $? -eq 2 ] || fail "resuming a schema-1 database should exit 2"
  grep -q "another version of parley" "$tmp/err" || fail "schema message: $(cat "$tmp/err")"
  [ "$(cksum <"$tmp/old.sqlite")" = "$old" ] || fail "a refused resume changed the database"
  "$parley" summary "$tmp/old.sqlite" --format csv >"$tmp/old.csv" || fail "summary of schema 1"
  [ "$(wc -l <"$tmp/old.csv")" -eq 5 ] || fail "schema-1 summary: $(cat "$tmp/old.csv")"
  "$parley" report "$tmp/old.sqlite" --out "$tmp/old.html" >/dev/null 2>"$tmp/err" ||
    fail "report of schema 1: $(cat "$tmp/err")"
  "$parley" summary "$tmp/old.sqlite" --min-extent 50 >/dev/null 2>"$tmp/err"
  [ $? -eq 2 ] || fail "--min-extent on a schema-1 database should exit 2"
  grep -q "no treaty extents" "$tmp/err" || fail "schema-1 extent message: $(cat "$tmp/err")"
fi
echo "my notes" >"$tmp/notes.txt"
"$parley" sweep "$min" --runs 5 --out "$tmp/notes.txt" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "a text file as --out should exit 2"
[ "$(cat "$tmp/notes.txt")" = "my notes" ] || fail "a text file given as --out was changed"
"$parley" summary "$tmp/notes.txt" >/dev/null 2>&1
[ $? -eq 2 ] || fail "summary of a text file should exit 2"

# Kill a sweep, rerun it: every run present once, same content as uninterrupted.
"$parley" sweep four-party-1997 --runs 5000 --threads 2 --quiet --out "$tmp/k.sqlite" >/dev/null 2>&1 &
pid=$!
sleep 1
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
if [ $have_sql = 1 ] && [ -e "$tmp/k.sqlite" ]; then
  n=$(sql "$tmp/k.sqlite" 'select count(*) from runs') || fail "killed database unreadable"
  [ "$(sql "$tmp/k.sqlite" 'pragma integrity_check')" = ok ] || fail "killed database corrupt"
fi
"$parley" sweep four-party-1997 --runs 5000 --threads 2 --quiet --out "$tmp/k.sqlite" >/dev/null ||
  fail "resume exited $?"
"$parley" sweep four-party-1997 --runs 5000 --threads 1 --quiet --out "$tmp/k1.sqlite" >/dev/null ||
  fail "uninterrupted sweep"
if [ $have_sql = 1 ]; then
  [ "$(sql "$tmp/k.sqlite" 'select count(*), count(distinct run) from runs')" = "5000|5000" ] ||
    fail "resumed database does not hold each run once"
  [ "$(sql "$tmp/k.sqlite" "$q" | cksum)" = "$(sql "$tmp/k1.sqlite" "$q" | cksum)" ] ||
    fail "resumed and uninterrupted sweeps differ"
fi

# Per-round series on request.
"$parley" sweep "$min" --runs 3 --series --quiet --out "$tmp/s.sqlite" >/dev/null || fail "--series"
[ $have_sql = 0 ] ||
  [ "$(sql "$tmp/s.sqlite" 'select count(*) > 0 from series; select count(*) > 0 from series_belief')" = "1
1" ] || fail "--series stored no series"

# Calibration with a pattern every draw meets, then a sweep over its ensemble.
cat >"$tmp/p.json" <<'JSON'
{"patterns": [{"metric": "agreements", "historical": 0, "band": [0, 1000], "source": "test"}]}
JSON
"$parley" calibrate "$min" --patterns "$tmp/p.json" --draws 6 --runs 5 --quiet --out "$tmp/ens.json" >"$tmp/cal" ||
  fail "calibrate exited $? ($(cat "$tmp/cal"))"
grep -q 'accepted: 6 of 6' "$tmp/cal" || fail "calibrate report: $(cat "$tmp/cal")"
"$parley" sweep "$min" --runs 4 --ensemble "$tmp/ens.json" --quiet --out "$tmp/e.sqlite" >"$tmp/out" ||
  fail "sweep --ensemble exited $?"
grep -q '6 draw(s) x 4 run(s)' "$tmp/out" || fail "ensemble sweep: $(cat "$tmp/out")"
# An ensemble of the free parameters only, crossed with a hypercube over the
# scenario's uncertainties: draw d takes member d mod 6.
"$parley" calibrate "$min" --patterns "$tmp/p.json" --draws 6 --runs 5 --fixed-scenario --quiet \
  --out "$tmp/ens6.json" >/dev/null || fail "calibrate --fixed-scenario"
"$parley" sweep "$min" --runs 2 --draws 9 --ensemble "$tmp/ens6.json" --quiet --out "$tmp/ed.sqlite" \
  >"$tmp/out" || fail "sweep --draws with --ensemble exited $?"
grep -q '9 draw(s) x 2 run(s)' "$tmp/out" || fail "ensemble x hypercube: $(cat "$tmp/out")"
[ $have_sql = 0 ] ||
  [ "$(sql "$tmp/ed.sqlite" "select count(*) > 6 from params; select count(*) from params where path like 'sim.%'")" = "1
6" ] || fail "ensemble x hypercube: the draws do not hold the free parameters and the uncertainties"
# The database records the command as typed, --vary values included.
[ $have_sql = 0 ] ||
  sql "$tmp/ed.sqlite" "select value from meta where key = 'command'" | grep -q -- '--draws 9 --ensemble' ||
  fail "the database's command is not the command typed"
"$parley" sweep "$min" --runs 1 --vary policy.linkage=separate,linked --quiet --out "$tmp/cmd.sqlite" >/dev/null ||
  fail "sweep for the command record"
[ $have_sql = 0 ] ||
  sql "$tmp/cmd.sqlite" "select value from meta where key = 'command'" | grep -q 'policy.linkage=separate,linked' ||
  fail "--vary recorded without its values"
# The pattern check at fixed parameters: a table, or CSV for scripts.
"$parley" calibrate "$min" --patterns "$tmp/p.json" --check --runs 20 --quiet >"$tmp/chk" ||
  fail "calibrate --check exited $?"
grep -q '1 of 1 patterns hold' "$tmp/chk" || fail "calibrate --check: $(cat "$tmp/chk")"
"$parley" calibrate "$min" --patterns "$tmp/p.json" --check --runs 20 --quiet --format csv |
  head -1 | grep -q '^pattern,historical,lo,median,hi,share_below,runs,missing,holds$' ||
  fail "calibrate --check --format csv header"
"$parley" calibrate "$min" --patterns "$tmp/p.json" --check --ablate nothing >/dev/null 2>&1
[ $? -eq 2 ] || fail "calibrate --check with an unknown ablation should exit 2"
# The check over an ensemble spreads the runs evenly over its members (20
# runs over 6 members: 4 each, 24 in all); a one-member ensemble at the
# defaults is the plain check, run for run.
"$parley" calibrate "$min" --patterns "$tmp/p.json" --check --runs 20 --quiet \
  --ensemble "$tmp/ens6.json" >"$tmp/chk" || fail "calibrate --check --ensemble exited $?"
grep -q 'over 24 runs, 4 for each of the 6 members' "$tmp/chk" || fail "ensemble check: $(cat "$tmp/chk")"
grep -q '1 of 1 patterns hold' "$tmp/chk" || fail "ensemble check verdict: $(cat "$tmp/chk")"
cat >"$tmp/one.json" <<'JSON'
{"format": "parley-ensemble", "version": 1, "params": ["sim.need_weight"],
 "members": [{"draw": 0, "values": [2.8]}]}
JSON
fp_patterns="$src/scenarios/patterns/four-party-1997.json"
"$parley" calibrate four-party-1997 --patterns "$fp_patterns" --check --runs 30 --quiet --format csv \
  >"$tmp/plain.csv" || fail "plain check"
"$parley" calibrate four-party-1997 --patterns "$fp_patterns" --check --runs 30 --quiet --format csv \
  --ensemble "$tmp/one.json" | cmp -s - "$tmp/plain.csv" ||
  fail "a one-member ensemble at the defaults differs from the plain check"
"$parley" calibrate "$min" --patterns "$tmp/p.json" --check --ensemble "$tmp/one.json" \
  --param sim.need_weight=3 >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "a --param the ensemble sets should exit 2"
grep -q 'the ensemble sets this parameter' "$tmp/err" || fail "override message: $(cat "$tmp/err")"
"$parley" calibrate "$min" --patterns "$tmp/p.json" --check --ensemble "$tmp/none.json" >/dev/null 2>&1
[ $? -eq 2 ] || fail "a missing ensemble for --check should exit 2"
"$parley" calibrate "$min" --patterns "$tmp/p.json" --ensemble "$tmp/one.json" --out "$tmp/x.json" \
  >/dev/null 2>&1
[ $? -eq 2 ] || fail "--ensemble without --check should exit 2"
# A conditional pattern ("given") counts only the runs that meet its condition:
# a condition no run meets leaves none (missing = runs, the pattern fails); one
# every run meets changes nothing but the description.
cat >"$tmp/g0.json" <<'JSON'
{"patterns": [{"metric": "agreements", "historical": 0, "band": [0, 1000],
  "given": {"metric": "agreements", "above": 1e9}}]}
JSON
"$parley" calibrate "$min" --patterns "$tmp/g0.json" --check --runs 20 --quiet --format csv >"$tmp/g0.csv" ||
  fail "check with a condition no run meets exited $?"
grep -q ',20,20,0$' "$tmp/g0.csv" || fail "no run should count: $(cat "$tmp/g0.csv")"
cat >"$tmp/g1.json" <<'JSON'
{"patterns": [{"metric": "agreements", "historical": 0, "band": [0, 1000],
  "given": {"metric": "agreements", "above": -1}}]}
JSON
"$parley" calibrate "$min" --patterns "$tmp/g1.json" --check --runs 20 --quiet --format csv |
  cut -d, -f2- >"$tmp/g1.csv" || fail "check with a condition every run meets"
"$parley" calibrate "$min" --patterns "$tmp/p.json" --check --runs 20 --quiet --format csv |
  cut -d, -f2- | cmp -s - "$tmp/g1.csv" || fail "a condition every run meets changed the check"
"$parley" calibrate "$min" --patterns "$tmp/g1.json" --check --runs 5 --quiet |
  grep -q 'median over runs where agreements > -1 in' || fail "the condition is not described"
for given in '{"metric": "nonsense", "above": 0}' '{"metric": "treaty"}' \
             '{"metric": "treaty", "above": 0, "x": 1}' '[0]' '{"metric": "treaty", "above": "0"}'; do
  echo "{\"patterns\": [{\"metric\": \"treaty\", \"historical\": 0, \"given\": $given}]}" >"$tmp/gb.json"
  "$parley" calibrate "$min" --patterns "$tmp/gb.json" --check --runs 2 >/dev/null 2>"$tmp/err"
  [ $? -eq 2 ] || fail "given $given should exit 2"
  grep -q 'patterns\[0\].*given' "$tmp/err" || fail "given error not located: $(cat "$tmp/err")"
done
# A simulator parameter varies by cell like a lever: the cells differ, bad
# values are located, and a parameter the ensemble draws cannot also vary.
"$parley" sweep four-party-1997 --runs 30 --vary sim.sucker_loss=0.3,2.9 --quiet \
  --out "$tmp/simvary.sqlite" >/dev/null || fail "sweep --vary sim.sucker_loss exited $?"
"$parley" summary "$tmp/simvary.sqlite" | grep -q 'sim.sucker_loss=2.9' || fail "no sim cell label"
if [ $have_sql = 1 ]; then
  [ "$(sql "$tmp/simvary.sqlite" "select count(distinct cell) from runs")" = 2 ] || fail "sim cells"
  [ "$(sql "$tmp/simvary.sqlite" "select (select sum(coalesce(initial_agreement_end_month, 999)) from runs where cell = 0) <> (select sum(coalesce(initial_agreement_end_month, 999)) from runs where cell = 1)")" = 1 ] ||
    fail "the sucker's loss varied by cell changed nothing"
fi
"$parley" sweep four-party-1997 --runs 2 --vary sim.sucker_loss=x --out "$tmp/bad.sqlite" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "a non-numeric sim value should exit 2"
grep -q -- '--vary sim.sucker_loss=x' "$tmp/err" || fail "sim value error not located: $(cat "$tmp/err")"
"$parley" sweep four-party-1997 --runs 2 --vary sim.no_such=1 --out "$tmp/bad.sqlite" >/dev/null 2>&1
[ $? -eq 2 ] || fail "an unknown sim parameter should exit 2"
# `run --set sim.X=V` works; in a sweep --set is for scenario fields, and the
# refusal says which option fixes a simulator parameter.
"$parley" sweep "$min" --runs 2 --set sim.sucker_loss=1 --out "$tmp/bad.sqlite" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "--set sim.X in a sweep should exit 2"
grep -q -- 'fix it with --vary sim.sucker_loss=1 (one value)' "$tmp/err" || fail "--set sim hint: $(cat "$tmp/err")"
"$parley" sweep "$min" --runs 2 --ensemble "$tmp/ens6.json" --vary sim.need_weight=2,3 \
  --out "$tmp/bad.sqlite" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "a parameter both drawn and varied should exit 2"
grep -q 'both varied by cell and drawn' "$tmp/err" || fail "conflict message: $(cat "$tmp/err")"
[ ! -e "$tmp/bad.sqlite" ] || fail "a refused sweep left a database behind"
# A path that names no file is bad input (exit 2), as for scenarios.
"$parley" calibrate "$min" --patterns "$tmp/none.json" --check >/dev/null 2>&1
[ $? -eq 2 ] || fail "a missing patterns file should exit 2"
"$parley" sweep "$min" --runs 1 --ensemble "$tmp/none.json" --out "$tmp/none.sqlite" >/dev/null 2>&1
[ $? -eq 2 ] || fail "a missing ensemble file should exit 2"
[ ! -e "$tmp/none.sqlite" ] || fail "a refused sweep left a database behind"
echo '{"patterns": [{"metric": "nonsense", "historical": 1}]}' >"$tmp/bad.json"
"$parley" calibrate "$min" --patterns "$tmp/bad.json" --out "$tmp/x.json" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "unknown metric in patterns should exit 2"
grep -q 'patterns\[0\]' "$tmp/err" || fail "pattern error not located: $(cat "$tmp/err")"
# A band on another quantile than the median, with an open end: the minimal
# scenario's plenaries over 200 runs at seed 1 have their 10% quantile at 8.
band_check() { # QUANTILE LO HI -> prints the verdict line
  printf '{"patterns": [{"metric": "main_meetings", "historical": 10, "band": [%s, %s], "band_quantile": %s}]}' \
    "$2" "$3" "$1" >"$tmp/bq.json"
  "$parley" calibrate "$min" --patterns "$tmp/bq.json" --check --runs 200 --quiet 2>&1
}
band_check 0.1 8 null | grep -q '^yes .*0.1 quantile over runs in \[8, inf\]' ||
  fail "band_quantile 0.1 over [8, null]: $(band_check 0.1 8 null)"
band_check 0.1 8.5 null | grep -q '^NO ' || fail "band_quantile 0.1 over [8.5, null] should fail"
band_check 0.9 null 11 | grep -q '^NO ' || fail "band_quantile 0.9 over [null, 11] should fail"
band_check 0.9 null 12 | grep -q '^yes .*0.9 quantile over runs in \[-inf, 12\]' ||
  fail "band_quantile 0.9 over [null, 12]: $(band_check 0.9 null 12)"
for bad in '"band_quantile": 0.1' '"band": [1, 2], "band_quantile": 1.5' \
  '"band": [1, "x"]' '"band": [3, 1]' '"band": [null]' '"band": [1, 2], "band_quantile": "a"'; do
  printf '{"patterns": [{"metric": "main_meetings", "historical": 1, %s}]}' "$bad" >"$tmp/bq.json"
  "$parley" calibrate "$min" --patterns "$tmp/bq.json" --check --runs 2 >/dev/null 2>"$tmp/err"
  [ $? -eq 2 ] || fail "pattern with $bad should exit 2"
  grep -q 'patterns\[0\]' "$tmp/err" || fail "pattern error for $bad not located: $(cat "$tmp/err")"
done
"$parley" calibrate four-party-1997 --patterns "$src/scenarios/patterns/four-party-1997.json" \
  --draws 2 --runs 2 --quiet --out "$tmp/fp.json" >/dev/null 2>&1
[ $? -le 1 ] || fail "the shipped patterns file does not load"

# Sensitivity: CSV headers and bad input.
"$parley" sensitivity "$min" --param actors.DPRK.capability=20:40 --param sim.need_weight=1:6 \
  --method morris --trajectories 3 --runs 5 --format csv --quiet >"$tmp/m.csv" || fail "morris exited $?"
head -1 "$tmp/m.csv" | grep -qx 'output,param,mu_star,mu,sigma' || fail "morris header"
[ "$(wc -l <"$tmp/m.csv")" -eq 5 ] || fail "morris rows: $(cat "$tmp/m.csv")"
"$parley" sensitivity "$min" --param actors.DPRK.capability=20:40 --method sobol --samples 8 \
  --runs 3 --vary policy.linkage=separate,linked --format csv --quiet >"$tmp/s.csv" || fail "sobol exited $?"
head -1 "$tmp/s.csv" | grep -qx 'output,param,s1,s1_lo,s1_hi,st,st_lo,st_hi' || fail "sobol header"
grep -q 'minus' "$tmp/s.csv" || fail "no policy contrast in sobol output"
"$parley" sensitivity "$min" --param actors.nobody.capability=1:2 --runs 2 --quiet >/dev/null 2>&1
[ $? -eq 2 ] || fail "unknown --param path should exit 2"
"$parley" sensitivity "$min" --param actors.DPRK.capability=40:20 >/dev/null 2>&1
[ $? -eq 2 ] || fail "LO >= HI should exit 2"
echo ok
