# The scenarios. Sourced by bench/run. Each function runs one step for every target in the fixed
# order, so rounds interleave targets and slow drift of the machine hits all of them alike.

# wrk with one thread: one core is the load generator's whole budget.
#   run_wrk SCENARIO TARGET ROUND URL CONNECTIONS SECONDS
run_wrk() {
  local scenario=$1 target=$2 round=$3 url=$4 connections=$5 seconds=$6 out json before
  out="$RUN/wrk/$scenario-$target-r$round.txt"
  before=$(cpu_ticks "${SERVER_PIDS[$target]}")
  on_load_core $((seconds + 30)) wrk -t1 -c"$connections" -d"${seconds}s" --timeout 5s \
    -s "$BENCH/lua/http.lua" "$url" >"$out" 2>&1 || true
  json=$(sed -n 's/^JSON //p' "$out" | tail -1)
  if [ -z "$json" ]; then log "warning: $scenario $target gave no result (see $out)"; return; fi
  json=$(with_cpu "$json" "$before" "$(cpu_ticks "${SERVER_PIDS[$target]}")")
  record "$scenario" "$target" "$round" "$json"
  log "$scenario $target: $(json_number rate "$json") req/s, p99 $(json_number p99Ms "$json") ms, $(json_number cpuUsPerOp "$json") µs CPU per request"
}

#   run_load_client SCENARIO TARGET ROUND MAX_SECONDS MODE ARGS...
run_load_client() {
  local scenario=$1 target=$2 round=$3 max=$4 mode=$5 out json before; shift 5
  out="$RUN/ws/$scenario-$target-r$round.txt"
  before=$(cpu_ticks "${SERVER_PIDS[$target]}")
  # shellcheck disable=SC2086  # LOGIN_ARGS holds two words or none
  on_load_core "$max" "${DOTNET_LOAD_ENV[@]}" dotnet "$LOADCLIENT_BIN" "$mode" --url "${WS_URL[$target]}" ${LOGIN_ARGS[$target]} "$@" >"$out" 2>&1 || true
  json=$(grep '^{' "$out" | tail -1)
  if [ -z "$json" ]; then log "warning: $scenario $target gave no result (see $out)"; return; fi
  # Echo measures its own CPU per round trip (the loops only, given --measure-pids); for handshakes
  # it covers the whole run, each loop's login included; idle has no rate.
  case $json in *'"cpuUsPerOp"'*) ;; *) [ "$mode" = idle ] || json=$(with_cpu "$json" "$before" "$(cpu_ticks "${SERVER_PIDS[$target]}")") ;; esac
  record "$scenario" "$target" "$round" "$json"
  if [ "$mode" = idle ]; then
    log "$scenario $target: $(json_number bytesPerConnection "$json") bytes per socket, $(json_number count "$json") of $(json_number opened "$json") still echo"
  else
    log "$scenario $target: $(json_number rate "$json")/s, p99 $(json_number p99Ms "$json") ms, $(json_number cpuUsPerOp "$json") µs CPU per operation, failed $(json_number failed "$json")"
  fi
}

