#!/bin/sh
# Hostile inputs against every documented limit (docs/FORMAT.md "Limits",
# docs/ROBUSTNESS.md): each file one past a limit must be refused with exit 2
# and a message naming the limit, never a crash, a hang or an out-of-memory
# kill; a file exactly at the limit must load. Then hostile peer tables
# (parley forecast): exit 2 (or 0 where the table is legal), never a signal.
# Usage: sh robustness_limits.sh PATH_TO_PARLEY SOURCE_DIR
PARLEY=$1
SRC=$2
case $PARLEY in
/*) ;;
*) PARLEY=$(pwd)/$PARLEY ;;
esac
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
cd "$SRC" || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
unset PARLEY_SCENARIO_PATH

# scenario NAME AWK_PROGRAM: writes $tmp/NAME.json from an awk BEGIN block that
# prints the sections after "meta" (the default ones come from the variables
# A (actors) and I (issues) when the program does not print its own).
meta='"meta": {"name": "hostile", "start": "2000-01", "horizon": "2000-12"}'
actors2='"actors": [{"id": "A", "kind": "principal"}, {"id": "B", "kind": "principal"}]'
issue1='"issues": [{"id": "i", "label_0": "low", "label_100": "high", "status_quo": 0}]'

# list N FORMAT: N comma-separated copies of FORMAT with %d the index.
list() {
    awk -v n="$1" -v f="$2" 'BEGIN { for (k = 0; k < n; k++) { if (k) printf ","; printf f, k } }'
}

# refuse NAME TEXT: `validate` exits 2 and stderr contains TEXT.
refuse() {
    err=$("$PARLEY" validate "$tmp/$1.json" 2>&1 >/dev/null)
    rc=$?
    [ "$rc" -eq 2 ] || fail "$1: exit $rc, want 2 ($(printf '%s' "$err" | head -c 300))"
    printf '%s\n' "$err" | grep -qF -- "$2" ||
        fail "$1: no '$2' in: $(printf '%s' "$err" | head -c 300)"
}

# accept NAME: `validate` exits 0.
accept() {
    err=$("$PARLEY" validate "$tmp/$1.json" 2>&1 >/dev/null)
    rc=$?
    [ "$rc" -eq 0 ] || fail "$1: exit $rc, want 0 ($(printf '%s' "$err" | head -c 300))"
}

n=0
# ---- actors: 1000 ----
for count in 1000 1001; do
    printf '{%s, "actors": [%s], %s}\n' "$meta" "$(list $count '{"id": "a%d", "kind": "observer"}')" \
        "$issue1" >"$tmp/actors$count.json"
done
accept actors1000
refuse actors1001 "actors: has 1001 entries; at most 1000"
n=$((n + 1))

# ---- issues: 500 ----
for count in 500 501; do
    printf '{%s, %s, "issues": [%s]}\n' "$meta" "$actors2" \
        "$(list $count '{"id": "i%d", "label_0": "l", "label_100": "h", "status_quo": 0}')" \
        >"$tmp/issues$count.json"
done
accept issues500
refuse issues501 "issues: has 501 entries; at most 500"
n=$((n + 1))

# ---- forums: 100 ----
for count in 100 101; do
    printf '{%s, %s, %s, "forums": [%s]}\n' "$meta" "$actors2" "$issue1" \
        "$(list $count '{"id": "f%d", "members": ["A", "B"]}')" >"$tmp/forums$count.json"
done
accept forums100
refuse forums101 "forums: has 101 entries; at most 100"
n=$((n + 1))

# ---- agreements: 500 ----
for count in 500 501; do
    printf '{%s, %s, %s, "agreements": [%s]}\n' "$meta" "$actors2" "$issue1" \
        "$(list $count '{"id": "g%d", "in_force": "1999-01", "parties": ["A", "B"]}')" \
        >"$tmp/agreements$count.json"
done
accept agreements500
refuse agreements501 "agreements: has 501 entries; at most 500"
n=$((n + 1))

# ---- events: 10000 ----
for count in 10000 10001; do
    printf '{%s, %s, %s, "events": [%s]}\n' "$meta" "$actors2" "$issue1" \
        "$(list $count '{"id": "e%d", "date": "2000-06"}')" >"$tmp/events$count.json"
done
accept events10000
refuse events10001 "events: has 10001 entries; at most 10000"
n=$((n + 1))

# ---- effects per event: 1000 ----
for count in 1000 1001; do
    printf '{%s, %s, %s, "events": [{"id": "e", "date": "2000-06", "effects": [%s]}]}\n' \
        "$meta" "$actors2" "$issue1" \
        "$(list $count '{"path": "actors.A.capability", "add": 1}')" >"$tmp/effects$count.json"
done
accept effects1000
refuse effects1001 "has 1001 entries; at most 1000"
n=$((n + 1))

# ---- obligations per agreement: 1000 ----
for count in 1000 1001; do
    printf '{%s, %s, %s, "agreements": [{"id": "g", "in_force": "1999-01", "parties": ["A", "B"], "obligations": [%s]}]}\n' \
        "$meta" "$actors2" "$issue1" \
        "$(list $count '{"actor": "A", "issue": "i", "level": 1}')" >"$tmp/obligations$count.json"
done
accept obligations1000
refuse obligations1001 "has 1001 entries; at most 1000"
n=$((n + 1))

# ---- terms per agreement: 1000 (one per issue, so only the refusal is reachable) ----
printf '{%s, %s, %s, "agreements": [{"id": "g", "in_force": "1999-01", "parties": ["A", "B"], "terms": [%s]}]}\n' \
    "$meta" "$actors2" "$issue1" "$(list 1001 '{"issue": "i", "level": 1}')" >"$tmp/terms1001.json"
refuse terms1001 "has 1001 entries; at most 1000"
n=$((n + 1))

# ---- sources: 1000 ----
for count in 1000 1001; do
    printf '{"meta": {"name": "hostile", "start": "2000-01", "horizon": "2000-12", "sources": [%s]}, %s, %s}\n' \
        "$(list $count '{"id": "s%d", "citation": "c"}')" "$actors2" "$issue1" \
        >"$tmp/sources$count.json"
done
accept sources1000
refuse sources1001 "meta.sources: has 1001 entries; at most 1000"
n=$((n + 1))

# ---- policy.overrides: 1000 (one per actor and lever: 9 levers x 112 actors) ----
levers="verify_months expectations coordination end_state_clarity cadence_months side_payments spoilers verification.detection verification.false_alarm"
for count in 1000 1001; do
    awk -v n="$count" -v levers="$levers" 'BEGIN {
        nl = split(levers, lv, " ")
        printf "\"actors\": ["
        for (a = 0; a < 112; a++) printf "%s{\"id\": \"a%d\", \"kind\": \"principal\"}", (a ? "," : ""), a
        printf "], \"policy\": {\"overrides\": ["
        for (k = 0; k < n; k++) {
            value = (lv[k % nl + 1] == "cadence_months" || lv[k % nl + 1] == "verify_months") ? 1 : 0.5
            printf "%s{\"actor\": \"a%d\", \"lever\": \"%s\", \"value\": %s}", (k ? "," : ""),
                int(k / nl), lv[k % nl + 1], value
        }
        printf "]}"
    }' >"$tmp/ov.part"
    printf '{%s, %s, %s}\n' "$meta" "$(cat "$tmp/ov.part")" "$issue1" >"$tmp/overrides$count.json"
done
accept overrides1000
refuse overrides1001 "has 1001 entries; at most 1000"
n=$((n + 1))

# ---- rounds: 1200 (1000-01 .. 1099-12 is 1200 months) ----
for h in 1099-12 1100-01; do
    printf '{"meta": {"name": "hostile", "start": "1000-01", "horizon": "%s"}, %s, %s}\n' \
        "$h" "$actors2" "$issue1" >"$tmp/rounds$h.json"
done
accept rounds1099-12
refuse rounds1100-01 "spans 1201 rounds; at most 1200"
n=$((n + 1))

# ---- id length: 64 ----
id64=$(awk 'BEGIN { for (k = 0; k < 64; k++) printf "x" }')
for id in "$id64" "${id64}y"; do
    printf '{%s, "actors": [{"id": "%s", "kind": "principal"}], %s}\n' "$meta" "$id" "$issue1" \
        >"$tmp/id${#id}.json"
done
accept id64
refuse id65 "64"
n=$((n + 1))

# ---- nesting depth: 64 (the top-level object counts) ----
for depth in 63 64; do
    open=$(awk -v n="$depth" 'BEGIN { for (k = 0; k < n; k++) printf "[" }')
    close=$(awk -v n="$depth" 'BEGIN { for (k = 0; k < n; k++) printf "]" }')
    printf '{"meta": %s0%s}\n' "$open" "$close" >"$tmp/depth$((depth + 1)).json"
done
err=$("$PARLEY" validate "$tmp/depth64.json" 2>&1)
[ $? -eq 2 ] || fail "depth64: a wrongly typed meta is bad input"
printf '%s\n' "$err" | grep -q "nesting deeper" && fail "depth64 is within the limit: $err"
refuse depth65 "nesting deeper than 64 levels"
# Brackets inside a string are text, not nesting.
printf '{%s, %s, "issues": [{"id": "i", "name": "%s", "label_0": "l", "label_100": "h", "status_quo": 0}]}\n' \
    "$meta" "$actors2" "$(awk 'BEGIN { for (k = 0; k < 1000; k++) printf "[{" }')" >"$tmp/brackets.json"
accept brackets
n=$((n + 1))

# ---- file size: 16 MiB, counted in bytes of real content ----
printf '{%s, %s, %s}' "$meta" "$actors2" "$issue1" >"$tmp/size.part"
pad=$((16777216 - $(wc -c <"$tmp/size.part")))
{ cat "$tmp/size.part"; head -c "$pad" /dev/zero | tr '\0' ' '; } >"$tmp/size16m.json"
{ cat "$tmp/size.part"; head -c $((pad + 1)) /dev/zero | tr '\0' ' '; } >"$tmp/size16m1.json"
[ "$(wc -c <"$tmp/size16m.json")" -eq 16777216 ] || fail "size16m.json is not 16 MiB"
accept size16m
refuse size16m1 "16 MiB"
rm -f "$tmp"/size16m*.json
n=$((n + 1))

# ---- numbers too large for a double, and integers that overflow ----
printf '{%s, "actors": [{"id": "A", "kind": "principal", "capability": 1e400}], %s}\n' \
    "$meta" "$issue1" >"$tmp/huge_number.json"
refuse huge_number "1e400"
printf '{"meta": {"name": "h", "start": "2000-01", "horizon": "2000-12", "round_months": 99999999999999999999999}, %s, %s}\n' \
    "$actors2" "$issue1" >"$tmp/huge_int.json"
refuse huge_int "too big integer"
n=$((n + 1))

# ==== peer tables through `parley forecast` ====
# forecast_rc NAME: exit status of a compromise forecast of $tmp/NAME; a signal
# (exit > 128) or an internal error (1) fails.
forecast_rc() {
    "$PARLEY" forecast "$tmp/$1" --model compromise >/dev/null 2>"$tmp/$1.err"
    rc=$?
    [ "$rc" -eq 0 ] || [ "$rc" -eq 2 ] ||
        fail "forecast $1: exit $rc ($(head -c 300 "$tmp/$1.err"))"
    return "$rc"
}
table_refused() {
    forecast_rc "$1" && fail "forecast $1 should be refused"
    [ -s "$tmp/$1.err" ] || fail "forecast $1: refused without a message"
    grep -qF -- "$2" "$tmp/$1.err" || fail "forecast $1: no '$2' in: $(head -c 300 "$tmp/$1.err")"
}

# Over the 256 MiB file limit (sparse, so it costs no disk).
dd if=/dev/null of="$tmp/huge.csv" bs=1048576 seek=257 2>/dev/null
table_refused huge.csv "limit"
rm -f "$tmp/huge.csv"

# Numbers: overflow, NaN, infinities, negative capability and salience.
printf 'Actor,Capability,Position,Salience\nA,1e400,50,1\nB,1,50,1\n' >"$tmp/overflow.csv"
table_refused overflow.csv "1e400"
printf 'Actor,Capability,Position,Salience\nA,nan,50,1\nB,1,inf,1\nC,-1,50,-0.5\n' >"$tmp/nan.csv"
table_refused nan.csv "'inf' is not a number"
# An unterminated quote running to the end of the file.
printf 'Actor,Capability,Position,Salience\n"A,1,50,1\nB,1,50,1\n' >"$tmp/quote.csv"
forecast_rc quote.csv
# A line of 100000 columns.
awk 'BEGIN { printf "Actor,Capability,Position,Salience"; for (k = 0; k < 100000; k++) printf ",c%d", k; printf "\nA,1,50,1\n" }' >"$tmp/wide.csv"
forecast_rc wide.csv
# A KTAB header that claims a billion actors and dimensions.
printf 'X,"hostile",1000000000,1000000000,\nActor,Description,Power,Pstn1,Sal1,\nA,a,1,50,50,\n' >"$tmp/claims.csv"
forecast_rc claims.csv
# Decide: a #D line naming an unknown actor and issue.
printf "'#A'\t'a'\t'a'\t''\n'#P'\t'p'\t'p'\t'p'\n'#M'\t'p'\t0\n'#M'\t'p'\t100\n'#D'\t'p'\t'zz'\t50\t1\t1\n" >"$tmp/decide.txt"
table_refused decide.txt "zz"
# DEU: only a header.
head -n 1 tests/anchors/bargaining/deu3.tsv >"$tmp/deu_header.tsv"
forecast_rc deu_header.tsv
# NUL bytes and binary noise in a CSV.
printf 'Actor,Capability,Position,Salience\nA\000B,1,50,1\n\001\002\003\377\376,1,2,3\n' >"$tmp/binary.csv"
forecast_rc binary.csv
# Empty input.
: >"$tmp/empty.csv"
table_refused empty.csv "empty.csv"
# Many actors: refused at the 1001st, before any model runs (the limits at and
# one past each peer format's actor and issue limit: robustness_peer_limits.sh).
awk 'BEGIN { print "Actor,Capability,Position,Salience"; for (k = 0; k < 20000; k++) printf "a%d,%d,%d,0.5\n", k, k % 7 + 1, k % 101 }' >"$tmp/many.csv"
table_refused many.csv "many.csv:1002:1: more than 1000 actors: at most 1000"
n=$((n + 1))

# Calibration inputs: a patterns file past 16 MiB and an ensemble past 256 MiB
# (sparse files) are refused by size before any parsing, with exit 2.
truncate -s 17M "$tmp/big.patterns.json"
"$PARLEY" calibrate four-party-1997 --patterns "$tmp/big.patterns.json" --check >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "a 17 MiB patterns file: expected exit 2"
grep -q 'at most 16777216' "$tmp/err" || fail "patterns size limit: $(cat "$tmp/err")"
truncate -s 257M "$tmp/big.ensemble.json"
"$PARLEY" sweep four-party-1997 --runs 1 --ensemble "$tmp/big.ensemble.json" --out "$tmp/e.sqlite" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "a 257 MiB ensemble: expected exit 2"
grep -q 'at most 268435456' "$tmp/err" || fail "ensemble size limit: $(cat "$tmp/err")"
[ ! -e "$tmp/e.sqlite" ] || fail "a refused ensemble left a database"
n=$((n + 1))

echo "ok: $n groups of hostile inputs"
