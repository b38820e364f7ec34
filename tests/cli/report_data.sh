#!/bin/sh
# The numbers a report shows equal the database's: the embedded JSON
# (id="parley-data") is parsed back and compared with SQLite queries on the
# results database (the cell summaries, the per-round series the fan charts
# summarise, the sensitivity table), with `parley forecast` for the models'
# forecasts, and with the page's own tables. Also: a report of a database
# without series replays runs from their seeds and reproduces the stored
# metrics, `parley report SCENARIO --runs N` sweeps first and leaves no
# temporary database, its --param screening equals `parley sensitivity`, and
# `parley plot` writes SVG and PNG.
set -u
parley=$1
src=$2
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
min="$src/tests/data/minimal.json"
# PNGs are drawn through cairo, whose font cache (fontconfig) lives until exit.
export LSAN_OPTIONS="suppressions=$src/tests/cli/report_lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

"$parley" sweep "$min" --runs 10 --draws 2 --vary policy.linkage=separate,linked --series \
  --seed 11 --threads 2 --quiet --out "$tmp/s.sqlite" >/dev/null || fail "sweep exited $?"
python3 - "$tmp/s.sqlite" <<'EOF' || fail "cannot add the sensitivity table"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE TABLE sensitivity(method TEXT, output TEXT, param TEXT, mu_star REAL, mu REAL,"
           " sigma REAL, s1 REAL, s1_lo REAL, s1_hi REAL, st REAL, st_lo REAL, st_hi REAL)")
rows = [("a", 0.1, 0.05, 0.2), ("b", 0.6, 0.4, 0.7), ("c", 0.3, 0.2, 0.45)]
for p, st, lo, hi in rows:
    db.execute("INSERT INTO sensitivity(method, output, param, s1, st, st_lo, st_hi) "
               "VALUES('sobol', 'treaty', ?, 0, ?, ?, ?)", (p, st, lo, hi))
db.execute("INSERT INTO sensitivity(method, output, param, st) VALUES('sobol', 'collapse', 'z', 9)")
db.commit()
EOF
"$parley" report "$tmp/s.sqlite" -o "$tmp/s.html" --cell 1 --quiet || fail "report exited $?"
"$parley" forecast "$min" --model all --format csv >"$tmp/forecast.csv" || fail "forecast exited $?"

python3 - "$tmp/s.html" "$tmp/s.sqlite" "$tmp/forecast.csv" <<'EOF' || fail "numbers differ"
import csv, html, json, math, re, sqlite3, sys
page = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<script type="application/json" id="parley-data">(.*?)</script>', page, re.S)
if not m:
    sys.exit("no parley-data block")
d = json.loads(m.group(1))
db = sqlite3.connect(sys.argv[2])

def same(a, b, what):
    if a is None or b is None:
        if a is not None or b is not None:
            sys.exit("%s: %r vs %r" % (what, a, b))
        return
    if abs(a - b) > 1e-12 * max(1.0, abs(b)):
        sys.exit("%s: %r vs %r" % (what, a, b))

meta = dict(db.execute("SELECT key, value FROM meta"))
src = d["source"]
assert src["runs_per_cell_draw"] == int(meta["runs"]) and src["draws"] == int(meta["draws"])
assert src["cells"] == int(meta["cells"]) and src["seed"] == int(meta["seed"])
assert d["scenario"]["fingerprint_matches"] is True

# Outcomes: every number of every cell, against the summary the sweep stored.
cols = ["p_treaty", "p_treaty_lo", "p_treaty_hi", "p_collapse", "p_collapse_lo", "p_collapse_hi",
        "median_months_to_treaty", "mean_cbm_rungs", "median_treaty_extent"]
stored = {r[0]: r for r in db.execute("SELECT cell, runs, %s FROM cell_summary" % ", ".join(cols))}
labels = dict(db.execute("SELECT cell, label FROM cells"))
assert len(d["outcomes"]) == len(stored) == 2
for o in d["outcomes"]:
    r = stored[o["cell"]]
    assert o["label"] == labels[o["cell"]] and o["runs"] == r[1]
    for i, c in enumerate(cols):
        same(o[c], r[2 + i], "cell %d %s" % (o["cell"], c))
    # The table on the page shows the same numbers, rounded.
    row = re.search(r"<tr><td class=\"n\">%d</td><td>%s</td>(.*?)</tr>"
                    % (o["cell"], re.escape(html.escape(o["label"]))), page)
    cells = re.findall(r'<td class="n">([^<]*)</td>', row.group(1))
    assert cells[1] == "%.3f" % o["p_treaty"], (cells, o)
    assert cells[3] == "%.3f" % o["p_collapse"], (cells, o)

