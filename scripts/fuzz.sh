#!/usr/bin/env bash
# Fuzz the parser and the lint pipeline with cargo-fuzz (libFuzzer), one job at a time.
# Usage: scripts/fuzz.sh [TARGET...]   (default: parse_lint lint_with_context)
# Environment: RUNS (executions per target, default 5000000), MAX_TIME (seconds per
# target, default 0: no limit), RSS (MB, default 2048), SANITIZER (cargo-fuzz's `-s`: default
# address; `none` runs several times faster, for long runs that look for panics and hangs).
# The seed corpus is copied from ../shared/corpus/dockerfiles at run time and never committed.
# A crash leaves its input in fuzz/artifacts/<target>/; minimize it with
#   cargo +nightly fuzz tmin <target> <artifact>
# and turn it into a regression test next to the code that failed.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
runs=${RUNS:-5000000}
rss=${RSS:-2048}
time_limit=${MAX_TIME:-0}  # seconds per target; 0: until RUNS
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(parse_lint lint_with_context)
seeds=../shared/corpus/dockerfiles
for t in "${targets[@]}"; do
  dir=fuzz/corpus/$t
  mkdir -p "$dir"
  if [ -d "$seeds" ] && [ -z "$(ls -A "$dir")" ]; then
    # Flat names: libFuzzer reads one directory level.
    find "$seeds" -type f | while read -r f; do
      cp "$f" "$dir/$(echo "${f#"$seeds"/}" | tr '/' '_')"
    done
  fi
  # One process, no -jobs (which would fork and log to ./fuzz-N.log). ASan keeps its checks but
  # skips the allocation bookkeeping that only serves its reports: twice the executions.
  ASAN_OPTIONS=${ASAN_OPTIONS:-malloc_context_size=0:detect_leaks=0:quarantine_size_mb=0:max_malloc_fill_size=0:thread_local_quarantine_size_kb=0} \
    cargo +nightly fuzz run ${SANITIZER:+-s "$SANITIZER"} "$t" "$dir" -- \
    -runs="$runs" -max_total_time="$time_limit" -rss_limit_mb="$rss" -max_len=4096 -timeout=10 \
    -print_final_stats=1 2>&1 | tee "fuzz/$t.log"
done
