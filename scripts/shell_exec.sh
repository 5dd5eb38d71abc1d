#!/usr/bin/env bash
# Measures what a shell-form CMD does to signals: for each shell (dash, busybox ash, bash) and
# each command shape, runs `SHELL -c COMMAND` as PID 1 of a fresh PID namespace (as Docker does),
# optionally under an init (tini, dumb-init), then sends SIGTERM to PID 1 as `docker stop` does.
# Prints a Markdown table per init: where the program ran, and whether it received SIGTERM.
# Needs root (unshare), python3 for the probe, and: apt-get install -y dash busybox tini dumb-init
# Usage: sudo bash scripts/shell_exec.sh
set -uo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
py=$(command -v python3) || { echo "python3 needed for the probe"; exit 1; }
# The probe records its PID (inside the namespace) and its parent's name, then waits for SIGTERM;
# on SIGTERM it takes 0.3 s to shut down, as a server closing its connections would.
cat > "$dir/probe" <<EOF
#!$py
import os, signal, sys, time
fd = os.open("$dir/report", os.O_WRONLY | os.O_APPEND | os.O_CREAT)
def term(*_):
    os.write(fd, b"TERM\n")
    time.sleep(0.3)
    os.write(fd, b"DONE\n")
    sys.exit(0)
signal.signal(signal.SIGTERM, term)
try:
    parent = open("/proc/%d/comm" % os.getppid()).read().strip()
except OSError:
    parent = "?"
os.write(fd, b"%d %s\n" % (os.getpid(), parent.encode()))
time.sleep(30)
EOF
chmod +x "$dir/probe"
export PATH="$dir:$PATH" P="$dir/probe"

shells=("dash" "busybox sh" "bash" "bash -o pipefail")
commands=(
  'probe --port 8088'
  'FOO=bar probe'
  '"$P" --port 8088'
  'probe > /dev/null 2>&1'
  'cd / && probe'
  'true; probe'
  'false || probe'
  'probe; true'
  'probe | cat'
  'probe &'
  'exec probe'
  'FOO=bar exec probe'
)
inits=("" "tini --" "tini -g --" "dumb-init")

# One run: prints "where · what SIGTERM did".
run() {
  rm -f "$dir/report"
  # shellcheck disable=SC2086 # the init and the shell are word lists on purpose
  unshare --pid --fork --mount-proc $1 $2 -c "$3" >/dev/null 2>&1 &
  local u=$! init="" i
  for i in $(seq 1 60); do
    [ -s "$dir/report" ] && break
    kill -0 "$u" 2>/dev/null || break
    sleep 0.05
  done
  init=$(cat "/proc/$u/task/$u/children" 2>/dev/null | awk '{print $1}')
  if [ ! -s "$dir/report" ] || [ -z "$init" ]; then
    kill -KILL "$init" 2>/dev/null; wait "$u" 2>/dev/null
    echo "shell exited at once; program killed"
    return
  fi
  read -r pid parent < "$dir/report"
  local where
  if [ "$pid" = 1 ]; then where="PID 1"; else where="child of $parent"; fi
  kill -TERM "$init"
  local alive=1
  for i in $(seq 1 30); do
    kill -0 "$u" 2>/dev/null || { alive=0; break; }
    sleep 0.05
  done
  local what
  # Killed with or without a SIGTERM first: its shutdown is cut short either way.
  if grep -q DONE "$dir/report"; then what="gets SIGTERM, shuts down"
  elif [ "$alive" = 1 ]; then what="SIGTERM lost, SIGKILL at the timeout"
  else what="killed when the shell exits"
  fi
  kill -KILL "$init" 2>/dev/null; wait "$u" 2>/dev/null
  echo "$where · $what"
}

dpkg-query -W -f '${Package} ${Version}\n' dash busybox bash tini dumb-init 2>/dev/null
for init in "${inits[@]}"; do
  echo
  echo "ENTRYPOINT ${init:-(none)}:"
  echo
  printf '| command |'; for s in "${shells[@]}"; do printf ' %s |' "$s"; done; echo
  printf '|---|'; for _ in "${shells[@]}"; do printf -- '---|'; done; echo
  for c in "${commands[@]}"; do
    printf '| `%s` |' "${c//|/\\|}"
    for s in "${shells[@]}"; do printf ' %s |' "$(run "$init" "$s" "$c")"; done
    echo
  done
done