# The .NET targets must run their steady-state code before anything is measured. Tiered
# compilation promotes hot methods in the background, and while the shared core is busy serving,
# that background work barely runs: a cold Portico can spend three times its steady CPU per
# request for a minute under continuous load. So warm-up is bursts of traffic with pauses, and a
# target is warm when a pause after a burst costs it (almost) no CPU, i.e. nothing is left to
# compile. The .NET targets burst in parallel; nginx and HAProxy need no warm-up.
#   warm_until_quiet URL_KIND TARGET...     (URL_KIND: https or ws)
warm_until_quiet() {
  local kind=$1 burst t ticks quiet still loads min_bursts=3; shift
  # WebSocket bursts come after the HTTPS ones, which already compiled most of the shared code.
  [ "$kind" = https ] || min_bursts=2
  local pending=("$@")
  declare -A before
  for burst in $(seq 1 "$WARMUP_MAX_BURSTS"); do
    loads=()
    for t in "${pending[@]}"; do
      if [ "$kind" = https ]; then
        on_load_core 30 wrk -t1 -c32 -d1s -s "$BENCH/lua/http.lua" "${HTTPS_URL[$t]}" >>"$RUN/warmup/$t-$kind.txt" 2>&1 &
      else
        # shellcheck disable=SC2086  # LOGIN_ARGS holds two words or none
        on_load_core 60 "${DOTNET_LOAD_ENV[@]}" dotnet "$LOADCLIENT_BIN" echo --url "${WS_URL[$t]}" ${LOGIN_ARGS[$t]} \
          --connections 20 --seconds 1 >>"$RUN/warmup/$t-$kind.txt" 2>&1 &
      fi
      loads+=($!)
    done
    wait "${loads[@]}" || true
    for t in "${pending[@]}"; do before[$t]=$(cpu_ticks "${SERVER_PIDS[$t]}"); done
    sleep 1
    quiet=(); still=()
    for t in "${pending[@]}"; do
      ticks=$(( $(cpu_ticks "${SERVER_PIDS[$t]}") - before[$t] ))
      if [ "$burst" -ge "$min_bursts" ] && [ "$ticks" -le 2 ]; then quiet+=("$t"); else still+=("$t"); fi
    done
    [ ${#quiet[@]} -eq 0 ] || log "warm-up ($kind): ${quiet[*]} quiet after $burst bursts"
    [ ${#still[@]} -gt 0 ] || return 0
    pending=("${still[@]}")
  done
  log "warning: warm-up ($kind): ${pending[*]} still compiling after $WARMUP_MAX_BURSTS bursts"
}

warm_up() {
  mkdir -p "$RUN/warmup"
  warm_until_quiet https direct yarp portico
  # The backend's echo is warmed through the proxies in front of it.
  warm_until_quiet ws yarp portico
}

scenario_http() {
  local round=$1 c t
  # shellcheck disable=SC2153  # set by set_mode
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
      run_load_client "ws-echo-c$c" "$t" "$round" $((WS_SECONDS + 240)) echo --connections "$c" --seconds "$WS_SECONDS" --message-bytes 100 \
        --measure-pids "${SERVER_PIDS[$t]}"
    done
  done
}

scenario_handshake() {
  local round=$1 t
  for t in $TARGETS_ALL; do
    run_load_client "ws-handshake-p$HANDSHAKE_PARALLEL" "$t" "$round" $((HANDSHAKE_SECONDS + 150)) handshake \
      --connections "$HANDSHAKE_PARALLEL" --seconds "$HANDSHAKE_SECONDS" --message-bytes 100 --measure-pids "${SERVER_PIDS[$t]}"
  done
}

# The floor (Portico against bare YARP) side by side: both proxies loaded at the same time, each by
# its own load generator on the load core, sharing the server core. Interleaved runs of one target
# minutes apart differ by more than the 10% the floor allows on this shared machine (the same
# build gave 0.83 and 1.13 of bare YARP in two runs); loaded together, whatever else the machine
# does hits both alike, and the per-round ratio of two identical builds stays within a few percent.
# Scenario ids get a "pair-" prefix; the report takes the floor from the per-round ratios.
scenario_floor() {
  local round=$1 c start pids
  for c in $HTTP_TLS_CONNECTIONS; do
    pids=()
    for t in yarp portico; do
      run_wrk "pair-https-c$c" "$t" "$round" "${HTTPS_URL[$t]}" "$c" "$HTTP_SECONDS" & pids+=($!)
    done
    wait "${pids[@]}"
  done
  # WebSocket clients log in and open their sockets first (Portico's take longer), then both start
  # their measured loops at the same moment.
  for c in $WS_CONNECTIONS; do
    start=$(( $(date +%s%3N) + 3000 + 12 * c )); pids=()
    for t in yarp portico; do
      run_load_client "pair-ws-echo-c$c" "$t" "$round" $((WS_SECONDS + 240)) echo --connections "$c" --seconds "$WS_SECONDS" \
        --message-bytes 100 --measure-pids "${SERVER_PIDS[$t]}" --start-at "$start" & pids+=($!)
    done
    wait "${pids[@]}"
  done
  start=$(( $(date +%s%3N) + 3000 + 12 * HANDSHAKE_PARALLEL )); pids=()
  for t in yarp portico; do
    run_load_client "pair-ws-handshake-p$HANDSHAKE_PARALLEL" "$t" "$round" $((HANDSHAKE_SECONDS + 150)) handshake \
      --connections "$HANDSHAKE_PARALLEL" --seconds "$HANDSHAKE_SECONDS" --message-bytes 100 --measure-pids "${SERVER_PIDS[$t]}" --start-at "$start" & pids+=($!)
  done
  wait "${pids[@]}"
}

# Each proxy is restarted (and a .NET one warmed) before it holds the idle sockets: memory that a
# process committed for an earlier, larger peak (echo with 1,000 sockets, or the previous round's
# idle sockets) would otherwise take the new sockets in and hide what they cost.
restart_proxy() {
  local t=$1 round=$2
  case $t in
    yarp) stop_server "$PID_YARP" ;;
    nginx) stop_server "$PID_NGINX" ;;
    haproxy) stop_server "$PID_HAPROXY" ;;
    portico) stop_server "$PID_PORTICO" ;;
  esac
  mv -f "$RUN/$t.log" "$RUN/$t-before-idle-r$round.log" 2>/dev/null || true
  case $t in
    yarp) start_yarp ;;
    nginx) start_nginx ;;
    haproxy) start_haproxy ;;
    portico) start_portico ;;
  esac
  describe_targets
  case $t in
    yarp|portico) warm_until_quiet https "$t"; warm_until_quiet ws "$t" ;;
  esac
}

