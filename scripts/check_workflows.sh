#!/usr/bin/env bash
# Validate the GitHub Actions files (the workflows and action.yml) against their schemas with
# action-validator (from the npm registry), and the action's shell steps with ShellCheck when
# it is installed. The workflows themselves only run on GitHub.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOOLS="$ROOT/target/npm-tools"
if [ ! -x "$TOOLS/node_modules/.bin/action-validator" ]; then
  mkdir -p "$TOOLS"
  if ! (cd "$TOOLS" && npm install --silent --no-audit --no-fund @action-validator/core @action-validator/cli >/dev/null 2>&1); then
    echo "note: action-validator could not be installed; the workflow files were not validated"
    exit 0
  fi
fi
for f in "$ROOT"/.github/workflows/*.yml "$ROOT/action.yml"; do
  "$TOOLS/node_modules/.bin/action-validator" "$f"
  echo "ok   $(basename "$f")"
done
if command -v shellcheck >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; then
  step=$(mktemp)
  trap 'rm -f "$step"' EXIT
  python3 - "$ROOT/action.yml" "$step" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
# Each `run: |` block of the composite action, dedented, as one bash script.
blocks = re.findall(r"run: \|\n((?:        .*\n|\s*\n)+)", text)
with open(sys.argv[2], "w") as out:
    out.write("#!/bin/bash\n")
    for b in blocks:
        out.write("\n".join(l[8:] for l in b.splitlines()) + "\n")
PY
  shellcheck "$step"
  echo "ok   action.yml shell steps (shellcheck)"
fi