# Fans: quantiles (type 7) over the runs of cell 1, a finished run keeping its
# last value, from the series tables.
def q7(v, p):
    v = sorted(x for x in v if x is not None)
    if not v:
        return None
    h = (len(v) - 1) * p
    lo = math.floor(h)
    return v[lo] + (h - lo) * (v[min(lo + 1, len(v) - 1)] - v[lo])

fans = d["fans"]
assert fans["cell"] == 1 and fans["source"] == "series", fans["source"]
runs = db.execute("SELECT DISTINCT draw, run FROM series WHERE cell = 1 ORDER BY draw, run").fetchall()
assert fans["runs"] == len(runs) == 20
R = len(fans["months"])
def paths(sql, key):
    out = {}
    for dr, ru, t, v in db.execute(sql, key):
        out.setdefault((dr, ru), [None] * R)[t] = v
    for p in out.values():
        for t in range(1, R):
            if p[t] is None:
                p[t] = p[t - 1]
    return list(out.values())
checks = 0
for f in fans["support"]:
    ps = paths("SELECT draw, run, round, support FROM series WHERE cell = 1 AND actor = ?", (f["actor"],))
    for t in range(R):
        for name, p in [("q05", .05), ("q25", .25), ("q50", .5), ("q75", .75), ("q95", .95)]:
            same(f[name][t], q7([x[t] for x in ps], p), "support %s %s %d" % (f["actor"], name, t))
            checks += 1
for f in fans["trust"]:
    ps = paths("SELECT draw, run, round, belief FROM series_belief WHERE cell = 1 AND actor = ? "
               "AND other = ?", (f["actor"], f["other"]))
    for t in range(R):
        same(f["q50"][t], q7([x[t] for x in ps], .5), "trust %s %s %d" % (f["actor"], f["other"], t))
        checks += 1
assert [f["actor"] for f in fans["support"]] == ["US", "DPRK"], fans["support"]
assert len(fans["trust"]) == 2 and checks > 100

# Sensitivity: the first output's rows, ranked by the total index.
s = d["sensitivity"]
assert s["method"] == "sobol" and s["output"] == "treaty"
assert [r["param"] for r in s["ranking"]] == ["b", "c", "a"], s["ranking"]
same(s["ranking"][0]["lo"], 0.4, "S_T lo")

# Forecasts against `parley forecast`.
n = 0
for row in csv.DictReader(open(sys.argv[3])):
    want = float(row["forecast"]) if row["forecast"] else None
    got = d["forecasts"][row["model"]][row["issue"]]
    if want is None or got is None:
        assert want is None and got is None
    else:
        assert abs(got - want) < 1e-6, (row, got)
    n += 1
assert n == 6 * len(d["scenario"]["issues"])

# The representative run was replayed and reproduced its stored metrics.
t = d["timeline"]
assert t["cell"] == 1 and t["reproduced"] is True, t
assert db.execute("SELECT count(*) FROM runs WHERE cell = 1 AND draw = ? AND run = ? AND outcome = ?",
                  (t["draw"], t["run"], t["outcome"])).fetchone()[0] == 1
assert set(d["charts"]) == {"positions", "forecasts", "outcomes", "trust", "support",
                            "convergence", "sensitivity"}, d["charts"]
print("ok: outcomes, %d fan quantiles, sensitivity, %d forecasts" % (checks, n))
EOF

# Replayed from their seeds, the runs give the fans the stored series give.
cp "$tmp/s.sqlite" "$tmp/r.sqlite"
python3 -c "
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute('DELETE FROM series'); db.execute('DELETE FROM series_belief'); db.commit()" "$tmp/r.sqlite"
"$parley" report "$tmp/r.sqlite" -o "$tmp/r.html" --cell 1 --fan-runs 1000 --quiet ||
  fail "report (replayed fans) exited $?"
python3 - "$tmp/s.html" "$tmp/r.html" <<'EOF2' || fail "replayed fans differ from the stored series"
import json, re, sys
def data(p):
    return json.loads(re.search(r'id="parley-data">(.*?)</script>', open(p).read(), re.S).group(1))
a, b = data(sys.argv[1])["fans"], data(sys.argv[2])["fans"]
assert a["source"] == "series" and b["source"] == "rerun" and a["runs"] == b["runs"] == 20
assert a["support"] == b["support"] and a["trust"] == b["trust"]
EOF2

# Without series the fans are replayed from the seeds, capped by --fan-runs.
"$parley" sweep "$min" --runs 15 --seed 4 --threads 2 --quiet --out "$tmp/n.sqlite" >/dev/null ||
  fail "sweep without series exited $?"
