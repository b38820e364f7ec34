#!/usr/bin/env python3
"""Regenerate the generated tables of docs/SCENARIOS.md from the scenario files.

docs/SCENARIOS.md marks every generated table with a pair of HTML comments:

    <!-- generated: four-party-1997 actors -->
    | id | kind (parent) | ...
    <!-- end generated -->

The first names the scenario (scenarios/NAME.json) and the table (one of
TABLES below). This script rewrites only what lies between such a pair; the
hand-written prose around the tables is left alone.

    python3 tools/scenario_tables.py          # rewrite docs/SCENARIOS.md in place
    python3 tools/scenario_tables.py --check  # exit 1 and print a diff if stale

It reads the JSON files directly (standard library only, no parley build
needed), so the tables say exactly what the files say. Every scenario named in
SCENARIOS must have every table in TABLES, each exactly once.
"""

import argparse
import difflib
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DOC = os.path.join(ROOT, "docs", "SCENARIOS.md")
DEFAULT_SCENARIO_DIR = os.path.join(ROOT, "scenarios")

SCENARIOS = ("four-party-1997", "panmunjom-2018")

BEGIN_RE = re.compile(r"^<!-- generated: ([A-Za-z0-9_-]+) ([a-z_]+) -->\s*$")
BEGIN_ANY_RE = re.compile(r"^<!-- generated:")
END = "<!-- end generated -->"


class DocError(Exception):
    """The document's markers are malformed or name something unknown."""


# ---------------------------------------------------------------- formatting


def num(x):
    """A plain JSON number as written: 3.0 -> 3, 0.175 -> 0.175."""
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return str(x)


def value_of(field):
    """The value of a plain number or of a number-object."""
    if isinstance(field, dict):
        return field.get("value")
    return field


def has_uncertainty(field):
    return isinstance(field, dict) and ("range" in field or "dist" in field)


def fmt(field):
    """A number or number-object as 'v', 'v [lo, hi]' (+ a non-uniform dist)."""
    if not isinstance(field, dict):
        return num(field)
    out = num(field["value"])
    if "range" in field:
        lo, hi = field["range"]
        out += " [%s, %s]" % (num(lo), num(hi))
    dist = field.get("dist")
    if dist == "normal":
        out += " normal sd %s" % num(field["sd"])
    elif dist == "triangular":
        out += " triangular mode %s" % num(field.get("mode", field["value"]))
    elif dist == "beta":
        out += " beta(%s, %s)" % (num(field["a"]), num(field["b"]))
    return out


