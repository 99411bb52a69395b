# Durations and sizes of each mode. Sourced by bench/run after the command line is read.

set_mode() {
  case $1 in
    quick)
      # One round, short runs: a smoke test of the harness and a rough picture (< 3 minutes).
      ROUNDS=${ROUNDS:-1}
      HTTP_SECONDS=2; WS_SECONDS=2; HANDSHAKE_SECONDS=2
      HTTP_PLAIN_CONNECTIONS="32"; HTTP_TLS_CONNECTIONS="8 32 64"
      WS_CONNECTIONS="100 1000"; HANDSHAKE_PARALLEL=32
      IDLE_SOCKETS=2000; SETTLE_SECONDS=2
      SESSIONS=20000; SESSION_MAX_SECONDS=45; LOOKUP_SECONDS=2
      WARMUP_SECONDS=1; WATCHDOG_SECONDS=300
      ;;
    full)
      # Three interleaved rounds; medians and min/max per target (< 25 minutes).
      ROUNDS=${ROUNDS:-3}
      HTTP_SECONDS=6; WS_SECONDS=6; HANDSHAKE_SECONDS=6
      HTTP_PLAIN_CONNECTIONS="8 32 64"; HTTP_TLS_CONNECTIONS="8 32 64"
      WS_CONNECTIONS="100 1000"; HANDSHAKE_PARALLEL=32
      IDLE_SOCKETS=9000; SETTLE_SECONDS=3
      SESSIONS=100000; SESSION_MAX_SECONDS=240; LOOKUP_SECONDS=6
      WARMUP_SECONDS=3; WATCHDOG_SECONDS=1800
      ;;
  esac
  MODE=$1
}

# The targets, always measured in this order within a scenario step (A B C D E).
TARGETS_ALL="direct yarp nginx haproxy portico"
# Portico's plain-HTTP listener only redirects to HTTPS, so plain HTTP is measured without it.
TARGETS_PLAIN="direct yarp nginx haproxy"
# Idle sockets measure a proxy's memory; the backend alone is not a proxy.
TARGETS_PROXIES="yarp nginx haproxy portico"
