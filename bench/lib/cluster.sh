# Cluster mode (bench/run --only cluster): Portico with the PostgreSQL store against Portico with the
# in-memory store, side by side, plus what only a cluster has: logins across two nodes, revocation
# latency across nodes, and how soon a killed node's client is served again. Sourced by bench/run.
#
# A private PostgreSQL (Debian's binaries, installed when missing) runs in the run's raw directory
# on its own port, as the postgres user when bench/run runs as root, and stops with the run.

CLUSTERPROBE_BIN=$BENCH/ClusterProbe/bin/Release/net10.0/ClusterProbe.dll

as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    log "installing Debian's postgresql"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >"$RUN/apt-postgresql.log" 2>&1 || die "apt-get install postgresql failed"
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  PG_BIN=$bin
  PG_DIR=$RUN/postgres
  PORT_PG=$((PORT_BACKEND + 50))
  port_free "$PORT_PG" || die "port $PORT_PG (PostgreSQL) is taken"
  mkdir -p "$PG_DIR"
  chmod 755 "$RUN" "$PG_DIR"
  [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$PG_DIR"
  as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C >"$RUN/initdb.log" 2>&1 || die "initdb failed; see $RUN/initdb.log"
  # A production-like server: durable commits (fsync on), as a real deployment would run it.
  cat >>"$PG_DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT_PG
unix_socket_directories = '$PG_DIR'
max_connections = 200
CONF
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >"$PG_DIR/data/pg_hba.conf"
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 start >/dev/null || die "PostgreSQL did not start; see $PG_DIR/postgres.log"
  # Pinned with the servers: the database shares the server core, as the backend does (its
  # connection processes are forked from the postmaster and inherit this).
  taskset -acp "$SERVER_CPU" "$(head -1 "$PG_DIR/data/postmaster.pid")" >/dev/null 2>&1 || true
  PG_STARTED=1
  as_postgres "$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT_PG" -U postgres portico || die "createdb failed"
  log "PostgreSQL $(basename "$(dirname "$PG_BIN")") on 127.0.0.1:$PORT_PG"
}

stop_postgres() {
  [ "${PG_STARTED:-0}" = 1 ] || return 0
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  PG_STARTED=0
}

# One more Portico from portico-bench.json on its own ports (TLS port $2, HTTP $2+1), in cluster mode
# when a node name is given.   start_portico_node TARGET TLS_PORT [NODE_NAME]   (sets LAST_PID)
start_portico_node() {
  local target=$1 port=$2 node=${3:-} config
  config="$RUN/portico-$target.json"
  sed -e "s#18040#$port#g" -e "s#18041#$((port + 1))#g" -e "s#18000#$PORT_BACKEND#g" \
      -e "s#\"dataDirectory\": *\"[^\"]*\"#\"dataDirectory\": \"$RUN/portico-data-$target\"#" "$BENCH/portico-bench.json" >"$config"
  if [ -n "$node" ]; then
    # The cluster section goes in as the last top-level field.
    sed -i '$ s#^}$#,"cluster": { "nodeName": "'"$node"'", "postgres": "Host=127.0.0.1;Port='"$PORT_PG"';Database=portico;Username=postgres" }\n}#' "$config"
  fi
  start_server "Portico ($target)" "$RUN/portico-$target.log" "${DOTNET_SERVER_ENV[@]}" dotnet "$PORTICO_BIN" --config "$config"
  wait_port "$port" "$LAST_PID" "Portico ($target)"
  SERVER_PIDS[$target]=$LAST_PID
  HTTPS_URL[$target]="https://127.0.0.1:$port/bench/"
  WS_URL[$target]="wss://127.0.0.1:$port/bench/app/bench"
  LOGIN_ARGS[$target]="--login https://127.0.0.1:$port/bench"
  NODE_BASE[$target]="https://127.0.0.1:$port/bench"
}

#   run_wrk_logins TARGET ROUND SECONDS   (no cookies: every request a new session)
run_wrk_logins() {
  local target=$1 round=$2 seconds=$3 out
  out="$RUN/wrk/logins-$target-r$round.txt"
  on_load_core $((seconds + 30)) wrk -t1 -c16 -d"${seconds}s" --timeout 5s -s "$BENCH/lua/login.lua" "${HTTPS_URL[$target]}" >"$out" 2>&1 || true
  sed -n 's/^JSON //p' "$out" | tail -1
}

