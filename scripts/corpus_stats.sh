#!/usr/bin/env bash
# Per-rule fire rates over ../shared/corpus: files fired on among the single Dockerfiles, and
# every finding over the real build contexts (with the context passed), errors listed in full.
# Usage: scripts/corpus_stats.sh [RULES]   (comma-separated --select value; default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${LAYERLINT:-target/debug/layerlint}
corpus=../shared/corpus
select=${1:-}
[ -d "$corpus/dockerfiles" ] || { echo "corpus not found at $corpus; skipping"; exit 0; }
[ -x "$bin" ] || cargo build --quiet
sel=()
[ -n "$select" ] && sel=(--select "$select")
out=$(mktemp -d)
tail -n +2 "$corpus/dockerfiles.tsv" | cut -f1 | sed "s|^|$corpus/|" > "$out/all"
split -l 300 "$out/all" "$out/batch."
for b in "$out"/batch.*; do
  mapfile -t paths < "$b"
  rc=0
  "$bin" check --format json --exit-zero "${sel[@]}" "${paths[@]}" > "$b.json" 2> "$b.err" || rc=$?
  if [ "$rc" -gt 2 ]; then echo "batch $b crashed (exit $rc)"; cat "$b.err"; exit 1; fi
done
n=0
while IFS=$'\t' read -r name ctx dfs; do
  for df in ${dfs//,/ }; do
    n=$((n + 1))
    "$bin" check --format json --exit-zero "${sel[@]}" --context "$corpus/contexts/$name/$ctx" \
      "$corpus/contexts/$name/$df" > "$out/ctx.$n.json" 2> "$out/ctx.$n.err" || true
  done
done < <(tail -n +2 "$corpus/contexts.tsv" | cut -f1,5,6)
python3 - "$out" <<'PY'
import json, sys, glob, collections
out = sys.argv[1]
files = 0
file_errors = collections.Counter()
per_rule = collections.defaultdict(set)
for f in sorted(glob.glob(out + "/batch.*.json")):
    d = json.load(open(f))
    # Every file given, linted or not (`failed` counts the ones that could not be).
    files += d["summary"]["files"] + d["summary"].get("failed", 0)
    for e in d["errors"]:
        file_errors[e["message"]] += 1
    for x in d["diagnostics"]:
        per_rule[x["rule"]].add(x["file"])
n_err = sum(file_errors.values())
print(f"single Dockerfiles: {files}; file errors: {n_err} ({100*n_err/max(files,1):.2f}%)")
for m, c in file_errors.most_common():
    print(f"  {c:5}  {m}")
print("files fired on, per rule:")
for r, s in sorted(per_rule.items(), key=lambda kv: -len(kv[1])):
    print(f"  {r:28} {len(s):5}  {100*len(s)/max(files,1):5.1f}%")
ctx = collections.Counter()
sev = collections.Counter()
errors = []
n = 0
for f in sorted(glob.glob(out + "/ctx.*.json")):
    n += 1
    try:
        d = json.load(open(f))
    except ValueError:
        print("  unreadable:", f)
        continue
    for x in d["diagnostics"]:
        ctx[x["rule"]] += 1
        sev[(x["rule"], x["severity"])] += 1
        if x["severity"] == "error":
            errors.append((x["rule"], x["file"], x.get("line"), x["message"]))
print(f"build contexts: {n} Dockerfiles; findings per rule (by severity):")
for r, c in ctx.most_common():
    parts = ", ".join(f"{s} {sev[(r, s)]}" for s in ("error", "warning", "info") if sev[(r, s)])
    print(f"  {r:28} {c:5}  ({parts})")
for e in errors:
    print("  error:", *e)
PY
rm -rf "$out"
