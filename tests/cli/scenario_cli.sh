#!/bin/sh
# `parley validate` and `parley show`: good files, the malformed corpus (exit 2
# and the exact first diagnostic), generated hostile files, the text tables,
# the JSON dump's round trip, --set and built-in name lookup.
# Usage: sh scenario_cli.sh PATH_TO_PARLEY SOURCE_DIR
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
out=$("$PARLEY" validate tests/data/minimal.json four-party-1997 panmunjom-2018) ||
    fail "validate of good files exited $?"
want="tests/data/minimal.json: ok
four-party-1997: ok
panmunjom-2018: ok"
[ "$out" = "$want" ] || fail "validate printed: $out"

# The corpus, through the CLI.
n=0
tab=$(printf '\t')
while IFS="$tab" read -r file want; do
    err=$(cd tests/malformed && "$PARLEY" validate "$file" 2>&1 >/dev/null)
    rc=$?
    [ "$rc" -eq 2 ] || fail "$file: exit $rc, want 2"
    first=$(printf '%s\n' "$err" | head -n 1)
    [ "$first" = "$want" ] || fail "$file: got '$first', want '$want'"
    n=$((n + 1))
done < tests/malformed/expected.txt
[ "$n" -ge 40 ] || fail "only $n malformed cases"

# A good and a bad file: the good one is ok, the status is 2.
out=$("$PARLEY" validate tests/data/minimal.json tests/malformed/17-capability-negative.json 2>"$tmp/err")
[ $? -eq 2 ] || fail "mixed validate should exit 2"
[ "$out" = "tests/data/minimal.json: ok" ] || fail "mixed validate printed: $out"

# Generated: a sparse file over 16 MiB, deep nesting, an empty file, a directory.
dd if=/dev/null of="$tmp/huge.json" bs=1048576 seek=17 2>/dev/null
err=$("$PARLEY" validate "$tmp/huge.json" 2>&1)
[ $? -eq 2 ] || fail "huge file should exit 2"
[ "$err" = "parley: $tmp/huge.json: file is 17825792 bytes; at most 16777216 (16 MiB)" ] ||
    fail "huge file: $err"
head -c 200000 /dev/zero | tr '\0' '[' >"$tmp/deep.json"
err=$("$PARLEY" validate "$tmp/deep.json" 2>&1)
[ $? -eq 2 ] || fail "deep nesting should exit 2"
[ "$err" = "parley: $tmp/deep.json:1:65: nesting deeper than 64 levels of arrays and objects" ] ||
    fail "deep nesting: $err"
: >"$tmp/empty.json"
"$PARLEY" validate "$tmp/empty.json" 2>/dev/null
[ $? -eq 2 ] || fail "empty file should exit 2"
"$PARLEY" validate "$tmp" 2>/dev/null
[ $? -eq 2 ] || fail "a directory is not a scenario file (exit 2)"
"$PARLEY" validate "$tmp/no-such-file.json" 2>/dev/null
[ $? -eq 2 ] || fail "a missing file should exit 2"
"$PARLEY" validate no-such-scenario 2>/dev/null
[ $? -eq 2 ] || fail "an unknown built-in name should exit 2"

# show: tables
out=$("$PARLEY" show tests/data/minimal.json) || fail "show exited $?"
for heading in "Actors (4)" "Issues (2)" "Stances: position/salience" "Forums (1)" \
    "Agreements in force (1)" "Trust:" "Events (2)" "Policy" "Uncertain numbers (2)"; do
    printf '%s\n' "$out" | grep -q "$heading" || fail "show lacks '$heading'"
done
printf '%s\n' "$out" | grep -q "DPRK       90/0.80  20/0.20" || fail "stance grid row for DPRK"
printf '%s\n' "$out" | grep -q "Food shortages peak." || fail "event narrative"
"$PARLEY" show four-party-1997 >/dev/null || fail "show four-party-1997"
# A forum's own side payment is shown, and only where it has one.
"$PARLEY" show tests/data/minimal.json --set forums.plenary.side_payments=4 |
  grep -q '^  plenary side payments 4 (its own' || fail "show: the forum's side payment"
printf '%s\n' "$out" | grep -q 'side payments .*its own' && fail "show: a side payment the forum does not set"

# show --format json: load -> dump -> load -> dump is identical
for s in tests/data/minimal.json four-party-1997 panmunjom-2018; do
    "$PARLEY" show --format json "$s" >"$tmp/a.json" || fail "dump of $s"
    "$PARLEY" show --format json "$tmp/a.json" >"$tmp/b.json" || fail "reload of $s"
    cmp -s "$tmp/a.json" "$tmp/b.json" || fail "dump of $s is not stable"
done

# show cuts long labels and names between characters, never inside one
"$PARLEY" show tests/data/long_labels.json >"$tmp/utf8.txt" || fail "show of long multibyte labels"
iconv -f UTF-8 -t UTF-8 "$tmp/utf8.txt" >/dev/null 2>&1 || fail "show split a UTF-8 character"

# --set
"$PARLEY" show --format json --set policy.linkage=linked --set actors.DPRK.capability=35 \
    tests/data/minimal.json >"$tmp/set.json" || fail "show --set"
grep -q '"linkage": "linked"' "$tmp/set.json" || fail "--set policy.linkage"
# an issue's reversible share: shown when set, dumped, range-checked
"$PARLEY" show --set issues.hotline.reversible=0.7 tests/data/minimal.json | grep -q "rev=0.7" ||
    fail "show lacks the reversible share"
"$PARLEY" show --format json --set issues.hotline.reversible=0.7 tests/data/minimal.json |
    grep -q '"reversible": 0.7' || fail "dump lacks the reversible share"
err=$("$PARLEY" show --set issues.hotline.reversible=2 tests/data/minimal.json 2>&1 >/dev/null)
[ $? -eq 2 ] || fail "reversible 2 should exit 2"
err=$("$PARLEY" show --set actors.DPRK.capabilty=3 tests/data/minimal.json 2>&1 >/dev/null)
[ $? -eq 2 ] || fail "bad --set should exit 2"
[ "$err" = "parley: --set actors.DPRK.capabilty=3: actors[2].capabilty: unknown field (did you mean 'capability'?)" ] ||
    fail "bad --set: $err"

# built-in names honour PARLEY_SCENARIO_PATH
PARLEY_SCENARIO_PATH="$SRC/tests/data" "$PARLEY" validate minimal >/dev/null ||
    fail "PARLEY_SCENARIO_PATH lookup"

# usage
"$PARLEY" validate 2>/dev/null
[ $? -eq 2 ] || fail "validate without files should exit 2"
"$PARLEY" show --format xml tests/data/minimal.json 2>/dev/null
[ $? -eq 2 ] || fail "show --format xml should exit 2"
"$PARLEY" help validate | grep -q "usage: parley validate" || fail "help validate"
"$PARLEY" show --help | grep -q "usage: parley show" || fail "show --help"
echo "ok: $n malformed cases and the CLI checks"
