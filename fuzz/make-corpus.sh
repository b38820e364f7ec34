#!/bin/sh
# Seeds the corpus of one fuzz target: sh fuzz/make-corpus.sh TARGET DIR
# Copies the inputs parley already has (scenarios/, scenarios/patterns/,
# scenarios/ensembles/, tests/data/, tests/malformed/, tests/anchors/), the
# target's committed seeds (fuzz/seeds/TARGET/) and every regression
# (fuzz/regressions/TARGET/) into DIR, which is created if needed and may
# already hold a corpus from earlier runs (files are named by content, so
# nothing is copied twice). Run from anywhere.
set -eu
[ $# -eq 2 ] || { echo "usage: $0 TARGET DIR" >&2; exit 2; }
target=$1
out=$2
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"

copy() { # copy FILE...: by content hash, skipping missing globs
  for f in "$@"; do
    [ -f "$f" ] || continue
    sum=$(sha1sum "$f" | cut -c1-40)
    [ -e "$out/$sum" ] || cp "$f" "$out/$sum"
  done
}

# The first N lines of FILE as one seed (big anchors make slow seeds).
head_of() { # head_of FILE N
  [ -f "$1" ] || return 0
  tmp="$out/.head.$$"
  head -n "$2" "$1" >"$tmp"
  sum=$(sha1sum "$tmp" | cut -c1-40)
  mv "$tmp" "$out/$sum"
}

anchors="$root/tests/anchors/bargaining"
tables() { # every peer table, the DEU one cut to a few rows unless $1 = full
  for f in "$anchors"/*.csv "$anchors"/*.txt "$anchors"/*.tsv; do
    case "$f" in
      *.tsv) [ "${1:-}" = full ] && copy "$f"
             head_of "$f" 4; head_of "$f" 12 ;;
      *) copy "$f" ;;
    esac
  done
  for f in "$root"/tests/data/*; do
    case "$f" in *.json) ;; *) copy "$f" ;; esac
  done
}

case "$target" in
  fuzz_scenario)
    copy "$root"/scenarios/*.json "$root"/tests/data/*.json "$root"/tests/malformed/* ;;
  fuzz_run)
    copy "$root"/scenarios/*.json "$root"/tests/data/*.json ;;
  fuzz_set | fuzz_results_db) ;;
  fuzz_replay) # the results databases' seeds: the same hostile files, replayed
    copy "$root/fuzz/seeds/fuzz_results_db"/* "$root/fuzz/regressions/fuzz_results_db"/* ;;
  fuzz_patterns) copy "$root"/scenarios/patterns/*.json ;;
  fuzz_ensemble) copy "$root"/scenarios/ensembles/*.json ;;
  fuzz_deu) tables full ;;
  fuzz_decide | fuzz_ktab | fuzz_bdm_csv | fuzz_bargain_auto) tables ;;
  *) echo "make-corpus.sh: unknown target $target" >&2; exit 2 ;;
esac
copy "$root/fuzz/seeds/$target"/* "$root/fuzz/regressions/$target"/*
echo "$target: $(ls "$out" | wc -l) seeds in $out"
