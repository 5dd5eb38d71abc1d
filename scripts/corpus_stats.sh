#!/usr/bin/env bash
# Run selected rules over the shared corpus: findings per rule over the loose Dockerfiles, and
# every finding (with severity) over the real build contexts.
# Usage: scripts/corpus_stats.sh RULE[,RULE...]   (build first with `cargo build`)
set -u
rules=${1:?rules}
bin=${LAYERLINT:-target/debug/layerlint}
corpus=${CORPUS:-/work/shared/corpus}
out=$(mktemp -d)
echo "== contexts"
tail -n +2 "$corpus/contexts.tsv" | while IFS=$'\t' read -r name _ _ _ ctx dfs _; do
  for df in ${dfs//,/ }; do
    "$bin" check --format json --exit-zero --select "$rules" \
      --context "$corpus/contexts/$name/$ctx" "$corpus/contexts/$name/$df" >"$out/ctx.json" 2>/dev/null
    python3 - "$out/ctx.json" "$name/$df" <<'PY'
import json, sys
try:
    data = json.load(open(sys.argv[1]))
except Exception:
    sys.exit(0)
items = data if isinstance(data, list) else data.get("diagnostics", data.get("files", []))
def walk(x):
    if isinstance(x, dict):
        if "rule" in x and "severity" in x:
            yield x
        for v in x.values():
            yield from walk(v)
    elif isinstance(x, list):
        for v in x:
            yield from walk(v)
for d in walk(data):
    print(f"{d['severity']}\t{d['rule']}\t{sys.argv[2]}\t{d.get('message','')}")
PY
  done
done
echo "== loose dockerfiles"
tail -n +2 "$corpus/dockerfiles.tsv" | cut -f1 | sed "s#^#$corpus/#" >"$out/list"
total=$(wc -l <"$out/list")
split -l 300 "$out/list" "$out/chunk."
for c in "$out"/chunk.*; do
  xargs -a "$c" "$bin" check --format json --exit-zero --select "$rules" 2>/dev/null
  echo
done >"$out/all.json"
python3 - "$out/all.json" "$total" <<'PY'
import json, sys, collections
files = collections.defaultdict(set)
sev = collections.Counter()
dec = json.JSONDecoder()
text = open(sys.argv[1]).read()
i = 0
def walk(x, path=None):
    if isinstance(x, dict):
        path = x.get("path", x.get("file", path))
        if "rule" in x and "severity" in x:
            yield path, x
        for v in x.values():
            yield from walk(v, path)
    elif isinstance(x, list):
        for v in x:
            yield from walk(v, path)
while i < len(text):
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text):
        break
    obj, i = dec.raw_decode(text, i)
    for p, d in walk(obj):
        files[d["rule"]].add(p)
        sev[(d["rule"], d["severity"])] += 1
for r in sorted(files):
    n = len(files[r])
    print(f"{r}\t{n}/{sys.argv[2]} files ({100*n/int(sys.argv[2]):.1f}%)\t" +
          " ".join(f"{s}={c}" for (rr, s), c in sorted(sev.items()) if rr == r))
PY
rm -rf "$out"
