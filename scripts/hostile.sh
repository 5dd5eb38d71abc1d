#!/usr/bin/env bash
# Cost of hostile shapes: Dockerfiles that repeat one construct thousands of times (nested
# `if`s, `cd` chains, thousands of heredocs, stages, COPY/RUN pairs, suppression comments...),
# each linted at N and 16*N repetitions with every rule on. Linear cost shows as a CPU-time
# ratio near 16 (less where start-up weighs on the small file); a quadratic one as 256.
# Usage: scripts/hostile.sh [N]   (default 2000). Needs python3. Prints a markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
cargo build --release --quiet
bin="$PWD/target/release/layerlint"
work=${TMPDIR:-/tmp}/layerlint-hostile
rm -rf "$work" && mkdir -p "$work"
python3 - "$bin" "$work" "$n" <<'PY'
import os, resource, subprocess, sys
bin, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
shapes = {
    "nested `if` (continued lines)": lambda k: "FROM alpine\nRUN " + "if true; then \\\n" * k + "x" + "; fi \\\n" * k + "\n",
    "`cd a && ` chain, then an install": lambda k: "FROM alpine\nRUN " + " && \\\n ".join("cd a" for _ in range(k)) + " && pip install -r requirements.txt\n",
    "heredocs on one RUN": lambda k: "FROM alpine\nRUN " + " ".join(f"<<E{i}" for i in range(k)) + "\n" + "".join(f"x\nE{i}\n" for i in range(k)),
    "RUN heredoc installs": lambda k: "FROM alpine\n" + "".join(f"RUN <<E\npip install -r r{i}.txt\nE\n" for i in range(k)),
    "`WORKDIR a` repeated": lambda k: "FROM alpine\n" + "WORKDIR a\n" * k + "COPY . .\nCMD [\"./x\"]\n",
    "WORKDIR + install pairs": lambda k: "FROM alpine\n" + "".join(f"WORKDIR /w{i}/x\nRUN pip install -r requirements.txt\n" for i in range(k)) + "CMD [\"./x\"]\n",
    "`COPY . .` + install pairs": lambda k: "FROM python\n" + "COPY . .\nRUN pip install -r requirements.txt\n" * k + "CMD [\"python\", \"a.py\"]\n",
    "stage chain `FROM s<i>`": lambda k: "FROM alpine AS s0\n" + "".join(f"FROM s{i} AS s{i+1}\nRUN x\n" for i in range(k)) + "CMD [\"/a\"]\n",
    "`COPY --from` chain": lambda k: "FROM alpine AS s0\nRUN touch /a\n" + "".join(f"FROM alpine AS s{i+1}\nCOPY --from=s{i} /a /a\n" for i in range(k)) + "CMD [\"/a\"]\n",
    "case arms with `cd`": lambda k: "FROM alpine\nRUN case x in \\\n" + "".join(f" a{i}) cd d{i};; \\\n" for i in range(k)) + "esac\n",
    "suppression comments": lambda k: "FROM alpine\n" + "".join(f"# layerlint ignore=shell-form-cmd\nCMD x{i}\n" for i in range(k)),
    "missing COPY sources": lambda k: "FROM alpine\n" + "".join(f"COPY f{i} /d/f{i}\n" for i in range(k)) + "CMD [\"/d/f1\"]\n",
    "ENV chain `V<i>=$V<i-1>x`": lambda k: "FROM alpine\n" + "".join(f"ENV V{i}=$V{max(i-1,0)}x\n" for i in range(k)) + "RUN echo $V1\n",
}
def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime
def run(path):
    # CPU time (user + system) of the child, best of two: steadier than wall time on a busy machine.
    best = None
    for _ in range(2):
        t = cpu()
        r = subprocess.run([bin, "check", "--format", "concise", "--context", work, path], capture_output=True)
        dt = cpu() - t
        if r.returncode not in (0, 1):
            sys.exit(f"{path}: exit {r.returncode}: {r.stderr.decode()[-300:]}")
        best = dt if best is None else min(best, dt)
    return best
print(f"| shape | {n}x: size, CPU ms | {16*n}x: size, CPU ms | ratio (linear: 16) |")
print("|---|---:|---:|---:|")
for i, (name, gen) in enumerate(shapes.items()):
    row = []
    for k in (n, 16 * n):
        p = os.path.join(work, f"s{i}-{k}.Dockerfile")
        with open(p, "w") as f:
            f.write(gen(k))
        row.append((os.path.getsize(p), run(p)))
    (s1, t1), (s2, t2) = row
    print(f"| {name} | {s1/1e3:.0f} KB, {t1*1e3:.0f} | {s2/1e6:.2f} MB, {t2*1e3:.0f} | {t2/t1:.1f} |", flush=True)

# Real text at scale: every corpus Dockerfile in one file, linted against a context whose
# .dockerignore is made of patterns that are costly to match (`**/` thirty times, long star runs).
corpus = os.path.join(os.getcwd(), "..", "shared", "corpus", "dockerfiles")
if os.path.isdir(corpus):
    big = os.path.join(work, "corpus.Dockerfile")
    with open(big, "wb") as out:
        for root, _, files in sorted(os.walk(corpus)):
            for f in sorted(files):
                with open(os.path.join(root, f), "rb") as src:
                    out.write(src.read() + b"\n")
    with open(os.path.join(work, ".dockerignore"), "w") as f:
        f.write("**/" * 30 + "zz\n" + "*" * 60 + "q\n" + "a" + "*a" * 40 + "b\n" + "!**/" * 20 + "y*y*y*y*y*q\n")
    lines = sum(1 for _ in open(big, "rb"))
    print(f"\nthe whole corpus as one file ({os.path.getsize(big)/1e6:.1f} MB, {lines} lines), hostile .dockerignore: "
          f"{run(big)*1e3:.0f} CPU ms")
PY
