#!/bin/sh
# A scenario's own strategies and stage game on the command line
# (`parley match/tournament --scenario FILE`), and the Moran process
# (`parley tournament --moran`) against its analytic fixation probabilities:
# a hand-computed constant-fitness case (8/15) and neutral drift (1/N).
# usage: sh games_scenario_cli.sh PATH_TO_PARLEY SOURCE_DIR
set -u
P=$1
S=$2
G=$S/tests/data/games.json
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# The scenario validates; its normalised dump validates and dumps identically.
"$P" validate "$G" >/dev/null || fail "validate games.json"
"$P" show --format json "$G" >"$T/d1.json" || fail "show"
"$P" show --format json "$T/d1.json" >"$T/d2.json" || fail "show of the dump"
cmp -s "$T/d1.json" "$T/d2.json" || fail "dump not stable"
grep -q '"games"' "$T/d1.json" || fail "dump without games"

# Fortress3 as the scenario defines it (the Axelrod library's table).
"$P" match Fortress3 Defector --scenario "$G" --turns 9 --actions --format json >"$T/f.json" ||
    fail "match --scenario"
grep -q '"actions": \["DDCDDCDDC", "DDDDDDDDD"\]' "$T/f.json" || fail "Fortress3: $(cat "$T/f.json")"

# A machine written as TitForTat has TitForTat's exact values, to the digit.
"$P" match MachineTFT WSLS --scenario "$G" --noise 0.05 --exact --format csv | tail -n 1 |
    cut -d, -f3- >"$T/m1" || fail "exact machine"
"$P" match TFT WSLS --noise 0.05 --exact --format csv | tail -n 1 | cut -d, -f3- >"$T/m2" ||
    fail "exact TFT"
cmp -s "$T/m1" "$T/m2" || fail "MachineTFT $(cat "$T/m1") != TFT $(cat "$T/m2")"

# Without names, the tournament plays the scenario's strategies (six defined,
# plus TitForTat, the default compliance strategy of its mediator).
"$P" tournament --scenario "$G" --repetitions 3 --noise 0.05 --format csv >"$T/t.csv" ||
    fail "tournament --scenario"
[ "$(wc -l <"$T/t.csv")" -eq 8 ] || fail "seven players expected: $(cat "$T/t.csv")"
grep -q ',Cautious,' "$T/t.csv" || fail "Cautious missing"
# A built-in scenario brings its actors' strategies.
"$P" tournament --scenario four-party-1997 --repetitions 2 --format csv >"$T/b.csv" ||
    fail "tournament --scenario four-party-1997"
[ "$(wc -l <"$T/b.csv")" -ge 3 ] || fail "four-party players: $(cat "$T/b.csv")"

# A typo of a scenario's name: exit 2, the message lists the scenario's names.
"$P" match Cautous TFT --scenario "$G" 2>"$T/e" >/dev/null
[ $? -eq 2 ] || fail "typo: exit code"
grep -q "the scenario defines: Cautious" "$T/e" || fail "typo message: $(cat "$T/e")"
grep -q "did you mean 'Cautious'" "$T/e" || fail "typo hint: $(cat "$T/e")"
# A scenario-defined name without --scenario is unknown.
"$P" match Cautious TFT 2>/dev/null >/dev/null
[ $? -eq 2 ] || fail "Cautious without --scenario"
"$P" match TFT TFT --scenario "$T/none.json" 2>/dev/null >/dev/null
[ $? -ne 0 ] || fail "missing scenario accepted"

# Moran, constant fitness: payoff 2 for C and 1 for D whatever the other does
# (--game 2,2,1,1), so r = 2; one Cooperator among four: 8/15 by hand.
"$P" tournament --moran Cooperator Defector --game 2,2,1,1 --population 4 --turns 7 \
    --runs 20000 --threads 2 --format csv >"$T/c.csv" || fail "moran"
[ "$(head -n 1 "$T/c.csv")" = "strategy,initial,population,runs,fixations,fixation_probability,standard_error,formula,neutral" ] ||
    fail "moran header: $(head -n 1 "$T/c.csv")"
row=$(grep '^Cooperator,' "$T/c.csv")
echo "$row" | awk -F, '{ exit !($8 > 0.5333333 && $8 < 0.5333334) }' || fail "formula: $row"
echo "$row" | awk -F, '{ d = $6 - 8 / 15; if (d < 0) d = -d; exit !(d <= 4 * sqrt(8 / 15 * 7 / 15 / $4)) }' ||
    fail "simulated fixation off by more than 4 SE: $row"
# The thread count does not change a result.
"$P" tournament --moran Cooperator Defector --game 2,2,1,1 --population 4 --turns 7 \
    --runs 20000 --threads 1 --format csv >"$T/c1.csv" || fail "moran 1 thread"
cmp -s "$T/c.csv" "$T/c1.csv" || fail "threads change the Moran process"

# Neutral drift: Cooperator and a copy of it under another name, N = 10: 1/10.
"$P" tournament --moran Cooperator MemoryOne:1:1:1:1:C --population 10 --runs 4000 \
    --turns 5 --noise 0.05 --format csv >"$T/n.csv" || fail "neutral"
row=$(grep '^Cooperator,' "$T/n.csv")
echo "$row" | awk -F, '{ d = $6 - 0.1; if (d < 0) d = -d; exit !($9 == 0.1 && d <= 4 * sqrt(0.09 / $4)) }' ||
    fail "neutral drift: $row"

# The scenario's own strategies in a Moran process, on its stage game.
"$P" tournament --moran Cautious Fortress3 --scenario "$G" --population 6 --mutants 2 \
    --runs 200 --turns 20 --format json >"$T/s.json" || fail "moran --scenario"
grep -q '"strategy": "Cautious", "initial": 2' "$T/s.json" || fail "moran json: $(cat "$T/s.json")"

# Bad input: exit 2 with a message.
for args in "--moran TFT ALLD --population 4 --mutants 4" \
    "TFT ALLD --population 4" \
    "--moran TFT ALLD --game -1,0,5,1" \
    "--moran TFT ALLD WSLS --population 10" \
    "--moran TFT ALLD --counts 1,x" \
    "--moran TFT" \
    "--moran TFT ALLD --population 1001"; do
    # shellcheck disable=SC2086
    "$P" tournament $args >/dev/null 2>"$T/e"
    rc=$?
    [ "$rc" -eq 2 ] || fail "tournament $args: exit $rc"
    [ -s "$T/e" ] || fail "tournament $args: no message"
done

# The editor schema accepts the games section (skipped without jsonschema).
if python3 -c 'import jsonschema' 2>/dev/null; then
    python3 - "$S" <<'PY' || fail "schema"
import json, sys, jsonschema
src = sys.argv[1]
v = jsonschema.Draft202012Validator(json.load(open(src + '/schema/parley-scenario.schema.json')))
errors = list(v.iter_errors(json.load(open(src + '/tests/data/games.json'))))
if errors:
    sys.exit(errors[0].message)
bad = json.load(open(src + '/tests/malformed/86-memory-one-probability.json'))
if not list(v.iter_errors(bad)):
    sys.exit('the schema accepts a probability of 1.2')
PY
fi
# `parley show` prints the games section: the stage game and each definition.
"$P" show "$G" >"$T/show" || fail "show exited $?"
grep -q 'stage game (player 1): R 3, S 0, T 5, P 1' "$T/show" || fail "show: no stage game"
grep -q 'DPRKHedge: spec Hedger:0.6:2:1' "$T/show" || fail "show: no strategy definitions"
echo "ok"
