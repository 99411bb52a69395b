# The scenarios. Sourced by bench/run. Each function runs one step for every target in the fixed
# order, so rounds interleave targets and slow drift of the machine hits all of them alike.

# wrk with one thread: one core is the load generator's whole budget.
#   run_wrk SCENARIO TARGET ROUND URL CONNECTIONS SECONDS
run_wrk() {
  local scenario=$1 target=$2 round=$3 url=$4 connections=$5 seconds=$6 out json
  out="$RUN/wrk/$scenario-$target-r$round.txt"
  on_load_core $((seconds + 30)) wrk -t1 -c"$connections" -d"${seconds}s" --timeout 5s \
    -s "$BENCH/lua/http.lua" "$url" >"$out" 2>&1 || true
  json=$(sed -n 's/^JSON //p' "$out" | tail -1)
  if [ -z "$json" ]; then log "warning: $scenario $target gave no result (see $out)"; return; fi
  record "$scenario" "$target" "$round" "$json"
  log "$scenario $target: $(sed 's/.*"rate":\([0-9.]*\).*/\1/' <<<"$json") req/s"
}

#   run_load_client SCENARIO TARGET ROUND MAX_SECONDS MODE ARGS...
run_load_client() {
  local scenario=$1 target=$2 round=$3 max=$4 mode=$5 out json; shift 5
  out="$RUN/ws/$scenario-$target-r$round.txt"
  # shellcheck disable=SC2086  # LOGIN_ARGS holds two words or none
  on_load_core "$max" dotnet "$LOADCLIENT_BIN" "$mode" --url "${WS_URL[$target]}" ${LOGIN_ARGS[$target]} "$@" >"$out" 2>&1 || true
  json=$(grep '^{' "$out" | tail -1)
  if [ -z "$json" ]; then log "warning: $scenario $target gave no result (see $out)"; return; fi
  record "$scenario" "$target" "$round" "$json"
  log "$scenario $target: $(grep -o '"\(rate\|bytesPerConnection\)":[0-9.]*' <<<"$json" | head -1)$(grep -o ',"failed":[1-9][0-9]*' <<<"$json" || true)"
}

# JIT and tiered compilation settle before anything is measured; nginx and HAProxy need no warm-up
# but get the same traffic so every target has seen sockets before round 1.
warm_up() {
  local t
  mkdir -p "$RUN/warmup"
  for t in $TARGETS_ALL; do
    on_load_core 60 wrk -t1 -c32 -d"${WARMUP_SECONDS}s" -s "$BENCH/lua/http.lua" "${HTTPS_URL[$t]}" >"$RUN/warmup/$t-https.txt" 2>&1 || true
    # shellcheck disable=SC2086
    on_load_core 60 dotnet "$LOADCLIENT_BIN" echo --url "${WS_URL[$t]}" ${LOGIN_ARGS[$t]} --connections 50 --seconds "$WARMUP_SECONDS" >"$RUN/warmup/$t-ws.txt" 2>&1 || true
  done
  for t in $TARGETS_PLAIN; do
    on_load_core 60 wrk -t1 -c32 -d"${WARMUP_SECONDS}s" -s "$BENCH/lua/http.lua" "${HTTP_URL[$t]}" >"$RUN/warmup/$t-http.txt" 2>&1 || true
  done
  log "warmed up"
}

scenario_http() {
  local round=$1 c t
  for c in $HTTP_PLAIN_CONNECTIONS; do
    for t in $TARGETS_PLAIN; do run_wrk "http-c$c" "$t" "$round" "${HTTP_URL[$t]}" "$c" "$HTTP_SECONDS"; done
  done
  for c in $HTTP_TLS_CONNECTIONS; do
    for t in $TARGETS_ALL; do run_wrk "https-c$c" "$t" "$round" "${HTTPS_URL[$t]}" "$c" "$HTTP_SECONDS"; done
  done
}

scenario_ws_echo() {
  local round=$1 c t
  for c in $WS_CONNECTIONS; do
    for t in $TARGETS_ALL; do
      run_load_client "ws-echo-c$c" "$t" "$round" $((WS_SECONDS + 240)) echo --connections "$c" --seconds "$WS_SECONDS" --message-bytes 100
    done
  done
}

scenario_handshake() {
  local round=$1 t
  for t in $TARGETS_ALL; do
    run_load_client "ws-handshake-p$HANDSHAKE_PARALLEL" "$t" "$round" $((HANDSHAKE_SECONDS + 150)) handshake \
      --connections "$HANDSHAKE_PARALLEL" --seconds "$HANDSHAKE_SECONDS" --message-bytes 100
  done
}

scenario_idle() {
  local round=$1 t
  for t in $TARGETS_PROXIES; do
    run_load_client "ws-idle-$IDLE_SOCKETS" "$t" "$round" 420 idle --connections "$IDLE_SOCKETS" \
      --message-bytes 100 --measure-pids "${MEMORY_PIDS[$t]}" --settle-seconds "$SETTLE_SECONDS"
  done
}

# Portico only, once: fill the session store over HTTP, then look sessions up in rotation with wrk.
# The baseline is the same lookup request with one cookie, measured before the store is filled.
scenario_sessions() {
  local base="https://127.0.0.1:$PORT_PORTICO_TLS/bench" dir="$RUN/sessions" json
  mkdir -p "$dir"
  curl -sk -o /dev/null -D "$dir/one.headers" --max-time 5 "$base/qps/user"
  sed -n 's/^[Ss]et-[Cc]ookie: X-Qlik-Session-bench=\([^;]*\).*/\1/p' "$dir/one.headers" >"$dir/one-cookie.txt"
  run_wrk_sessions sessions-lookup-baseline "$dir/one-cookie.txt"

  log "creating up to $SESSIONS sessions (bounded to ${SESSION_MAX_SECONDS}s)"
  on_load_core $((SESSION_MAX_SECONDS + 60)) dotnet "$SESSIONSCALE_BIN" --base "$base" --cookie-name X-Qlik-Session-bench \
    --out "$dir/cookies.txt" --measure-pid "$PID_PORTICO" --sessions "$SESSIONS" --max-seconds "$SESSION_MAX_SECONDS" \
    --settle-seconds "$SETTLE_SECONDS" >"$dir/fill.txt" 2>&1 || true
  json=$(grep '^{' "$dir/fill.txt" | tail -1)
  [ -n "$json" ] || { log "warning: session fill gave no result (see $dir/fill.txt)"; return; }
  record sessions-fill portico 1 "$json"
  log "sessions-fill: $(grep -o '"created":[0-9]*' <<<"$json"), $(grep -o '"bytesPerSession":[0-9.]*' <<<"$json")"
  run_wrk_sessions sessions-lookup "$dir/cookies.txt"
}

run_wrk_sessions() {
  local scenario=$1 cookies=$2 out="$RUN/sessions/$1.txt" json
  on_load_core $((LOOKUP_SECONDS + 30)) wrk -t1 -c32 -d"${LOOKUP_SECONDS}s" --timeout 5s -s "$BENCH/lua/sessions.lua" \
    "https://127.0.0.1:$PORT_PORTICO_TLS/bench/qps/user" -- "$cookies" X-Qlik-Session-bench >"$out" 2>&1 || true
  json=$(sed -n 's/^JSON //p' "$out" | tail -1)
  [ -n "$json" ] || { log "warning: $scenario gave no result (see $out)"; return; }
  record "$scenario" portico 1 "$json"
  log "$scenario: $(sed 's/.*"rate":\([0-9.]*\).*/\1/' <<<"$json") lookups/s"
}
