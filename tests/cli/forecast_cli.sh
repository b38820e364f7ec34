#!/bin/sh
# parley forecast, evaluate and import: the tidy CSV headers other scripts
# depend on, the numbers behind them, and exit code 2 with a located message
# (file:line:column) on malformed peer tables.
# usage: sh forecast_cli.sh PATH_TO_PARLEY SOURCE_DIR
set -u
P=$1
S=$2
A=$S/tests/anchors/bargaining
D=$S/tests/data
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# forecast --format csv: header model,issue,forecast, one row per model and issue.
"$P" forecast "$A/bdm1994_emission.csv" --model compromise,median --format csv >"$T/f.csv" ||
    fail "forecast csv exit $?"
[ "$(head -n 1 "$T/f.csv")" = "model,issue,forecast" ] || fail "forecast csv header: $(head -n 1 "$T/f.csv")"
grep -q '^compromise,bdm1994_emission,7\.3899556' "$T/f.csv" || fail "compromise row: $(cat "$T/f.csv")"
grep -q '^median,bdm1994_emission,7$' "$T/f.csv" || fail "median row: $(cat "$T/f.csv")"
[ "$(wc -l <"$T/f.csv")" -eq 3 ] || fail "forecast csv rows"

# Issue ids: KTAB dimension names, Decide issue names (quoted when they hold commas).
"$P" forecast "$A/ktab_SOE-Pol-Comp.csv" --model compromise --format csv >"$T/k.csv" || fail "ktab"
grep -q '^compromise,Policy Position,' "$T/k.csv" || fail "ktab issue ids: $(cat "$T/k.csv")"
"$P" forecast "$A/decide_sample_data.txt" --model median --format csv >"$T/d.csv" || fail "decide"
grep -q '^median,tol-hoogte,' "$T/d.csv" || fail "decide issue ids"

# --trace --format csv: header model,round,actor,issue,position; round 0 is the input;
# BDM adds *median* and *mean* rows.
"$P" forecast "$A/bdm1994_emission.csv" --model bdm --trace --format csv >"$T/t.csv" ||
    fail "trace exit $?"
[ "$(head -n 1 "$T/t.csv")" = "model,round,actor,issue,position" ] || fail "trace header"
grep -q '^bdm,0,Netherlands,bdm1994_emission,4$' "$T/t.csv" || fail "trace round 0"
grep -q '^bdm,8,\*median\*,bdm1994_emission,' "$T/t.csv" || fail "trace median rows"
grep -q '^bdm,1,\*mean\*,bdm1994_emission,' "$T/t.csv" || fail "trace mean rows"
"$P" forecast "$A/bdm1994_emission.csv" --model nbs --trace --format csv >"$T/t2.csv" || fail "nbs trace"
grep -q '^nbs,0,UK,bdm1994_emission,10$' "$T/t2.csv" || fail "static trace is the input"

# Table and JSON outputs run.
"$P" forecast "$A/decide_copenhagen.csv" --model compromise,median,nbs >"$T/table.txt" || fail "table"
grep -q 'Newtreaty' "$T/table.txt" || fail "table content"
"$P" forecast "$A/bdm_honduras.csv" --format json --model compromise >"$T/j.json" || fail "json"
grep -q '"forecasts"' "$T/j.json" || fail "json content"

# evaluate --format csv: header model,n,mae,median_ae,within10; DEU III compromise MAE 23.22.
"$P" evaluate "$A/deu3.tsv" --model compromise,median,nbs --format csv >"$T/e.csv" ||
    fail "evaluate exit $?"
[ "$(head -n 1 "$T/e.csv")" = "model,n,mae,median_ae,within10" ] || fail "evaluate header"
grep -q '^compromise,353,23\.22' "$T/e.csv" || fail "evaluate compromise: $(cat "$T/e.csv")"
"$P" evaluate "$A/deu3.tsv" --capability equal --model compromise --format csv >"$T/e2.csv" ||
    fail "evaluate equal"
