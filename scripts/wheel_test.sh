#!/usr/bin/env bash
# The Python package end to end: build the wheel with maturin (into target/wheels), install it
# into a fresh virtual environment, and run the linter from there, with no Rust on PATH.
# Prints the wheel's path on its last line. WHEEL_ONLY=1 builds and stops.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/target/wheels"
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -1)

TOOLS="$ROOT/target/maturin-venv"
if [ ! -x "$TOOLS/bin/maturin" ]; then
  python3 -m venv "$TOOLS"
  "$TOOLS/bin/pip" install --quiet --disable-pip-version-check 'maturin>=1.5,<2'
fi
rm -f "$OUT"/layerlint-"$VERSION"-*.whl
(cd "$ROOT" && "$TOOLS/bin/maturin" build --quiet --release --out "$OUT" >/dev/null)
WHEEL=$(ls "$OUT"/layerlint-"$VERSION"-*.whl | head -1)
[ -n "${WHEEL_ONLY:-}" ] && { echo "$WHEEL"; exit 0; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install --quiet --disable-pip-version-check "$WHEEL"
# Only the environment's own bin and the system's: nothing of the build is reachable.
NO_RUST_PATH="$WORK/venv/bin:/usr/bin:/bin"
if env PATH="$NO_RUST_PATH" sh -c 'command -v cargo' >/dev/null; then
  echo "FAIL: cargo is reachable on the test PATH"; exit 1
fi
run() { env PATH="$NO_RUST_PATH" "$@"; }
got=$(run layerlint --version)
[ "$got" = "layerlint $VERSION" ] || { echo "FAIL: --version printed '$got'"; exit 1; }
run layerlint check "$ROOT/examples/python-app" >/dev/null \
  || { echo "FAIL: the installed linter reports findings on the correct example"; exit 1; }
status=0
run layerlint check --format concise --context "$ROOT/examples/python-app" \
  "$ROOT/examples/python-app-broken/shell-form-cmd.Dockerfile" >"$WORK/out" || status=$?
if [ "$status" -ne 1 ] || ! grep -q 'shell-form-cmd' "$WORK/out"; then
  echo "FAIL: the installed linter did not catch shell-form-cmd (exit $status)"; cat "$WORK/out"; exit 1
fi
echo "wheel: $(basename "$WHEEL") installs and lints ($got)"
echo "$WHEEL"