scenario_idle() {
  local round=$1 t
  for t in $TARGETS_PROXIES; do
    restart_proxy "$t" "$round"
    run_load_client "ws-idle-$IDLE_SOCKETS" "$t" "$round" 420 idle --connections "$IDLE_SOCKETS" \
      --message-bytes 100 --measure-pids "${SERVER_PIDS[$t]}" --settle-seconds "$SETTLE_SECONDS"
  done
}

# Portico only, once: fill the session store over HTTP, then look sessions up in rotation with wrk.
# Portico is restarted first, so the store holds only these sessions and earlier scenarios leave
# no garbage for the GC to return in the middle of the measurement. The new process gets a 4 MiB
# gen0 budget: a server GC's default budget swings RSS by tens of megabytes, more than 20,000
# sessions weigh, and a small one lets RSS follow live data. The baseline is the same lookup
# request with one cookie, measured before the store is filled.
scenario_sessions() {
  local base="https://127.0.0.1:$PORT_PORTICO_TLS/bench" dir="$RUN/sessions" json
  mkdir -p "$dir"
  stop_server "$PID_PORTICO"
  mv "$RUN/portico.log" "$RUN/portico-scenarios.log"
  start_portico DOTNET_GCgen0size=0x400000
  SERVER_PIDS[portico]=$PID_PORTICO
  warm_until_quiet https portico
  curl -sk -o /dev/null -D "$dir/one.headers" --max-time 5 "$base/qps/user"
  sed -n 's/^[Ss]et-[Cc]ookie: X-Qlik-Session-bench=\([^;]*\).*/\1/p' "$dir/one.headers" >"$dir/one-cookie.txt"
  run_wrk_sessions sessions-lookup-baseline "$dir/one-cookie.txt"

  log "creating up to $SESSIONS sessions (bounded to ${SESSION_MAX_SECONDS}s)"
  on_load_core $((SESSION_MAX_SECONDS + 60)) "${DOTNET_LOAD_ENV[@]}" dotnet "$SESSIONSCALE_BIN" --base "$base" --cookie-name X-Qlik-Session-bench \
    --out "$dir/cookies.txt" --measure-pid "$PID_PORTICO" --sessions "$SESSIONS" --max-seconds "$SESSION_MAX_SECONDS" \
    --settle-seconds "$SETTLE_SECONDS" >"$dir/fill.txt" 2>&1 || true
  json=$(grep '^{' "$dir/fill.txt" | tail -1)
  [ -n "$json" ] || { log "warning: session fill gave no result (see $dir/fill.txt)"; return; }
  record sessions-fill portico 1 "$json"
  log "sessions-fill: $(json_number created "$json") sessions in $(json_number seconds "$json") s (logins/s: first tenth $(json_number rateFirstTenth "$json"), last tenth $(json_number rateLastTenth "$json")); $(json_number bytesPerSession "$json") bytes per session"
  run_wrk_sessions sessions-lookup "$dir/cookies.txt"
}

