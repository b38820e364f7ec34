#!/bin/sh
# parley match and parley tournament: the CSV header other scripts depend on,
# exact values from the Axelrod anchors (tests/anchors/games), identical
# tournaments for any thread count, and exit code 2 with a clear message on
# bad strategies, probabilities and games.
# usage: sh game_cli.sh PATH_TO_PARLEY SOURCE_DIR
set -u
P=$1
S=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
HEADER=player1,player2,turns,noise,payoff_per_turn1,payoff_per_turn2,cooperation1,cooperation2

# Exact 200-turn expectation (anchor b: 2.274361, 2.277306).
"$P" match TitForTat WinStayLoseShift --noise 0.05 --exact --format csv >"$T/m.csv" ||
    fail "match --exact exit $?"
[ "$(head -n 1 "$T/m.csv")" = "$HEADER" ] || fail "header: $(head -n 1 "$T/m.csv")"
grep -q '^TitForTat,WinStayLoseShift,200,0.05,2.27436137[0-9]*,2.2773055[0-9]*,' "$T/m.csv" ||
    fail "exact row: $(cat "$T/m.csv")"
[ "$(wc -l <"$T/m.csv")" -eq 2 ] || fail "one row expected"

# Long run (anchor b: GTFT_p1/3 v GTFT_p1/3 = 2.859375 each).
"$P" match GTFT GTFT --noise 0.05 --exact --long-run --format csv >"$T/l.csv" || fail "long run"
grep -q '^GTFT:0.3333333333,GTFT:0.3333333333,inf,0.05,2.859375[0-9]*,2.859375' "$T/l.csv" ||
    fail "long-run row: $(cat "$T/l.csv")"

# Deterministic match (anchor a: Alternator v TitForTat 200 turns scores 500, 500... read from the anchor).
row=$(grep '^TitFor2Tats,Alternator,' "$S/tests/anchors/games/a_deterministic_matches.csv")
s1=$(echo "$row" | cut -d, -f6)
"$P" match TitFor2Tats Alternator --format csv >"$T/d.csv" || fail "deterministic match"
p1=$(tail -n 1 "$T/d.csv" | cut -d, -f5)
awk -v a="$p1" -v b="$s1" 'BEGIN { exit !(a * 200 == b) }' || fail "TF2T v Alternator $p1 x 200 != $s1"

# Simulated means are seeded: the same twice, different with another seed.
"$P" match TFT WSLS --noise 0.1 --repetitions 50 --seed 3 --format csv >"$T/s1.csv" || fail "sim"
"$P" match TFT WSLS --noise 0.1 --repetitions 50 --seed 3 --format csv >"$T/s2.csv" || fail "sim"
cmp -s "$T/s1.csv" "$T/s2.csv" || fail "simulation not reproducible"

# JSON and table output exist and parse as one object.
"$P" match TFT STFT --turns 6 --actions --format json >"$T/m.json" || fail "json"
grep -q '"actions": \["CDCDCD", "DCDCDC"\]' "$T/m.json" || fail "json actions: $(cat "$T/m.json")"
"$P" match ZD:2 GTFT:0.2 --detect 0.8 --false-alarm 0.05 --noise 0.01 >/dev/null || fail "table"

# Tournament: same standings for 1 and 2 threads, CSV header.
"$P" tournament --noise 0.05 --repetitions 20 --format csv --threads 1 >"$T/t1.csv" || fail "tournament"
"$P" tournament --noise 0.05 --repetitions 20 --format csv --threads 2 >"$T/t2.csv" || fail "tournament 2"
cmp -s "$T/t1.csv" "$T/t2.csv" || fail "threads change the tournament"
[ "$(head -n 1 "$T/t1.csv")" = "rank,player,median_score_per_turn,mean_score_per_turn,cooperation_rate" ] ||
    fail "standings header"
[ "$(wc -l <"$T/t1.csv")" -eq 10 ] || fail "nine players expected"
"$P" tournament TFT Defector --format csv --table payoff --turns 10 >"$T/p.csv" || fail "payoff table"
grep -q '^TitForTat,3,0.9$' "$T/p.csv" || fail "payoff row: $(cat "$T/p.csv")"
"$P" tournament TFT GTFT --prob-end 0.05 --format json >"$T/t.json" || fail "json tournament"
grep -q '"standings": \[' "$T/t.json" || fail "json standings"

# Bad input: exit 2 and a message naming the problem.
bad() {
    expect=$1
    shift
    "$P" "$@" >/dev/null 2>"$T/err"
    code=$?
    [ "$code" -eq 2 ] || fail "'$*' exit $code, expected 2"
    grep -q "$expect" "$T/err" || fail "'$*' message: $(cat "$T/err")"
}
bad "unknown strategy" match TitForTwoTats TFT
bad "probability in \[0, 1\]" match TFT TFT --noise 1.5
bad "probability in \[0, 1\]" match TFT TFT --false-alarm -0.2
bad "\[0, 1\]" match Random:1.2 TFT
bad "\[0, 1\]" match GTFT:2 TFT
bad "prisoner's dilemma" match ZD:2 TFT --game chicken
bad "prisoner's dilemma" match GTFT TFT --game 4,0,3,2
bad "prisoner's dilemma" tournament ZD:3 TFT --game stag-hunt
bad "finite-state" match GoByMajority TFT --exact --long-run
bad "not a game" match TFT TFT --game war
bad "needs two strategies" match TFT
bad "unknown strategy" tournament TFT Nonsense
bad "probability in \[0, 1\]" tournament --prob-end 2
bad "unknown option" tournament --bogus
exit 0
