# shellcheck shell=bash
# Sourced by scripts/swift-server and scripts/keystone-server, whose Swift proxies share most
# of their pipeline.

# plain_proxy_filters: the [filter:…] sections of the proxy middleware that needs no settings,
# each `use = egg:swift#NAME` with the dashes of NAME as underscores.
plain_proxy_filters() {
  local name
  for name in ratelimit catch_errors gatekeeper proxy-logging listing_formats bulk tempurl copy \
    container-quotas account-quotas slo dlo symlink; do
    printf '[filter:%s]\nuse = egg:swift#%s\n' "$name" "${name//-/_}"
  done
  # Both kinds of versioning: the new object versioning (X-Versions-Enabled) that /info then
  # lists, and the older X-History-Location / X-Versions-Location one.
  printf '[filter:versioned_writes]\nuse = egg:swift#versioned_writes\nallow_object_versioning = true\nallow_versioned_writes = true\n'
}

# proxy_tail ERROR_SUPPRESSION_LIMIT [CACHE_SETTINGS]: the end of a proxy's configuration, from
# [filter:healthcheck] on: the memcache filter (CACHE_SETTINGS added to it) and the plain ones.
proxy_tail() {
  cat <<CONF
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:11222
# Swift's defaults (2 connections per worker, then a 1 s wait, and a server that errs 10
# times in a minute is skipped for a minute) turn a burst of parallel tests on a loaded
# 2-core machine into a minute of failures (every auth answers 503 meanwhile); with a single
# local memcached, skipping it never helps.
memcache_max_connections = 64
pool_timeout = 5
CONF
  [ -z "${2:-}" ] || printf '%s\n' "$2"
  printf 'error_suppression_limit = %s\n' "$1"
  plain_proxy_filters
}
