#!/usr/bin/env bash
# Count findings of the selected rules over the shared corpus, to catch false alarms:
#   scripts/corpus_stats.sh RULE[,RULE...] [BINARY]
# Prints, per rule, how many of the corpus Dockerfiles fire it, then every finding over the
# complete real build contexts (which build, so an error there is most likely a false alarm).
# Needs python3; reads ../shared/corpus beside the project (skips cleanly when absent).
set -euo pipefail
rules=${1:?usage: corpus_stats.sh RULE[,RULE...] [BINARY]}
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${2:-$here/target/debug/layerlint}
corpus=${CORPUS:-$here/../shared/corpus}
if [ ! -d "$corpus" ]; then
    echo "no corpus at $corpus; skipping"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. Dockerfiles without their contexts: the default context is the file's own folder, so
# rules that read the context see a folder of Dockerfiles there. CONTEXTS_ONLY=1 skips this.
if [ -z "${CONTEXTS_ONLY:-}" ]; then
tail -n +2 "$corpus/dockerfiles.tsv" | cut -f1 | sed "s#^#$corpus/#" > "$tmp/files"
total=$(wc -l < "$tmp/files")
split -l 300 "$tmp/files" "$tmp/batch."
for b in "$tmp"/batch.*; do
    xargs -a "$b" -d '\n' "$bin" check --format json --exit-zero --select "$rules" > "$b.json" 2>/dev/null || true
done
python3 - "$rules" "$total" "$tmp"/batch.*.json <<'PY'
import json, sys, collections
rules, total, paths = sys.argv[1].split(","), int(sys.argv[2]), sys.argv[3:]
files = collections.defaultdict(set)
for p in paths:
    try:
        data = json.load(open(p))
    except ValueError:
        continue
    for d in data["diagnostics"]:
        files[d["rule"]].add(d["file"])
print(f"corpus Dockerfiles (no contexts): files fired on, of {total}")
for r in rules:
    n = len(files[r])
    print(f"  {r:28} {n:5}  {100 * n / total:5.1f}%")
PY
fi

# 2. Complete build contexts.
cat > "$tmp/show.py" <<'PY'
import json, sys
name, df = sys.argv[1], sys.argv[2]
data = json.load(sys.stdin)
for d in data["diagnostics"]:
    print(f"  {name}/{df}:{d['line']}: {d['severity']}[{d['rule']}] {d['message']}")
for e in data["errors"]:
    print(f"  {name}/{df}: error: {e['message']}")
PY
echo "real build contexts: findings"
tail -n +2 "$corpus/contexts.tsv" | while IFS=$'\t' read -r name _ _ _ ctx dfs _; do
    IFS=, read -ra list <<< "$dfs"
    for df in "${list[@]}"; do
        "$bin" check --format json --exit-zero --select "$rules" \
            --context "$corpus/contexts/$name/$ctx" "$corpus/contexts/$name/$df" 2>/dev/null \
            | python3 "$tmp/show.py" "$name" "$df" || echo "  $name/$df: layerlint failed"
    done
done
