#!/usr/bin/env bash
# Lint every Dockerfile of ../shared/corpus in batches with --format json and check that
# each batch produced valid JSON, no crash, and few file errors. Prints per-rule counts.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${LAYERLINT:-target/release/layerlint}
corpus=../shared/corpus
[ -d "$corpus/dockerfiles" ] || { echo "corpus not found at $corpus; skipping"; exit 0; }
[ -x "$bin" ] || cargo build --release --quiet
out=$(mktemp -d)
tail -n +2 "$corpus/dockerfiles.tsv" | cut -f1 | sed "s|^|$corpus/|" > "$out/all"
split -l 300 "$out/all" "$out/batch."
for b in "$out"/batch.*; do
  rc=0
  mapfile -t paths < "$b"
  "$bin" check --format json --exit-zero "${paths[@]}" > "$b.json" 2> "$b.err" || rc=$?
  if [ "$rc" -gt 2 ]; then echo "batch $b crashed (exit $rc)"; cat "$b.err"; exit 1; fi
done
python3 - "$out" <<'PY'
import json, sys, glob, collections
files = errors = 0
per_rule = collections.defaultdict(set)
error_msgs = collections.Counter()
for f in sorted(glob.glob(sys.argv[1] + "/batch.*.json")):
    d = json.load(open(f))
    files += d["summary"]["files"]
    errors += len(d["errors"])
    for e in d["errors"]:
        error_msgs[e["message"]] += 1
    for x in d["diagnostics"]:
        per_rule[x["rule"]].add(x["file"])
print(f"files: {files}  file errors: {errors} ({100*errors/max(files,1):.2f}%)")
for m, n in error_msgs.most_common():
    print(f"  {n:5}  {m}")
print("files fired on, per rule:")
for r, s in sorted(per_rule.items(), key=lambda kv: -len(kv[1])):
    print(f"  {r:28} {len(s):5}  {100*len(s)/max(files,1):5.1f}%")
PY
rm -rf "$out"