grep -q '^compromise,353,23\.68' "$T/e2.csv" || fail "evaluate equal capability"
"$P" evaluate "$A/bdm1994_emission.csv" >/dev/null 2>"$T/err"
[ $? -eq 2 ] || fail "evaluate without outcomes must exit 2"

# Malformed peer tables: exit 2, every message located as file:line:column.
check_bad() { # file expected-substring [options]
    f=$1
    want=$2
    shift 2
    "$P" forecast "$D/$f" "$@" >/dev/null 2>"$T/err"
    code=$?
    [ $code -eq 2 ] || fail "$f: exit $code, expected 2"
    grep -qF "$want" "$T/err" || fail "$f: stderr lacks '$want': $(cat "$T/err")"
}
check_bad bargain_bad_missing_column.csv "bargain_bad_missing_column.csv:1:1: missing column 'Salience'"
check_bad bargain_bad_not_number.csv "bargain_bad_not_number.csv:3:3: column 'Capability': 'abc' is not a number"
check_bad bargain_bad_not_number.csv "bargain_bad_not_number.csv:4:8: column 'Salience': '1..5' is not a number"
check_bad bargain_bad_unknown_actor.txt "bargain_bad_unknown_actor.txt:7:6: unknown actor 'A3'"
check_bad bargain_bad_decide_fields.txt "bargain_bad_decide_fields.txt:4:25: missing column 'power'"
check_bad bargain_bad_ktab.csv "bargain_bad_ktab.csv:5:12: column 'Tax Position': 'x60' is not a number"
check_bad bargain_bad_deu.tsv "bargain_bad_deu.tsv:4:7: column 'pb': '2O' is not a number"
check_bad bargain_bad_deu.tsv "bargain_bad_deu.tsv:4:7" --input-format deu
"$P" evaluate "$D/bargain_bad_deu.tsv" >/dev/null 2>&1
[ $? -eq 2 ] || fail "evaluate on a bad file must exit 2"
"$P" import "$D/bargain_bad_unknown_actor.txt" -o "$T/never.json" >/dev/null 2>&1
[ $? -eq 2 ] || fail "import of a bad file must exit 2"
[ ! -e "$T/never.json" ] || fail "a failed import left a file"

# Usage errors exit 2.
"$P" forecast >/dev/null 2>&1
[ $? -eq 2 ] || fail "forecast without FILE"
"$P" forecast "$A/bdm_honduras.csv" --model nash >/dev/null 2>&1
[ $? -eq 2 ] || fail "unknown model"
"$P" forecast "$A/bdm_honduras.csv" --format xml >/dev/null 2>&1
[ $? -eq 2 ] || fail "unknown format"

# import writes a scenario that `parley validate` accepts and that forecasts as the table does.
for f in decide_copenhagen.csv ktab_SOE-Pol-Comp.csv bdm_litigation.csv bdm1994_emission.csv; do
    "$P" import "$A/$f" -o "$T/$f.json" || fail "import $f exit $?"
    "$P" validate "$T/$f.json" >/dev/null 2>"$T/err" || fail "validate $f: $(cat "$T/err")"
    "$P" forecast "$T/$f.json" --model compromise --format csv >"$T/s.csv" || fail "forecast of imported $f"
done
# Copenhagen is on 0-100 already: the imported scenario's compromise equals the table's.
"$P" import "$A/decide_copenhagen.csv" -o "$T/c.json" || fail "import"
"$P" forecast "$T/c.json" --model compromise --format csv | tail -n +2 | cut -d, -f3 >"$T/a"
"$P" forecast "$A/decide_copenhagen.csv" --model compromise --format csv | tail -n +2 | cut -d, -f3 >"$T/b"
cmp -s "$T/a" "$T/b" || fail "imported Copenhagen forecasts differ"
echo "ok"
