#!/usr/bin/env bash
# Per-rule false-alarm check on real data: (1) the 43 real build contexts, each Dockerfile with
# its own context, listing every finding; (2) the bare Dockerfile corpus, counting files fired on.
# Usage: scripts/corpus_stats.sh [RULES]   (RULES: comma-separated, default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${LAYERLINT:-target/debug/layerlint}
corpus=${CORPUS:-../shared/corpus}
[ -d "$corpus/dockerfiles" ] || { echo "corpus not found at $corpus; skipping"; exit 0; }
[ -x "$bin" ] || cargo build --quiet
select=()
[ $# -gt 0 ] && select=(--select "$1")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# (1) Real contexts: name, ..., context, dockerfiles (comma-separated), relative to contexts/<name>.
tail -n +2 "$corpus/contexts.tsv" | while IFS=$'\t' read -r name _ _ _ ctx dfs _; do
  base="$corpus/contexts/$name"
  IFS=',' read -ra list <<< "$dfs"
  for df in "${list[@]}"; do
    "$bin" check --format json --exit-zero "${select[@]}" --context "$base/$ctx" "$base/$df" \
      > "$out/ctx.$name.$(basename "$df").json" 2>/dev/null || true
  done
done

# (2) The bare Dockerfiles, a few hundred per invocation.
tail -n +2 "$corpus/dockerfiles.tsv" | cut -f1 | sed "s|^|$corpus/|" > "$out/all"
split -l 300 "$out/all" "$out/batch."
for b in "$out"/batch.??; do
  mapfile -t paths < "$b"
  "$bin" check --format json --exit-zero "${select[@]}" "${paths[@]}" > "$b.json" 2>/dev/null || true
done

python3 - "$out" <<'PY'
import json, sys, glob, collections
out = sys.argv[1]
print("== real build contexts: findings ==")
per_rule = collections.Counter()
for f in sorted(glob.glob(out + "/ctx.*.json")):
    try:
        d = json.load(open(f))
    except Exception:
        print("  unreadable:", f); continue
    for x in d["diagnostics"]:
        per_rule[(x["rule"], x["severity"])] += 1
        print(f'  {x["severity"]:7} {x["rule"]:26} {x["file"].split("/contexts/")[-1]}:{x.get("line", x.get("start", {}).get("line", "?"))}  {x["message"][:150]}')
for (r, s), n in sorted(per_rule.items()):
    print(f"  total {r} ({s}): {n}")
files = 0
fired = collections.defaultdict(set)
for f in sorted(glob.glob(out + "/batch.*.json")):
    d = json.load(open(f))
    files += d["summary"]["files"]
    for x in d["diagnostics"]:
        fired[x["rule"]].add(x["file"])
print(f"== bare Dockerfiles: files fired on (of {files}) ==")
for r, s in sorted(fired.items(), key=lambda kv: -len(kv[1])):
    print(f"  {r:28} {len(s):5}  {100*len(s)/max(files,1):5.1f}%")
PY
