# Durations and sizes of each mode. Sourced by bench/run after the command line is read.
# Any of these can be overridden from the environment for a one-off check, for example
# IDLE_SOCKETS=9000 bench/run --quick; the report records the values used.

set_mode() {
  case $1 in
    quick)
      # One round, short runs: a smoke test of the harness and a rough picture (< 3 minutes).
      # Plain HTTP has no Portico row (its HTTP listener only redirects), so only full mode runs it.
      : "${ROUNDS:=1}" "${HTTP_SECONDS:=2}" "${WS_SECONDS:=2}" "${HANDSHAKE_SECONDS:=2}"
      : "${HTTP_PLAIN_CONNECTIONS:=}" "${HTTP_TLS_CONNECTIONS:=8 32 64}"
      : "${WS_CONNECTIONS:=100 1000}" "${HANDSHAKE_PARALLEL:=32}"
      : "${IDLE_SOCKETS:=2000}" "${SETTLE_SECONDS:=1}"
      : "${SESSIONS:=20000}" "${SESSION_MAX_SECONDS:=45}" "${LOOKUP_SECONDS:=2}"
      : "${FLOOR_ROUNDS:=1}"
      : "${FLOOD_SECONDS:=30}" "${FLOOD_MAX_SESSIONS:=10000}" "${FLOOD_GRACE_SECONDS:=10}" "${FLOOD_BEFORE_SECONDS:=5}"
      : "${WARMUP_MAX_BURSTS:=20}" "${WATCHDOG_SECONDS:=660}"
      ;;
    full)
      # Three interleaved rounds; medians and min/max per target; six side-by-side floor rounds (< 35 minutes). Session logins
      # get slower as the store grows, so the fill is bounded in time as well as in count.
      : "${ROUNDS:=3}" "${HTTP_SECONDS:=5}" "${WS_SECONDS:=5}" "${HANDSHAKE_SECONDS:=5}"
      : "${HTTP_PLAIN_CONNECTIONS:=8 32 64}" "${HTTP_TLS_CONNECTIONS:=8 32 64}"
      : "${WS_CONNECTIONS:=100 1000}" "${HANDSHAKE_PARALLEL:=32}"
      : "${IDLE_SOCKETS:=9000}" "${SETTLE_SECONDS:=3}"
      : "${SESSIONS:=100000}" "${SESSION_MAX_SECONDS:=180}" "${LOOKUP_SECONDS:=5}"
      : "${FLOOR_ROUNDS:=6}"
      : "${FLOOD_SECONDS:=90}" "${FLOOD_MAX_SESSIONS:=30000}" "${FLOOD_GRACE_SECONDS:=20}" "${FLOOD_BEFORE_SECONDS:=10}"
      : "${WARMUP_MAX_BURSTS:=30}" "${WATCHDOG_SECONDS:=$((840 + 450 * ROUNDS + 120 * FLOOR_ROUNDS))}"
      ;;
  esac
  # The anonymous flood, the same in both modes apart from the durations and the cap above: wrk's
  # connections, and the legitimate user's requests per second.
  : "${FLOOD_CONNECTIONS:=32}" "${FLOOD_USER_RATE:=20}"
  # After the flood, until every session it made has ended and the meter has said so: the grace,
  # the expiry sweep's interval (5 s), and a margin for dotnet-counters' readings, which can trail.
  : "${FLOOD_AFTER_SECONDS:=$((FLOOD_GRACE_SECONDS + 10))}"
  MODE=$1
}

# The .NET servers' socket I/O mode (not a duration, so the same in both modes): 1 runs socket
# completions, and with them Kestrel's requests, on the runtime's event threads (one per core);
# 0 hands them to the thread pool, the runtime's default. See DOTNET_SERVER_ENV in servers.sh.
: "${INLINE_IO:=1}"

# The targets, always measured in this order within a scenario step (A B C D E).
TARGETS_ALL="direct yarp nginx haproxy portico"
# Portico's plain-HTTP listener only redirects to HTTPS, so plain HTTP is measured without it.
TARGETS_PLAIN="direct yarp nginx haproxy"
# Idle sockets measure a proxy's memory; the backend alone is not a proxy.
TARGETS_PROXIES="yarp nginx haproxy portico"