"$parley" report "$tmp/n.sqlite" -o "$tmp/n.html" --fan-runs 9 --quiet || fail "report (replay) exited $?"
python3 - "$tmp/n.html" <<'EOF' || fail "replayed fans"
import json, re, sys
d = json.loads(re.search(r'id="parley-data">(.*?)</script>', open(sys.argv[1]).read(), re.S).group(1))
assert d["fans"]["source"] == "rerun" and d["fans"]["runs"] == 9, d["fans"]["source"]
assert d["timeline"]["reproduced"] is True
assert any("replay 9 of" in n for n in d["notes"]), d["notes"]
assert "sensitivity" not in d["charts"]
EOF
grep -q 'id="chart-sensitivity"' "$tmp/n.html" && fail "a sensitivity chart without data"

# A database of results schema 1 (no treaty extents yet) whose representative
# run is a treaty: the replay compares only the metrics the database holds, so
# the report does not claim the simulator has changed.
"$parley" sweep "$src/tests/data/counterfactual.json" --runs 10 --vary sim.sucker_loss=0.2 --quiet \
  --out "$tmp/old.sqlite" >/dev/null || fail "test-bed sweep exited $?"
python3 - "$tmp/old.sqlite" <<'EOF2' || fail "cannot make a schema-1 database"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
assert db.execute("SELECT count(*) FROM runs WHERE outcome = 'treaty'").fetchone()[0] > 5
db.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
db.execute("ALTER TABLE runs DROP COLUMN treaty_extent")
db.commit()
EOF2
"$parley" report "$tmp/old.sqlite" -o "$tmp/old.html" --fan-runs 3 --quiet ||
  fail "report of a schema-1 database exited $?"
python3 - "$tmp/old.html" <<'EOF2' || fail "a schema-1 treaty read as not reproduced"
import json, re, sys
d = json.loads(re.search(r'id="parley-data">(.*?)</script>', open(sys.argv[1]).read(), re.S).group(1))
assert d["timeline"]["reproduced"] is True, d["timeline"]
assert d["timeline"]["outcome"] == "treaty", d["timeline"]
assert not any("did not reproduce" in n for n in d["notes"]), d["notes"]
EOF2

# A database this build cannot replay (here: its cells' lever values are gone)
# loses the replayed sections, with a note, not the report.
cp "$tmp/s.sqlite" "$tmp/c.sqlite"
python3 -c "
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute('DELETE FROM cell_values'); db.execute('DELETE FROM series'); db.commit()" "$tmp/c.sqlite"
"$parley" report "$tmp/c.sqlite" -o "$tmp/c.html" --cell 1 --quiet || fail "report (no replay) exited $?"
grep -q 'Runs could not be replayed (cell 1 has no value of policy.linkage)' "$tmp/c.html" ||
  fail "no note on the failed replay"
grep -q 'id="chart-outcomes"' "$tmp/c.html" || fail "the outcomes should still be shown"

# The sweep's --set options are applied again (the fingerprint matches); a
# scenario file edited since the sweep is noticed, shown with a note, and not
# replayed.
cp "$min" "$tmp/edit.json"
"$parley" sweep "$tmp/edit.json" --runs 3 --set policy.cadence_months=6 --quiet \
  --out "$tmp/e.sqlite" >/dev/null || fail "sweep --set exited $?"
"$parley" report "$tmp/e.sqlite" -o "$tmp/e.html" --quiet || fail "report (--set) exited $?"
grep -q '"fingerprint_matches":true' "$tmp/e.html" || fail "--set not applied again"
grep -q 'id="timeline-text"' "$tmp/e.html" || fail "no timeline"
sed 's/"capability": 60/"capability": 61/' "$min" >"$tmp/edit.json"
"$parley" report "$tmp/e.sqlite" -o "$tmp/e2.html" --quiet || fail "report (edited) exited $?"
grep -q '"fingerprint_matches":false' "$tmp/e2.html" || fail "the edit went unnoticed"
grep -q 'The scenario file has changed since this sweep' "$tmp/e2.html" || fail "no note on the edit"
grep -q 'id="timeline-text"' "$tmp/e2.html" && fail "replayed an edited scenario"

# A Morris CSV from `parley sensitivity` ranks parameters when the database has none.
printf 'output,param,mu_star,mu,sigma\ntreaty,sim.need_weight,0.2,0.1,0.05\ntreaty,sim.sucker_loss,0.4,-0.3,0.1\n' \
  >"$tmp/sens.csv"
"$parley" report "$tmp/n.sqlite" -o "$tmp/n2.html" --sensitivity "$tmp/sens.csv" --quiet ||
  fail "report --sensitivity exited $?"
grep -q 'id="chart-sensitivity"' "$tmp/n2.html" || fail "no sensitivity chart from the CSV"