run_wrk_sessions() {
  local scenario=$1 cookies=$2 out="$RUN/sessions/$1.txt" json
  on_load_core $((LOOKUP_SECONDS + 30)) wrk -t1 -c32 -d"${LOOKUP_SECONDS}s" --timeout 5s -s "$BENCH/lua/sessions.lua" \
    "https://127.0.0.1:$PORT_PORTICO_TLS/bench/qps/user" -- "$cookies" X-Qlik-Session-bench >"$out" 2>&1 || true
  json=$(sed -n 's/^JSON //p' "$out" | tail -1)
  [ -n "$json" ] || { log "warning: $scenario gave no result (see $out)"; return; }
  record "$scenario" portico 1 "$json"
  log "$scenario: $(json_number rate "$json") lookups/s, p99 $(json_number p99Ms "$json") ms"
}

# The anonymous flood, Portico only, on a Portico started for it: a session cap low enough that the
# flood reaches it (sessions.maxLiveSessions), a first-use grace short enough that sessions end
# during the run, and no per-client limit (all load comes from 127.0.0.1; the point is the cap and
# the expiry). wrk sends cookieless requests as fast as the load core can for FLOOD_SECONDS: every
# answer 200 made a session. From FLOOD_BEFORE_SECONDS before the flood to FLOOD_AFTER_SECONDS
# after it (long enough for the grace and the expiry sweep to end what it made), every second:
# live sessions (Portico's meter, read by dotnet-counters), Portico's VmRSS, wrk's answers by
# status; and a legitimate user, logged in once before, sends requests at FLOOD_USER_RATE per second
# (LoadClient steady). The raw files stay in $RUN/flood; the report reads them.
scenario_flood() {
  local dir="$RUN/flood" base="https://127.0.0.1:$PORT_PORTICO_TLS/bench" lead=6
  local start before_at flood_at flood_until end seconds counters_pid="" sampler_pid user_pid wrk_started wrk_ended json user peak before during
  mkdir -p "$dir"
  install_counters
  if [ -n "${PID_PORTICO:-}" ]; then
    stop_server "$PID_PORTICO"
    mv -f "$RUN/portico.log" "$RUN/portico-before-flood.log"
  fi
  PORTICO_CONFIG_NAME=portico-flood \
  PORTICO_SET="maxLiveSessions=$FLOOD_MAX_SESSIONS anonymousFirstUseGraceSeconds=$FLOOD_GRACE_SECONDS anonymousSessionsPerMinute=0" \
    start_portico
  declare -gA HTTPS_URL SERVER_PIDS
  HTTPS_URL[portico]="$base/"
  SERVER_PIDS[portico]=$PID_PORTICO
  mkdir -p "$RUN/warmup"
  warm_until_quiet https portico

  # The flood starts on a whole second, so wrk's per-second counts line up with the samples.
  start=$(date +%s%3N)
  flood_at=$(( (start + (lead + FLOOD_BEFORE_SECONDS) * 1000) / 1000 * 1000 + 1000 ))
  before_at=$((flood_at - FLOOD_BEFORE_SECONDS * 1000))
  flood_until=$((flood_at + FLOOD_SECONDS * 1000))
  end=$((flood_until + FLOOD_AFTER_SECONDS * 1000))
  log "anonymous flood: cap $FLOOD_MAX_SESSIONS sessions, grace ${FLOOD_GRACE_SECONDS}s, ${FLOOD_SECONDS}s of cookieless requests on $FLOOD_CONNECTIONS connections; sampling from ${FLOOD_BEFORE_SECONDS}s before to ${FLOOD_AFTER_SECONDS}s after"

  if [ -n "$COUNTERS_BIN" ]; then
    # dotnet-counters needs a couple of seconds to attach: it starts now, well before the samples.
    seconds=$(( (end - start) / 1000 + 2 ))
    on_load_core $((seconds + 30)) env DOTNET_CLI_TELEMETRY_OPTOUT=1 "$COUNTERS_BIN" collect -p "$PID_PORTICO" --counters Portico \
      --format json -o "$dir/counters.json" --refresh-interval 1 \
      --duration "$(printf '00:%02d:%02d:%02d' $((seconds / 3600)) $((seconds / 60 % 60)) $((seconds % 60)))" >"$dir/counters.log" 2>&1 &
    counters_pid=$!
    STARTED_PIDS+=("$counters_pid")
  fi
  sample_rss "$PID_PORTICO" "$dir/rss.txt" "$before_at" "$end" &
  sampler_pid=$!
  STARTED_PIDS+=("$sampler_pid")
  on_load_core $(( (end - start) / 1000 + 90 )) "${DOTNET_LOAD_ENV[@]}" dotnet "$LOADCLIENT_BIN" steady --url "$base/" --login "$base" \
    --rate "$FLOOD_USER_RATE" --seconds $(( (end - before_at) / 1000 )) --start-at "$before_at" \
    --window-from "$flood_at" --window-until "$flood_until" --measure-pids "$PID_PORTICO" >"$dir/user.txt" 2>&1 &
  user_pid=$!
  STARTED_PIDS+=("$user_pid")

  sleep_until_ms "$flood_at"
  wrk_started=$(date +%s%3N)
  on_load_core $((FLOOD_SECONDS + 30)) wrk -t1 -c"$FLOOD_CONNECTIONS" -d"${FLOOD_SECONDS}s" --timeout 5s \
    -s "$BENCH/lua/flood.lua" "$base/" >"$dir/wrk.txt" 2>&1 || true
  wrk_ended=$(date +%s%3N)
  json=$(sed -n 's/^JSON //p' "$dir/wrk.txt" | tail -1)
  if [ -n "$json" ]; then
    log "anonymous flood: $(json_number count "$json") requests, $(sed -n 's/.*"statuses":{\([^}]*\)}.*/\1/p' <<<"$json" | tr -d '"' | sed 's/,/, /g') (status: answers)"
  else
    log "warning: the flood gave no result (see $dir/wrk.txt)"
  fi

  sleep_until_ms "$end"
  wait_started "$sampler_pid"
  wait_started "$user_pid"
  [ -z "$counters_pid" ] || wait_started "$counters_pid"
  cat >"$dir/settings.json" <<JSON
{"maxLiveSessions":$FLOOD_MAX_SESSIONS,"graceSeconds":$FLOOD_GRACE_SECONDS,"floodSeconds":$FLOOD_SECONDS,"beforeSeconds":$FLOOD_BEFORE_SECONDS,"afterSeconds":$FLOOD_AFTER_SECONDS,"connections":$FLOOD_CONNECTIONS,"userRate":$FLOOD_USER_RATE,"floodFromMs":$flood_at,"floodUntilMs":$flood_until,"wrkStartedMs":$wrk_started,"wrkEndedMs":$wrk_ended,"samplesFromMs":$before_at,"samplesUntilMs":$end,"counters":"$( [ -n "$COUNTERS_BIN" ] && echo "dotnet-counters $COUNTERS_VERSION")"}
JSON
  user=$(grep '^{' "$dir/user.txt" | tail -1)
  peak=$(grep -o '"value": *[0-9]*' "$dir/counters.json" 2>/dev/null | grep -o '[0-9]*$' | sort -n | tail -1)
  # json_number takes a key's last occurrence: the run's totals come before its phases.
  before=${user#*\"before\":}; during=${user#*\"during\":}
  log "anonymous flood: peak live sessions ${peak:-not measured} (cap $FLOOD_MAX_SESSIONS); legitimate user: p99 $(json_number p99Ms "${before%%\}*}") ms before, $(json_number p99Ms "${during%%\}*}") ms during, failed $(json_number failed "${user%%\"statuses\"*}") of $(json_number count "${user%%\"statuses\"*}")"
}
