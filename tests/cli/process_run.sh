#!/bin/sh
# `parley run`: a seed reproduces a run byte for byte, other seeds differ,
# bad input exits 2 with a located message.
set -u
parley=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Every file in scenarios/ is a scenario that validates (patterns live in scenarios/patterns/).
"$parley" validate "$src"/scenarios/*.json >/dev/null || fail "scenarios/*.json do not all validate"
"$parley" run four-party-1997 --seed 7 --format json >"$tmp/a.json" || fail "run exited $?"
"$parley" run four-party-1997 --seed 7 --format json >"$tmp/b.json" || fail "second run"
cmp -s "$tmp/a.json" "$tmp/b.json" || fail "same seed, different output"
differ=0
for s in 8 9 10 11; do
  "$parley" run four-party-1997 --seed $s --format json >"$tmp/c.json" || fail "seed $s"
  cmp -s "$tmp/a.json" "$tmp/c.json" || differ=1
done
[ $differ -eq 1 ] || fail "four other seeds all gave the seed-7 history"

# Every meeting is preceded by each principal member's decision to attend, and
# every decision carries its chance, expected gain and aid less cost, with the
# chance the logit of their sum at the run's precision (the aid already weighed
# for need in value3).
"$parley" run four-party-1997 --seed 7 --set sim.participation_precision=0.2 --format json \
  >"$tmp/p.json" || fail "run --set sim.participation_precision"
python3 - "$tmp/p.json" <<'EOF2' || fail "participation decisions in the JSON log"
import json, math, sys
d = json.load(open(sys.argv[1]))
log = d["log"]
dec = [e for e in log if e["kind"] in ("attends", "absent")]
assert dec, "no participation decisions"
for e in dec:
    p, g, pull = e["value"], e["value2"], e["value3"]
    assert 0 < p < 1 and g >= 0, e
    assert abs(p - 1 / (1 + math.exp(-0.2 * (g + pull)))) < 1e-4, e  # 6 significant digits
meetings = [e for e in log if e["kind"] == "meeting"]
assert meetings
for m in meetings:
    came = {e["actor"] for e in log if e["kind"] == "attends" and e["round"] == m["round"] and e["forum"] == m["forum"]}
    assert len(came) >= 2 and not any(e["kind"] == "absent" and e["round"] == m["round"] and e["forum"] == m["forum"] for e in log), m
EOF2
"$parley" run four-party-1997 --seed 7 >"$tmp/text" || fail "text run"
grep -q 'stays away (chance of attending 0\.[0-9]*: expected gain [0-9.]*, aid less cost [-+][0-9.]* utils)' "$tmp/text" ||
  fail "an absence does not say why: $(grep -m1 'stays away' "$tmp/text")"
# A meeting names who came against the odds (chance below one half), and its
# chance is the one the JSON log has for that decision.
"$parley" run four-party-1997 --seed 3 >"$tmp/t3" || fail "seed 3"
line=$(grep -m1 'Four-Party plenary (Geneva) meeting [0-9]* (chair [A-Z]*): DPRK attends (chance 0\.[0-4][0-9])' "$tmp/t3") ||
  fail "no unlikely attendance named in seed 3"
"$parley" run four-party-1997 --seed 3 --format json >"$tmp/t3.json" || fail "seed 3 json"
python3 - "$tmp/t3.json" "$line" <<'EOF2' || fail "the named chance is not the logged one: $line"
import json, re, sys
d = json.load(open(sys.argv[1]))
date, chance = sys.argv[2][:7], float(re.search(r"DPRK attends \(chance ([0-9.]+)\)", sys.argv[2]).group(1))
hit = [e for e in d["log"] if e["kind"] == "attends" and e["actor"] == "DPRK" and e["date"] == date and e["forum"] == "four_party"]
assert hit and abs(hit[0]["value"] - chance) < 0.005, (hit, chance)
EOF2
grep -q '^Summary of four-party-1997, seed 7' "$tmp/text" || fail "no summary"
grep -q 'Four-Party plenary' "$tmp/text" || fail "no forum in the timeline"
# A treaty says how much of one it is; a run without one says nothing of it.
grep -q '"treaty_extent": null' "$tmp/a.json" || fail "seed 7 has no treaty, yet an extent"
"$parley" run "$src/tests/data/counterfactual.json" --seed 1 --set policy.sequencing=treaty_first \
  >"$tmp/t" || fail "treaty-first run of the test bed"
grep -q '^  outcome:       treaty in .* (peace-regime extent [0-9.]* of 100)$' "$tmp/t" ||
  fail "the treaty's extent is missing: $(grep outcome "$tmp/t")"
"$parley" run "$src/scenarios/panmunjom-2018.json" --quiet >/dev/null || fail "panmunjom run"
# panmunjom-2018's mandates: the peace talks negotiate only the peace regime,
# economic cooperation (held by UN sanctions) sits in no forum, and no U.S.-DPRK
# forum meets before it opens in April 2018.
for s in 1 2 3 4 5 6; do
  "$parley" run panmunjom-2018 --seed $s >"$tmp/p" || fail "panmunjom seed $s"
  ! grep -q 'Trilateral/quadrilateral peace talks: \(Sanctions\|Missiles\|New U.S.\|Remains\|CBM\)' "$tmp/p" ||
    fail "panmunjom seed $s: the peace talks signed an issue outside their mandate"
  ! grep -q 'Inter-Korean economic cooperation at' "$tmp/p" ||
    fail "panmunjom seed $s: economic cooperation was proposed although no forum holds it"
  ! grep -q '^2018-0[1-3] .*U.S.-DPRK \(summits\|working-level talks\) meeting' "$tmp/p" ||
    fail "panmunjom seed $s: a U.S.-DPRK forum met before its opening month"
done
# The forums' mandates hold in the built-in scenario: Geneva never signs the
# bilateral channel's issues, and the bilateral channel meets in some runs.
bilateral=0
for s in 1 2 3 4 5 6 7 8 9 10 11 12; do
  "$parley" run four-party-1997 --seed $s --quiet >"$tmp/q" || fail "seed $s"
  ! grep -q 'Four-Party plenary (Geneva): \(U.S. sanctions\|U.S.-DPRK normali\|Energy\|Denuclear\)' "$tmp/q" ||
    fail "seed $s: the plenary signed an issue outside its mandate"
  grep -q 'bilateral channel.* [1-9][0-9]* meetings' "$tmp/q" && bilateral=1
done
[ $bilateral -eq 1 ] || fail "the U.S.-DPRK channel never met in 12 runs"
# A scenario's own stage game and strategies reach the simulator's compliance.
"$parley" run "$src/tests/data/games.json" --quiet >/dev/null || fail "a scenario with its own strategies does not run"
# Ablations, the null model and simulator parameters (docs/MODEL.md, Validation).
"$parley" run four-party-1997 --ablate beliefs,support --null-model --set sim.exit_cost=0 --quiet >/dev/null ||
  fail "ablations, null model and sim parameters"
"$parley" run four-party-1997 --ablate nonsense >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "an unknown ablation should exit 2"
grep -q 'contact_cost' "$tmp/err" || fail "an unknown ablation should list the known ones"
"$parley" run four-party-1997 --set sim.no_such=1 >/dev/null 2>&1
[ $? -eq 2 ] || fail "an unknown simulator parameter should exit 2"

"$parley" run four-party-1997 --set policy.linkage=tied >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "bad --set value should exit 2"
grep -q 'policy.linkage' "$tmp/err" || fail "bad --set not located: $(cat "$tmp/err")"
"$parley" run four-party-1997 --set policy.nonsense=1 >/dev/null 2>&1
[ $? -eq 2 ] || fail "unknown --set path should exit 2"
"$parley" run no-such-scenario >/dev/null 2>&1
[ $? -eq 2 ] || fail "unknown scenario should exit 2"
"$parley" run four-party-1997 --seed -3 >/dev/null 2>&1
[ $? -eq 2 ] || fail "negative seed should exit 2"
"$parley" run four-party-1997 --set policy.linkage=linked --quiet >/dev/null || fail "valid --set"
echo ok
