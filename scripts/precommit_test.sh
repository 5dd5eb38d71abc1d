#!/usr/bin/env bash
# The pre-commit integration end to end: the hook manifest validates, and in a scratch git
# repository the hook blocks a bad Dockerfile (naming the rule) and lets the corrected one pass.
#
# RULE names the rule the main check expects (default copy-before-install); it is skipped with
# a message while `layerlint rules` does not list it. shell-form-cmd is always checked.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RULE=${RULE:-copy-before-install}

if ! command -v pre-commit >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check pre-commit
fi
# pip may put the script where PATH does not look; the module always works.
if command -v pre-commit >/dev/null 2>&1; then
  PRE_COMMIT=(pre-commit)
else
  PRE_COMMIT=(python3 -m pre_commit)
fi

BIN="$ROOT/target/debug/layerlint"
if [ ! -x "$BIN" ]; then
  (cd "$ROOT" && cargo build --quiet)
fi
export PATH="$(dirname "$BIN"):$PATH"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export PRE_COMMIT_HOME="$WORK/cache"
# try-repo commits uncommitted changes of this checkout into a scratch clone: it needs a name.
export GIT_AUTHOR_NAME=layerlint GIT_AUTHOR_EMAIL=test@example.invalid
export GIT_COMMITTER_NAME=layerlint GIT_COMMITTER_EMAIL=test@example.invalid

"${PRE_COMMIT[@]}" validate-manifest "$ROOT/.pre-commit-hooks.yaml"

REPO="$WORK/repo"
mkdir -p "$REPO/src"
cd "$REPO"
git init --quiet
git config user.email test@example.invalid
git config user.name test
printf 'flask==3.0.3\n' > src/requirements.txt
printf 'print("hello")\n' > src/app.py
# The hook as .pre-commit-hooks.yaml defines it (its file selection copied from there), with the
# binary just built on PATH.
{
  cat <<'YAML'
repos:
  - repo: local
    hooks:
YAML
  # The manifest's entry for layerlint-system, indented into the local repo's hook list.
  awk '/^- id: /{on = ($3 == "layerlint-system")} on {print "      " $0}' "$ROOT/.pre-commit-hooks.yaml"
} > .pre-commit-config.yaml
"${PRE_COMMIT[@]}" validate-config .pre-commit-config.yaml

failures=0
passes=0
skips=0

# expect_blocked NAME RULE: the staged Dockerfile must fail the hook, naming RULE.
expect_blocked() {
  git add -A
  local out
  if out=$("${PRE_COMMIT[@]}" run --all-files 2>&1); then
    echo "FAIL $1: the hook passed a bad Dockerfile"; echo "$out"; failures=$((failures + 1))
  elif ! grep -q "$2" <<<"$out"; then
    echo "FAIL $1: the hook failed without naming $2"; echo "$out"; failures=$((failures + 1))
  else
    echo "ok   $1: blocked with $2"; passes=$((passes + 1))
  fi
}

# expect_passed NAME: the staged Dockerfile must pass the hook.
expect_passed() {
  git add -A
  local out
  if out=$("${PRE_COMMIT[@]}" run --all-files 2>&1); then
    echo "ok   $1: passed"; passes=$((passes + 1))
  else
    echo "FAIL $1: the hook blocked a good Dockerfile"; echo "$out"; failures=$((failures + 1))
  fi
}

# A Dockerfile that is right in every way but the parts each check changes.
dockerfile() { # $1: the copy-and-install lines, $2: the CMD line
  printf 'FROM python:3.12-slim\nWORKDIR /app\n%s\nEXPOSE 8088\nUSER nobody\n%s\n' "$1" "$2"
}
GOOD_INSTALL='COPY src/requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY src/ .'
BAD_INSTALL='COPY src/ .
RUN pip install --no-cache-dir -r requirements.txt'
GOOD_CMD='CMD ["python", "app.py"]'
BAD_CMD='CMD python app.py'

dockerfile "$GOOD_INSTALL" "$BAD_CMD" > Dockerfile
expect_blocked "shell-form CMD" shell-form-cmd
dockerfile "$GOOD_INSTALL" "$GOOD_CMD" > Dockerfile
expect_passed "exec-form CMD"

if layerlint rules | grep -q "^$RULE "; then
  dockerfile "$BAD_INSTALL" "$GOOD_CMD" > Dockerfile
  expect_blocked "source copied before pip install" "$RULE"
  dockerfile "$GOOD_INSTALL" "$GOOD_CMD" > Dockerfile
  expect_passed "requirements copied and installed first"
else
  echo "skip $RULE: \`layerlint rules\` does not list it yet"; skips=$((skips + 2))
fi

