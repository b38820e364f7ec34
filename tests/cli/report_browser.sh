#!/bin/sh
# `parley report` in a real browser: a report of a small seeded sweep (with a
# sensitivity table, so that every chart is drawn) is opened offline in
# headless Chromium. The page must raise no console error, hold every chart
# as an SVG element in the DOM, and screenshot to something that is not
# blank. Skips (exit 77) only when Chromium is not installed; `make test`
# installs it (tools/install-deps.sh --test).
set -u
parley=$1
src=$2
browser=""
for b in chromium chromium-browser; do
  command -v "$b" >/dev/null 2>&1 && { browser=$b; break; }
done
[ -n "$browser" ] || { echo "SKIP: no chromium (sh tools/install-deps.sh --test installs it)"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$parley" sweep "$src/tests/data/minimal.json" --runs 12 --vary policy.linkage=separate,linked \
  --series --seed 7 --threads 2 --quiet --out "$tmp/r.sqlite" >/dev/null || fail "sweep exited $?"
python3 - "$tmp/r.sqlite" <<'EOF' || fail "cannot add the sensitivity table"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE TABLE sensitivity(method TEXT, output TEXT, param TEXT, mu_star REAL, mu REAL,"
           " sigma REAL, s1 REAL, s1_lo REAL, s1_hi REAL, st REAL, st_lo REAL, st_hi REAL)")
for p, v in [("sim.need_weight", 0.12), ("actors.DPRK.need", 0.31), ("sim.sucker_loss", 0.05)]:
    db.execute("INSERT INTO sensitivity(method, output, param, mu_star, mu, sigma) "
               "VALUES('morris', 'treaty', ?, ?, ?, 0.01)", (p, v, -v))
db.commit()
EOF
"$parley" report "$tmp/r.sqlite" -o "$tmp/report.html" --quiet || fail "report exited $?"
[ -s "$tmp/report.html" ] || fail "no report written"
# Self-contained: nothing is fetched from anywhere.
if grep -Eq '(src|href)="(https?:)?//' "$tmp/report.html"; then fail "the page fetches something"; fi

run_browser() {
  "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
    --user-data-dir="$tmp/profile$1" \
    --enable-logging=stderr --v=0 --window-size=1200,2400 "$2" "file://$tmp/report.html" \
    >"$tmp/out$1" 2>"$tmp/err$1"
}
# The two browsers run side by side: each start costs seconds.
run_browser 1 --dump-dom &
dom_pid=$!
run_browser 2 --screenshot="$tmp/shot.png" || fail "chromium --screenshot exited $?"
wait $dom_pid || fail "chromium --dump-dom exited: $(tail -5 "$tmp/err1")"
cd "$tmp" || exit 1

# Console messages are logged as CONSOLE lines; D-Bus noise of a headless
# machine is not the page's.
if grep -E 'CONSOLE|Uncaught|ERR_FILE|Failed to load' err1 err2; then
  fail "console errors in the page"
fi

python3 - out1 shot.png <<'EOF' || fail "DOM or screenshot check"
import re, struct, sys, zlib
dom = open(sys.argv[1], encoding="utf-8").read()
charts = ["positions", "forecasts", "outcomes", "trust", "support", "convergence", "sensitivity"]
for c in charts:
    m = re.search(r'<figure class="chart" id="chart-%s"[^>]*>\s*<svg\b(.*?)</svg>' % c, dom, re.S)
    if not m:
        sys.exit("chart %s missing from the DOM" % c)
    body = m.group(1)
    # A real chart: axes and labels as text, lines or fills drawn.
    if body.count("<text") < 3 or ("<polyline" not in body and "<path" not in body):
        sys.exit("chart %s is empty" % c)
for sec in ["run-summary", "timeline-text", "parley-data"]:
    if 'id="%s"' % sec not in dom:
        sys.exit("section %s missing" % sec)
if len(re.findall(r"^\d{4}-\d{2}", dom.split('id="timeline-text"')[1][:20000], re.M)) < 3:
    sys.exit("the timeline has no dated lines")

# The screenshot (8-bit RGB/RGBA, not interlaced).
data = open(sys.argv[2], "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit("screenshot is not a PNG")
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    chunk = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
        if depth != 8 or ctype not in (2, 6) or interlace:
            sys.exit("unexpected PNG format")
        bpp = 3 if ctype == 2 else 4
    elif kind == b"IDAT":
        idat += chunk
    pos += 12 + n
raw = zlib.decompress(idat)
stride = w * bpp + 1
# A blank page filters to a handful of identical scanlines; a page of charts
# and tables to hundreds of different ones. (Comparing filtered lines keeps
# this fast in pure Python; a full decode of every pixel is not needed.)
lines = {raw[i:i + stride] for i in range(0, len(raw), stride)}
nonzero = len(raw) - raw.count(0)
if len(lines) < h // 4 or nonzero < len(raw) // 100:
    sys.exit("screenshot looks blank: %d distinct lines of %d, %d non-zero bytes"
             % (len(lines), h, nonzero))
print("ok: 7 charts in the DOM, screenshot %dx%d with %d distinct lines, %d bytes"
      % (w, h, len(lines), len(data)))
EOF
exit 0
