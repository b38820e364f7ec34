#!/bin/sh
# Runs libFuzzer targets built by `make fuzz-build` (docs/ROBUSTNESS.md).
#   sh fuzz/run.sh BUILD TARGET [libFuzzer flags...]   one target, corpus kept in
#                                                      fuzz/corpus-TARGET/
#   sh fuzz/run.sh BUILD --smoke RUNS                   every target built, RUNS
#       executions each from a fresh seed corpus with a fixed seed (what CI does)
# A crash is written to fuzz/crash-TARGET-* (git-ignored); turn it into a
# regression with: cp fuzz/crash-TARGET-... fuzz/regressions/TARGET/<name>.
set -eu
[ $# -ge 2 ] || { echo "usage: $0 BUILD TARGET|--smoke RUNS [flags]" >&2; exit 2; }
build=$1
shift
root=$(cd "$(dirname "$0")/.." && pwd)

dict_of() {
  case "$1" in
    fuzz_scenario | fuzz_run) echo "$root/fuzz/json.dict" ;;
    fuzz_set) echo "$root/fuzz/set.dict" ;;
    fuzz_decide) echo "$root/fuzz/decide.dict" ;;
    fuzz_deu) echo "$root/fuzz/deu.dict" ;;
    fuzz_results_db | fuzz_replay) echo "$root/fuzz/sql.dict" ;;
    fuzz_patterns) echo "$root/fuzz/patterns.dict" ;;
    fuzz_ensemble) echo "$root/fuzz/ensemble.dict" ;;
    *) echo "$root/fuzz/csv.dict" ;;
  esac
}

# Per-input time and memory bounds: a hang or a blow-up is a finding too.
common="-timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 -print_final_stats=1"

if [ "$1" = --smoke ]; then
  runs=${2:-2000}
  targets=$(cat "$build/fuzz/targets.txt")
  [ -n "$targets" ] || { echo "no fuzz targets in $build" >&2; exit 1; }
  failed=""
  for t in $targets; do
    corpus="$build/fuzz/smoke-$t"
    rm -rf "$corpus"
    sh "$root/fuzz/make-corpus.sh" "$t" "$corpus" >/dev/null
    echo "== $t: $runs runs"
    # shellcheck disable=SC2086
    if ! "$build/fuzz/$t" $common -seed=1 -runs="$runs" -dict="$(dict_of "$t")" \
        -artifact_prefix="$build/fuzz/crash-$t-" "$corpus" 2>"$build/fuzz/smoke-$t.log"; then
      tail -n 40 "$build/fuzz/smoke-$t.log" >&2
      failed="$failed $t"
    else
      grep -E "^(Done|stat::number_of_executed_units|stat::average_exec_per_sec)" \
        "$build/fuzz/smoke-$t.log" || true
    fi
  done
  [ -z "$failed" ] || { echo "fuzz smoke failed:$failed (inputs in $build/fuzz/crash-*)" >&2; exit 1; }
  exit 0
fi

target=$1
shift
[ -x "$build/fuzz/$target" ] || { echo "no fuzz target $target in $build/fuzz (see targets.txt)" >&2; exit 2; }
corpus="$root/fuzz/corpus-$target"
sh "$root/fuzz/make-corpus.sh" "$target" "$corpus"
# shellcheck disable=SC2086
exec "$build/fuzz/$target" $common -dict="$(dict_of "$target")" \
  -artifact_prefix="$root/fuzz/crash-$target-" "$@" "$corpus"
