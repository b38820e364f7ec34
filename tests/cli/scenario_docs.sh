#!/bin/sh
# The generated tables of docs/SCENARIOS.md say what scenarios/*.json say:
# `python3 tools/scenario_tables.py --check` finds nothing stale. After
# editing a scenario, run `python3 tools/scenario_tables.py` to regenerate.
# Also checks the generator itself: a stale copy is reported with a diff and
# exit 1, and rewriting it gives back the committed file.
# Skips (exit 77) only when python3 is missing.
# Usage: sh scenario_docs.sh PATH_TO_PARLEY SOURCE_DIR (the binary is unused)
set -u
src=$2
cd "$src" || exit 1
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

python3 "$src/tools/scenario_tables.py" --check ||
  fail "docs/SCENARIOS.md is stale (diff above): run python3 tools/scenario_tables.py"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
# A stale copy: the DPRK row of four-party-1997 changed by hand.
sed 's/^| `DPRK` | principal | [0-9]*/| `DPRK` | principal | 999/' docs/SCENARIOS.md >"$tmp/doc.md"
cmp -s docs/SCENARIOS.md "$tmp/doc.md" && fail "could not make a stale copy"
python3 "$src/tools/scenario_tables.py" --check --doc "$tmp/doc.md" >"$tmp/diff" 2>/dev/null
rc=$?
[ "$rc" -eq 1 ] || fail "--check on a stale copy exited $rc, want 1"
grep -q '^-| `DPRK` | principal | 999' "$tmp/diff" || fail "--check printed no diff of the stale row"
python3 "$src/tools/scenario_tables.py" --doc "$tmp/doc.md" || fail "rewriting the copy failed"
cmp -s docs/SCENARIOS.md "$tmp/doc.md" || fail "rewriting the copy did not give back docs/SCENARIOS.md"
echo "ok: docs/SCENARIOS.md tables match scenarios/*.json"