# Sweep first, then report; the temporary database is removed.
TMPDIR="$tmp/t" && export TMPDIR && mkdir "$tmp/t"
"$parley" report "$min" --runs 6 --vary policy.linkage=separate,linked -o "$tmp/sc.html" --quiet ||
  fail "report SCENARIO --runs exited $?"
[ -s "$tmp/sc.html" ] || fail "no report from a scenario"
[ -z "$(ls -A "$tmp/t")" ] || fail "temporary files left: $(ls -A "$tmp/t")"
"$parley" report "$min" --runs 6 --db "$tmp/kept.sqlite" -o "$tmp/sc2.html" --quiet ||
  fail "report --db exited $?"
[ -s "$tmp/kept.sqlite" ] || fail "--db not kept"
unset TMPDIR

# --param: a Morris screening stored in the database; its numbers are those of
# `parley sensitivity` on the same scenario, seed, runs and design.
ps="--param sim.participation_precision=0.05:0.5 --param sim.sucker_loss=0.25:3"
"$parley" report "$min" --runs 10 --trajectories 4 $ps --db "$tmp/m.sqlite" -o "$tmp/m.html" \
  --quiet || fail "report --param exited $?"
"$parley" sensitivity "$min" --method morris --runs 10 --trajectories 4 $ps --format csv --quiet \
  >"$tmp/sens_cli.csv" || fail "sensitivity exited $?"
python3 - "$tmp/m.html" "$tmp/m.sqlite" "$tmp/sens_cli.csv" <<'EOF2' || fail "sensitivity numbers"
import csv, json, re, sqlite3, sys
d = json.loads(re.search(r'id="parley-data">(.*?)</script>', open(sys.argv[1]).read(), re.S).group(1))
db = sqlite3.connect(sys.argv[2])
stored = {(o, p): (m, u, s) for o, p, m, u, s in
          db.execute("SELECT output, param, mu_star, mu, sigma FROM sensitivity WHERE method = 'morris'")}
cli = list(csv.DictReader(open(sys.argv[3])))
assert len(cli) == len(stored) == 4, (cli, stored)
for r in cli:
    m, u, s = stored[(r["output"], r["param"])]
    for got, want in [(m, r["mu_star"]), (u, r["mu"]), (s, r["sigma"])]:
        assert abs(got - float(want)) <= 1e-5 * max(1, abs(got)), (r, got, want)
sens = d["sensitivity"]
rank = sorted(((v[0], p) for (o, p), v in stored.items() if o == sens["output"]), reverse=True)
assert [r["param"] for r in sens["ranking"]] == [p for _, p in rank], (sens, rank)
assert max(v for v, _ in rank) > 0, "the report should rank an output with an effect"
EOF2

# parley plot: every chart as SVG from the database; scenario charts from a scenario; PNG.
for c in positions forecasts outcomes trust support convergence sensitivity; do
  "$parley" plot $c "$tmp/s.sqlite" -o "$tmp/$c.svg" || fail "plot $c exited $?"
  grep -q '<svg' "$tmp/$c.svg" || fail "plot $c: not SVG"
done
"$parley" plot forecasts "$min" -o "$tmp/f.png" || fail "plot png exited $?"
head -c 8 "$tmp/f.png" | od -An -c | grep -q 'P   N   G' || fail "plot png: not a PNG"
# Without PLplot's cairo driver a PNG is refused, not silently drawn as SVG.
drv=$(pkg-config --variable=drvdir plplot 2>/dev/null)
if [ -n "$drv" ] && [ -e "$drv/svg.driver_info" ]; then
  mkdir "$tmp/drv" && ln -s "$drv"/svg.* "$tmp/drv/"
  PLPLOT_DRV_DIR="$tmp/drv" "$parley" plot forecasts "$min" -o "$tmp/nodrv.png" </dev/null \
    2>"$tmp/err" && fail "a PNG without the cairo driver"
  grep -q "no 'pngcairo' driver" "$tmp/err" || fail "driver message: $(cat "$tmp/err")"
  [ -e "$tmp/nodrv.png" ] && fail "a file was written without the driver"
  PLPLOT_DRV_DIR="$tmp/drv" "$parley" plot forecasts "$min" -o "$tmp/drv.svg" </dev/null ||
    fail "SVG with the svg driver alone"
fi
"$parley" plot outcomes "$min" -o "$tmp/o.svg" 2>"$tmp/err" && fail "outcomes of a scenario accepted"
[ -e "$tmp/o.svg" ] && fail "a file was left behind"
"$parley" plot nonsense "$tmp/s.sqlite" -o "$tmp/x.svg" 2>/dev/null; [ $? -eq 2 ] || fail "unknown chart"
"$parley" plot trust "$tmp/s.sqlite" -o "$tmp/x.pdf" 2>/dev/null; [ $? -eq 2 ] || fail "unknown format"
exit 0
