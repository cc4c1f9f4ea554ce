#!/usr/bin/env bash
# One sync split into N shards, without Kubernetes: `cfsh sync --shard I/N` does only the
# names of shard I (a fixed partition by name), so N processes, on one machine or several,
# do together exactly one full sync, with no coordinator (see docs/sharding.md).
#
#   examples/sharded-sync.sh SRC DST [N]                 N local processes (xargs -P)
#   HOSTS="db1 db2 db3" examples/sharded-sync.sh SRC DST  one shard per host (GNU parallel + ssh)
#
#   examples/sharded-sync.sh file:/var/backups/db /backups/db/ 4
#
# The connection comes from the environment (ST_AUTH/ST_USER/ST_KEY, or OS_*), which the
# shards inherit: no credential is ever an argument, so `ps` shows none. For ssh, the remote
# hosts need the same variables in their own environment (an env file sourced by the login
# shell, or `SendEnv ST_*` in ssh_config with `AcceptEnv ST_*` on the server); this script
# does not copy secrets onto command lines.
#
# It exits 0 only when every shard exited 0. A failed shard can be run again on its own
# (`cfsh sync --shard 2/4 SRC DST`): the other shards' work is already done and stays done.
set -euo pipefail

if [ $# -lt 2 ]; then
  sed -n '2,17p' "$0" >&2
  exit 2
fi
src=$1 dst=$2
shift 2
# Any extra options for every shard: SYNC_OPTIONS="--delete --max-delete 2%".
read -r -a options <<<"${SYNC_OPTIONS:---delete --max-delete 5%}"

if [ -n "${HOSTS:-}" ]; then
  # One shard per host, all at once, with GNU parallel: -S runs the jobs over ssh, one at a
  # time per host (-j1), and quotes SRC, DST and the options for the remote shell. {} is the
  # shard index. --halt never: every shard runs even when one fails; parallel's exit status
  # is then the number of shards that failed. --tag prefixes each output line with its shard.
  # (Not --env ST_KEY: parallel would put the key on the ssh command line.)
  read -r -a hosts <<<"$HOSTS"
  n=${#hosts[@]}
  logins=$(IFS=,; echo "${hosts[*]/#/1/}")   # 1/host: one job slot per host
  parallel -S "$logins" -j1 --tag --halt never \
    cfsh sync "${options[@]}" --shard "{}/$n" "$src" "$dst" ::: $(seq 0 $((n - 1)))
else
  # N processes on this machine with xargs -P: each reads one shard index. xargs exits 123
  # when any shard failed. Useful when one process's listing or checksum work, not the
  # server, is the bottleneck; with a single machine `set parallel` is usually enough.
  n=${1:-4}
  seq 0 $((n - 1)) |
    xargs -P "$n" -I{} cfsh sync "${options[@]}" --shard "{}/$n" "$src" "$dst"
fi