def cell(text):
    """Text as a table cell: pipes escaped, newlines folded."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def row(cells):
    return "| " + " | ".join(cells) + " |"


def table(header, rows):
    lines = [row(header), "|" + "---|" * len(header)]
    lines.extend(row(r) for r in rows)
    return lines


def code(ident):
    return "`%s`" % ident


# ---------------------------------------------------------------- the tables


def actors_table(sc):
    rows = []
    for a in sc.get("actors", []):
        kind = a["kind"]
        if "parent" in a:
            kind += " (%s)" % a["parent"]
        other = []
        if a.get("veto"):
            other.append("veto: " + ", ".join(a["veto"]))
        if a["kind"] == "faction" and a.get("at_table"):
            other.append("at table")
        elif a["kind"] in ("principal", "mediator") and a.get("at_table") is False:
            other.append("not at table")
        for key in ("risk", "need", "contact_cost", "support", "discount"):
            if key in a:
                other.append("%s %s" % (key, fmt(a[key])))
            if key == "contact_cost" and "contact_with" in a:
                other[-1] += " (with %s)" % ", ".join(a["contact_with"])
        if "leans_toward" in a:
            other.append("leans toward %s" % a["leans_toward"])
        if "compliance_strategy" in a:
            other.append(a["compliance_strategy"])
        rows.append([
            code(a["id"]),
            kind,
            fmt(a.get("capability", 1)),
            fmt(a.get("type_prior", 0.5)),
            "; ".join(other),
            cell(a.get("source", "")),
        ])
    return table(["id", "kind (parent)", "capability", "type prior", "other", "source"], rows)


def issues_table(sc):
    rows = []
    for i in sc.get("issues", []):
        kind = i.get("kind", "political")
        if i.get("rung"):
            kind += " (%d)" % i["rung"]
        ver = i.get("verification", {})
        channel = "%s / %s" % (fmt(ver["detection"]) if "detection" in ver else "policy",
                               fmt(ver["false_alarm"]) if "false_alarm" in ver else "policy")
        if ver.get("inspectable") is False:
            channel += "; not inspectable"
        rows.append([
            code(i["id"]),
            kind,
            cell(i["label_0"]),
            cell(i["label_100"]),
            fmt(i["status_quo"]),
            channel,
        ])
    return table(["id", "kind (rung)", "0 means", "100 means", "status quo",
                  "detection / false alarm"], rows)


def stances_table(sc):
    actors = [a["id"] for a in sc.get("actors", [])]
    by_pair = {(s["actor"], s["issue"]): s for s in sc.get("stances", [])}
    rows = []
    for i in sc.get("issues", []):
        cells = [code(i["id"])]
        for a in actors:
            s = by_pair.get((a, i["id"]))
            if s is None:
                cells.append("")
                continue
            pos = num(value_of(s["position"]))
            if has_uncertainty(s["position"]):
                pos += "~"
            sal = value_of(s["salience"])
            cells.append("%s/%s%s" % (pos, num(sal), "~" if has_uncertainty(s["salience"]) else ""))
        rows.append(cells)
    return table(["issue"] + actors, rows)


def trust_table(sc):
    rows = []
    for t in sc.get("trust", []):
        if "mean" in t:
            mean, strength = fmt(t["mean"]), fmt(t["strength"])
        else:  # the alpha/beta form: shown as mean and strength, with the pair
            a, b = value_of(t["alpha"]), value_of(t["beta"])
            mean = "%s (alpha %s, beta %s)" % (num(round(a / (a + b), 4)), fmt(t["alpha"]),
                                               fmt(t["beta"]))
            strength = num(a + b)
        rows.append(["%s -> %s" % (t["from"], t["to"]), mean, strength,
                     cell(t.get("source", ""))])
    return table(["from -> to", "mean", "strength", "source"], rows)


def forums_table(sc):
    rows = []
    for f in sc.get("forums", []):
        chair = f.get("chair", {"rotation": "lot"})
        rotation = chair.get("rotation", "lot")
        if chair.get("order"):
            rotation += " (%s)" % ", ".join(chair["order"])
        rows.append([
            code(f["id"]),
            ", ".join(f["members"]),
            rotation,
            fmt(f["cadence_months"]) if "cadence_months" in f else "policy",
            f.get("convening", "cadence"),
            f.get("start", "at start"),
            ", ".join(f["issues"]) if "issues" in f else "every issue its stakeholders share",
            cell(f.get("location", "")),
            cell(f.get("source", "")),
        ])
    return table(["id", "members", "chair", "cadence (months)", "convening", "opens", "mandate",
                  "location", "source"], rows)


def effect_text(e):
    for op in ("set", "add", "multiply"):
        if op in e:
            return "%s %s %s" % (code(e["path"]), op, fmt(e[op]))
    raise DocError("effect without set/add/multiply: %r" % (e,))


def events_table(sc):
    events = list(sc.get("events", []))
    start = sc["meta"]["start"]
    # Scheduled events by date (a stable sort keeps file order on a tie);
    # hazard events at the start of their window.
    def when(e):
        if "date" in e:
            return e["date"]
        return e["hazard"].get("from", start)
    events.sort(key=when)
    rows = []
    for e in events:
        if "date" in e:
            date = e["date"]
        else:
            h = e["hazard"]
            date = "hazard %s a month, %s .. %s" % (fmt(h["rate"]), h.get("from", "start"),
                                                 h.get("to", "horizon"))
        notes = []
        if "probability" in e:
            notes.append("drawn, p = %s" % fmt(e["probability"]))
        cond = e.get("condition")
        if cond:
            if "after" in cond:
                notes.append("after %s" % code(cond["after"]))
            elif "above" in cond:
                notes.append("while %s above %s" % (code(cond["path"]), num(cond["above"])))
            else:
                notes.append("while %s below %s" % (code(cond["path"]), num(cond["below"])))
        ident = code(e["id"])
        if notes:
            ident += " (%s)" % "; ".join(notes)
        effects = [effect_text(x) for x in e.get("effects", [])]
        if effects:
            effects_cell = "; ".join(effects)
        elif "probability" in e:
            effects_cell = "(none: the draw itself)"
        else:
            effects_cell = "(none)"
        rows.append([date, ident, effects_cell, cell(e.get("source", ""))])
    return table(["date", "id", "effects (primitives only)", "source"], rows)


def lever_source(field):
    return cell(field.get("source", "")) if isinstance(field, dict) else ""


def policy_table(sc):
    rows = []
    for key, field in sc.get("policy", {}).items():
        if key == "overrides":
            continue
        if key == "verification":
            for sub, subfield in field.items():
                rows.append(["verification." + sub, fmt(subfield), lever_source(subfield)])
            continue
        rows.append([key, fmt(field), lever_source(field)])
    for o in sc.get("policy", {}).get("overrides", []):
        rows.append(["%s (%s)" % (o["lever"], o["actor"]), fmt(o["value"]),
                     lever_source(o["value"]) or cell(o.get("source", ""))])
    return table(["lever", "setting", "source"], rows)


def sources_table(sc):
    rows = []
    for s in sc["meta"].get("sources", []):
        rows.append([code(s["id"]), cell(s["citation"]), s.get("date", ""),
                     cell(s.get("url") or "(no stored copy; cited by title)")])
    return table(["id", "citation", "date", "address"], rows)


TABLES = {
    "actors": actors_table,
    "issues": issues_table,
    "stances": stances_table,
    "trust": trust_table,
    "forums": forums_table,
    "events": events_table,
    "policy": policy_table,
    "sources": sources_table,
}


# ---------------------------------------------------------------- the document


def regenerate(text, load):
    """The document with every generated region rewritten.

    load(name) returns the parsed scenario called name. Raises DocError on a
    marker that is unbalanced, unknown or repeated, or when a table is missing.
    """
    lines = text.split("\n")
    out = []
    seen = set()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() == END:
            raise DocError("line %d: '%s' without a generated marker before it" % (i + 1, END))
        if not BEGIN_ANY_RE.match(line):
            out.append(line)
            i += 1
            continue
        m = BEGIN_RE.match(line)
        if not m:
            raise DocError("line %d: malformed marker %r (want '<!-- generated: SCENARIO TABLE -->')"
                           % (i + 1, line))
        name, kind = m.group(1), m.group(2)
        if name not in SCENARIOS:
            raise DocError("line %d: unknown scenario %r (known: %s)"
                           % (i + 1, name, ", ".join(SCENARIOS)))
        if kind not in TABLES:
            raise DocError("line %d: unknown table %r (known: %s)"
                           % (i + 1, kind, ", ".join(TABLES)))
        if (name, kind) in seen:
            raise DocError("line %d: %s %s generated twice" % (i + 1, name, kind))
        seen.add((name, kind))
        j = i + 1
        while j < len(lines) and lines[j].strip() != END:
            if BEGIN_ANY_RE.match(lines[j]):
                raise DocError("line %d: marker inside the region opened on line %d"
                               % (j + 1, i + 1))
            j += 1
        if j == len(lines):
            raise DocError("line %d: region %s %s never ends ('%s')" % (i + 1, name, kind, END))
        out.append(line)
        out.extend(TABLES[kind](load(name)))
        out.append(lines[j])
        i = j + 1
    missing = ["%s %s" % (n, k) for n in SCENARIOS for k in TABLES if (n, k) not in seen]
    if missing:
        raise DocError("no generated region for: " + "; ".join(missing))
    return "\n".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 and print a diff if the file is stale")
    ap.add_argument("--doc", default=DEFAULT_DOC, help="the document (default: %(default)s)")
    ap.add_argument("--scenarios", default=DEFAULT_SCENARIO_DIR, metavar="DIR",
                    help="where NAME.json are read from (default: %(default)s)")
    args = ap.parse_args(argv)

    cache = {}

    def load(name):
        if name not in cache:
            path = os.path.join(args.scenarios, name + ".json")
            with open(path, encoding="utf-8") as f:
                cache[name] = json.load(f)
        return cache[name]

    with open(args.doc, encoding="utf-8") as f:
        old = f.read()
    try:
        new = regenerate(old, load)
    except (DocError, OSError, ValueError, KeyError) as e:
        print("scenario_tables: %s: %s" % (args.doc, e), file=sys.stderr)
        return 2

    if args.check:
        if new == old:
            return 0
        rel = os.path.relpath(args.doc)
        sys.stdout.writelines(difflib.unified_diff(
            old.splitlines(True), new.splitlines(True), rel, rel + " (regenerated)"))
        print("scenario_tables: %s is stale; run python3 tools/scenario_tables.py" % rel,
              file=sys.stderr)
        return 1
    if new != old:
        with open(args.doc, "w", encoding="utf-8") as f:
            f.write(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
