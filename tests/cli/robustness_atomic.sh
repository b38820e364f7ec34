#!/bin/sh
# Nothing lost (docs/ROBUSTNESS.md): a parley process killed while writing an
# output file leaves the previous file intact, and at most a temporary file
# named `.NAME.tmp.XXXXXX` beside it. The kill is deterministic: a file-size
# limit (ulimit -f) makes the kernel kill the writer with SIGXFSZ part-way
# through the file, like a full disk or a kill at that moment would.
# Usage: sh robustness_atomic.sh PATH_TO_PARLEY SOURCE_DIR
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

# A table whose scenario is about 200 KB, far over the 16-block limit below.
awk 'BEGIN { print "Actor,Capability,Position,Salience"
             for (k = 0; k < 900; k++) printf "actor%d,%d,%d,0.5\n", k, k % 7 + 1, k % 101 }' \
    >"$tmp/many.csv"

# strays: the directory's files other than out.json, each must be a temporary
# of out.json; prints how many.
strays() {
    count=0
    for f in "$tmp"/.* "$tmp"/*; do
        b=${f##*/}
        case $b in
        . | .. | many.csv | out.json | '.*' | '*') ;;
        .out.json.tmp.??????) count=$((count + 1)) ;;
        *) fail "unexpected file $b" ;;
        esac
    done
    echo "$count"
}

# 1. Killed mid-write over an existing file: the old content survives.
printf 'previous complete content\n' >"$tmp/out.json"
(
    cd "$tmp" && ulimit -c 0 && ulimit -f 16 &&
    exec "$PARLEY" import "$tmp/many.csv" -o "$tmp/out.json"
) 2>/dev/null
rc=$?
[ "$rc" -gt 128 ] || fail "the writer was not killed by the file-size limit (exit $rc)"
[ "$(cat "$tmp/out.json")" = "previous complete content" ] ||
    fail "out.json was damaged by the killed writer"
[ "$(strays)" -le 1 ] || fail "more than one temporary left"
rm -f "$tmp"/.out.json.tmp.*

# 2. Killed mid-write with no previous file: no destination appears.
rm -f "$tmp/out.json"
(
    cd "$tmp" && ulimit -c 0 && ulimit -f 16 &&
    exec "$PARLEY" import "$tmp/many.csv" -o "$tmp/out.json"
) 2>/dev/null
rc=$?
[ "$rc" -gt 128 ] || fail "the writer was not killed by the file-size limit (exit $rc)"
[ ! -e "$tmp/out.json" ] || fail "a truncated out.json appeared"
rm -f "$tmp"/.out.json.tmp.*

# 3. Unhindered, the whole file lands and no temporary remains.
"$PARLEY" import "$tmp/many.csv" -o "$tmp/out.json" || fail "import exited $?"
"$PARLEY" validate "$tmp/out.json" >/dev/null || fail "the imported scenario does not validate"
[ "$(strays)" -eq 0 ] || fail "a temporary remained after a successful write"

# 4. A failed conversion leaves the previous file as it was.
cp "$tmp/out.json" "$tmp/keep"
printf 'Actor,Capability,Position,Salience\nA,x,50,1\n' >"$tmp/bad.csv"
"$PARLEY" import "$tmp/bad.csv" -o "$tmp/out.json" 2>/dev/null
[ $? -eq 2 ] || fail "import of a bad table should exit 2"
cmp -s "$tmp/keep" "$tmp/out.json" || fail "a failed import changed out.json"
rm -f "$tmp/keep" "$tmp/bad.csv"
[ "$(strays)" -eq 0 ] || fail "a temporary remained after a failed import"

# 5. An unwritable destination is an error naming it, and leaves nothing.
err=$("$PARLEY" import "$tmp/many.csv" -o "$tmp/no-such-dir/out.json" 2>&1)
rc=$?
[ "$rc" -ne 0 ] || fail "import into a missing directory succeeded"
printf '%s\n' "$err" | grep -qF "$tmp/no-such-dir/out.json" || fail "the error does not name the path: $err"
echo "ok: killed writers leave the previous file or none"
