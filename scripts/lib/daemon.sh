# shellcheck shell=bash
# Sourced by scripts/swift-server, scripts/keystone-server and scripts/rackspace-identity:
# the state folder they share, and the functions that start, watch and stop their daemons.
#
# The caller sets `here` (its own folder) before sourcing this file, and `run` (pid files) and
# `logs` (one log per daemon) before it calls spawn or stop.

repo=$(cd "$here/.." && pwd)
state=${CFSH_STATE_DIR:-$repo/.state}
venv=$state/venv

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "$*"; exit 1; }

# alive PIDFILE: the process named there exists and is not a zombie
alive() {
  local pid; pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]
}

# spawn NAME COMMAND...: start in a session of its own and keep the exact pid in $run/NAME.pid,
# unless it runs already. Its own session, because Swift servers signal their whole process
# group on SIGTERM, and so that stopping it never signals the calling script.
spawn() {
  local name=$1; shift
  alive "$run/$name.pid" && return
  setsid "$@" >>"$logs/$name.log" 2>&1 </dev/null &
  echo $! >"$run/$name.pid"
}

# poll TRIES PAUSE COMMAND...: run COMMAND, its output discarded, until it succeeds; fails
# after TRIES failures, PAUSE seconds apart.
poll() {
  local tries=$1 pause=$2 i=0; shift 2
  until "$@" >/dev/null 2>&1; do
    i=$((i + 1)); [ $i -ge "$tries" ] && return 1
    sleep "$pause"
  done
}

wait_http() { # wait_http URL SECONDS
  poll $(( $2 * 10 )) 0.1 curl -fsS -o /dev/null --max-time 2 "$1"
}

# stop: every daemon with a pid file in $run, its whole process group: SIGTERM, then SIGKILL
# for what is still there after 5 s.
stop() {
  local f pid
  for f in "$run"/*.pid; do
    [ -e "$f" ] || continue
    if alive "$f"; then
      pid=$(cat "$f")
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  for f in "$run"/*.pid; do
    [ -e "$f" ] || continue
    local i=0
    while alive "$f" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    if alive "$f"; then pid=$(cat "$f"); kill -KILL -- "-$pid" 2>/dev/null || true; fi
    rm -f "$f"
  done
}

# report_status: the `status` command of a server script: "up" when its status function
# succeeds, else "down" and exit 1.
report_status() {
  if status >/dev/null 2>&1; then echo "up"; else echo "down"; exit 1; fi
}
