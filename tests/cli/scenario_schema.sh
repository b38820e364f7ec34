#!/bin/sh
# The editor schema (schema/parley-scenario.schema.json) is valid JSON Schema
# 2020-12 and accepts the example, the built-in scenarios and a normalised dump,
# and rejects a typo. Skipped (exit 0 with a note) without python3's jsonschema.
# Usage: sh scenario_schema.sh PATH_TO_PARLEY SOURCE_DIR
PARLEY=$1
SRC=$2
cd "$SRC" || exit 1
if ! python3 -c 'import jsonschema' 2>/dev/null; then
    echo "skipped: python3 jsonschema is not installed"
    exit 0
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
"$PARLEY" show --format json four-party-1997 >"$tmp/dump.json" || exit 1
python3 - "$tmp/dump.json" <<'PY'
import json, sys, jsonschema
schema = json.load(open('schema/parley-scenario.schema.json'))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
good = ['tests/data/minimal.json', 'scenarios/four-party-1997.json',
        'scenarios/panmunjom-2018.json', sys.argv[1]]
for f in good:
    errors = list(v.iter_errors(json.load(open(f))))
    if errors:
        sys.exit('%s: %s' % (f, errors[0].message))
bad = json.load(open('tests/malformed/16-unknown-field-typo.json'))
if not list(v.iter_errors(bad)):
    sys.exit('the schema accepts an unknown field')
print('ok: schema accepts %d scenarios and rejects a typo' % len(good))
PY