# Selection: a lower-case `*.dockerfile` is linted; documentation and templates named like a
# Dockerfile are not (identify tags `Dockerfile.md` as a dockerfile).
dockerfile "$GOOD_INSTALL" "$GOOD_CMD" > Dockerfile
dockerfile "$GOOD_INSTALL" "$BAD_CMD" > worker.dockerfile
expect_blocked "lower-case worker.dockerfile" shell-form-cmd
rm worker.dockerfile
printf '# Dockerfile notes\n\nRun `docker build .`\n' > Dockerfile.md
printf 'FROM {{ base }}\nCMD {{ cmd }}\n' > Dockerfile.j2
expect_passed "Dockerfile.md and Dockerfile.j2 are not linted"
rm Dockerfile.md Dockerfile.j2

# The manifest itself, through try-repo (which runs the hook from a clone of this checkout).
dockerfile "$GOOD_INSTALL" "$BAD_CMD" > Dockerfile
git add -A
if out=$("${PRE_COMMIT[@]}" try-repo "$ROOT" layerlint-system --all-files 2>&1); then
  echo "FAIL try-repo: the manifest's hook passed a bad Dockerfile"; echo "$out"; failures=$((failures + 1))
elif grep -q shell-form-cmd <<<"$out"; then
  echo "ok   try-repo: the manifest's layerlint-system hook blocks it"; passes=$((passes + 1))
else
  echo "FAIL try-repo: no shell-form-cmd in the output"; echo "$out"; failures=$((failures + 1))
fi

# The toolchain-free hook: a mirror repository made from pre-commit-mirror/, whose python hook
# installs the layerlint wheel with pip, run with no cargo and no layerlint of the build on PATH.
WHEEL=$(WHEEL_ONLY=1 bash "$ROOT/scripts/wheel_test.sh" 2>/dev/null | tail -1)
MIRROR="$WORK/mirror"
cp -r "$ROOT/pre-commit-mirror" "$MIRROR"
(cd "$MIRROR" && git init --quiet && git add -A && git commit --quiet -m mirror)
NO_RUST_PATH=$(tr ':' '\n' <<<"$PATH" | while read -r d; do
  [ -n "$d" ] && [ ! -x "$d/cargo" ] && [ ! -x "$d/layerlint" ] && echo "$d"
done | paste -sd: -)
if env PATH="$NO_RUST_PATH" sh -c 'command -v cargo || command -v layerlint' >/dev/null; then
  echo "FAIL python hook: cargo or layerlint is still on the test PATH"; failures=$((failures + 1))
else
  dockerfile "$GOOD_INSTALL" "$BAD_CMD" > Dockerfile
  git add -A
  if out=$(env PATH="$NO_RUST_PATH" PIP_FIND_LINKS="$(dirname "$WHEEL")" \
    "${PRE_COMMIT[@]}" try-repo "$MIRROR" layerlint --all-files 2>&1); then
    echo "FAIL python hook: passed a bad Dockerfile"; echo "$out"; failures=$((failures + 1))
  elif grep -q shell-form-cmd <<<"$out"; then
    echo "ok   python hook: installed from the wheel without cargo, blocks it"; passes=$((passes + 1))
  else
    echo "FAIL python hook: no shell-form-cmd in the output"; echo "$out"; failures=$((failures + 1))
  fi
  dockerfile "$GOOD_INSTALL" "$GOOD_CMD" > Dockerfile
  git add -A
  if out=$(env PATH="$NO_RUST_PATH" PIP_FIND_LINKS="$(dirname "$WHEEL")" \
    "${PRE_COMMIT[@]}" try-repo "$MIRROR" layerlint --all-files 2>&1); then
    echo "ok   python hook: passes the good one"; passes=$((passes + 1))
  else
    echo "FAIL python hook: blocked a good Dockerfile"; echo "$out"; failures=$((failures + 1))
  fi
fi
# The mirror's hook selects the files the main manifest's hooks select.
select_of() { grep -E '^  (types|files|exclude_types|exclude|require_serial):' "$1" | sort -u; }
if [ "$(select_of "$ROOT/pre-commit-mirror/.pre-commit-hooks.yaml")" = "$(select_of "$ROOT/.pre-commit-hooks.yaml")" ]; then
  echo "ok   mirror manifest: same file selection"; passes=$((passes + 1))
else
  echo "FAIL mirror manifest: its file selection differs from .pre-commit-hooks.yaml"; failures=$((failures + 1))
fi
# ... and pins the wheel of this version.
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -1)
if grep -q "\"layerlint==$VERSION\"" "$ROOT/pre-commit-mirror/pyproject.toml"; then
  echo "ok   mirror package: depends on layerlint==$VERSION"; passes=$((passes + 1))
else
  echo "FAIL mirror package: does not pin layerlint==$VERSION"; failures=$((failures + 1))
fi

# The plain closing line CI reads.
echo "precommit: $passes passed, $failures failed, $skips skipped"
[ "$failures" -eq 0 ]