scenario_cluster() {
  declare -gA HTTPS_URL WS_URL LOGIN_ARGS SERVER_PIDS NODE_BASE
  local base=$((PORT_BACKEND + 60)) round t json a b
  start_postgres
  start_portico_node memory "$base"
  start_portico_node pg "$((base + 2))" bench-a
  start_portico_node pg2 "$((base + 4))" bench-b
  start_portico_node doomed "$((base + 6))" bench-doomed
  mkdir -p "$RUN/warmup"
  warm_until_quiet https memory pg
  warm_until_quiet ws memory pg

  # 1. One node, the same load: in-memory store against PostgreSQL store, interleaved per round.
  for round in $(seq 1 "$ROUNDS"); do
    log "cluster round $round of $ROUNDS (in-memory and PostgreSQL stores side by side)"
    for t in memory pg; do run_wrk "cluster-https-c32" "$t" "$round" "${HTTPS_URL[$t]}" 32 "$HTTP_SECONDS"; done
    for t in memory pg; do
      run_load_client "cluster-ws-echo-c100" "$t" "$round" $((WS_SECONDS + 240)) echo --connections 100 --seconds "$WS_SECONDS" --message-bytes 100 \
        --measure-pids "${SERVER_PIDS[$t]}"
    done
  done

  # 2. Logins across two nodes at once (each a write-through insert), against one in-memory node.
  json=$(run_wrk_logins memory 1 "$HTTP_SECONDS"); [ -n "$json" ] || json='{}'
  record cluster-logins memory 1 "$json"
  log "cluster logins, one in-memory node: $(json_number rate "$json")/s"
  run_wrk_logins pg 1 "$HTTP_SECONDS" >"$RUN/wrk/logins-a.json" &
  a=$!
  run_wrk_logins pg2 1 "$HTTP_SECONDS" >"$RUN/wrk/logins-b.json" &
  b=$!
  wait "$a" "$b" || true
  json="{\"rate\":$(awk '{ match($0, /"rate":[0-9.]+/); s += substr($0, RSTART + 7, RLENGTH - 7) } END { printf "%.1f", s }' "$RUN/wrk/logins-a.json" "$RUN/wrk/logins-b.json")}"
  record cluster-logins two-pg-nodes 1 "$json"
  log "cluster logins, two PostgreSQL nodes together: $(json_number rate "$json")/s"

  # 3. Revocation: logout on one node, the socket on the other closes.
  json=$(on_load_core 300 "${DOTNET_LOAD_ENV[@]}" dotnet "$CLUSTERPROBE_BIN" revocation --a "${NODE_BASE[pg]}" --b "${NODE_BASE[pg2]}" --samples "${REVOCATION_SAMPLES:-100}" | grep '^{' | tail -1)
  [ -n "$json" ] || json='{}'
  record cluster-revocation pg 1 "$json"
  log "cluster revocation across nodes: $json"

  # 4. A node killed with SIGKILL: its client is served again through another node.
  json=$(on_load_core 120 "${DOTNET_LOAD_ENV[@]}" dotnet "$CLUSTERPROBE_BIN" failover --doomed "${NODE_BASE[doomed]}" --doomed-pid "${SERVER_PIDS[doomed]}" --b "${NODE_BASE[pg2]}" | grep '^{' | tail -1)
  forget_started "${SERVER_PIDS[doomed]}" 2>/dev/null || true
  [ -n "$json" ] || json='{}'
  record cluster-failover pg 1 "$json"
  log "cluster failover after SIGKILL: $json"

  stop_started
  stop_postgres
  write_cluster_report
}

# A short report from measurements.jsonl, into the run's raw directory and bench/results/cluster-report.md.
write_cluster_report() {
  local out="$RUN/cluster-report.md"
  python3 - "$RUN/measurements.jsonl" "$out" "$MODE" "$ROUNDS" "$LOAD_AT_START" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def med(scenario, target, key="rate"):
    v = [r["metrics"].get(key) for r in rows if r["scenario"] == scenario and r["target"] == target and r["metrics"].get(key) is not None]
    return (statistics.median(v), min(v), max(v)) if v else None
lines = [f"# Cluster benchmark ({sys.argv[3]} mode, {sys.argv[4]} round(s); load average at start {sys.argv[5]})", "",
         "One node each, load generator on core 0, Portico and PostgreSQL (fsync on) and the backend on core 1.",
         "The machine is shared and noisy: read ratios, not absolute figures.", "",
         "| measurement | in-memory store | PostgreSQL store | ratio (goal ≥ 0.95) |", "|---|---|---|---|"]
for scenario, label in [("cluster-https-c32", "HTTPS req/s, 32 connections"), ("cluster-ws-echo-c100", "WebSocket echo round trips/s, 100 sockets")]:
    m, p = med(scenario, "memory"), med(scenario, "pg")
    if m and p:
        lines.append(f"| {label} | {m[0]:.0f} ({m[1]:.0f}–{m[2]:.0f}) | {p[0]:.0f} ({p[1]:.0f}–{p[2]:.0f}) | {p[0] / m[0]:.2f} |")
lines += ["", "| measurement | value |", "|---|---|"]
m, p = med("cluster-logins", "memory"), med("cluster-logins", "two-pg-nodes")
if m: lines.append(f"| logins/s, one in-memory node | {m[0]:.0f} |")
if p: lines.append(f"| logins/s, two PostgreSQL nodes together | {p[0]:.0f} |")
for r in rows:
    if r["scenario"] == "cluster-revocation":
        x = r["metrics"]; lines.append(f"| revocation across nodes (logout on A → socket on B closed), {x.get('count')} samples | p50 {x.get('p50Ms')} ms, p99 {x.get('p99Ms')} ms, max {x.get('maxMs')} ms (goal p99 ≤ 1000 ms) |")
    if r["scenario"] == "cluster-failover":
        x = r["metrics"]; lines.append(f"| SIGKILL of a node → its client's socket closed / served again through another node | {x.get('socketLostMs')} ms / {x.get('servedAgainMs')} ms |")
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
  cp "$out" "$BENCH/results/cluster-report.md"
}
