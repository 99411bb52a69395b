# Starting the targets. Sourced by bench/run. Everything listens on 127.0.0.1 only.

BACKEND_BIN=$BENCH/Backend/bin/Release/net10.0/Backend.dll
YARP_BIN=$BENCH/BareYarp/bin/Release/net10.0/BareYarp.dll
PORTICO_BIN=$REPO/src/Portico/bin/Release/net10.0/Portico.dll
LOADCLIENT_BIN=$BENCH/LoadClient/bin/Release/net10.0/LoadClient.dll
SESSIONSCALE_BIN=$BENCH/SessionScale/bin/Release/net10.0/SessionScale.dll
REPORT_BIN=$BENCH/Report/bin/Release/net10.0/Report.dll

# Every .NET server here (backend, bare YARP, Portico) runs with the same three settings:
# - a Kestrel server with default settings spins on its idle worker threads and eats the core
#   the others share;
# - tiered compilation normally waits for 100 ms without any new method before it promotes hot
#   code, which a busy process rarely gets; without the wait the warm-up reaches the same
#   steady-state code (tier 1 with PGO) in seconds instead of minutes;
# - inline socket I/O (INLINE_IO, on by default): the runtime runs socket completions on its event
#   threads instead of queueing each to the thread pool, and bare YARP and Portico then run their
#   requests there too (Kestrel's UnsafePreferInlineScheduling). On one shared core that spares a
#   thread switch per read and write. It is a deployment setting, for servers whose request path
#   never blocks a thread; INLINE_IO=0 measures the runtime's default instead.
DOTNET_SERVER_ENV=(env DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 DOTNET_TC_CallCountingDelayMs=0 DOTNET_CLI_TELEMETRY_OPTOUT=1
                   "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=$INLINE_IO")
# The load tools start cold for every run; they reach optimized code quickly this way, and their
# code quality only has to be good enough to keep ahead of one proxy.
DOTNET_LOAD_ENV=(env DOTNET_TC_CallCountingDelayMs=0 DOTNET_TieredPGO=0 DOTNET_CLI_TELEMETRY_OPTOUT=1)

# The default port block is 18000-18041 (the numbers in bench/portico-bench.json); a busy block
# moves the whole set up by 100, at most nine times.
pick_ports() {
  local base offset busy
  for base in 18000 18100 18200 18300 18400 18500 18600 18700 18800 18900; do
    busy=0
    for offset in 0 1 10 11 20 21 30 31 40 41; do
      port_free $((base + offset)) || { busy=1; break; }
    done
    if [ "$busy" -eq 0 ]; then
      PORT_BACKEND=$base; PORT_BACKEND_TLS=$((base + 1))
      PORT_YARP=$((base + 10)); PORT_YARP_TLS=$((base + 11))
      PORT_NGINX=$((base + 20)); PORT_NGINX_TLS=$((base + 21))
      PORT_HAPROXY=$((base + 30)); PORT_HAPROXY_TLS=$((base + 31))
      PORT_PORTICO_TLS=$((base + 40)); PORT_PORTICO_HTTP=$((base + 41))
      return
    fi
  done
  die "no free block of loopback ports between 18000 and 18999"
}

# One self-signed ECDSA P-256 certificate for the backend, bare YARP, nginx and HAProxy: the same
# key type as Portico's generated development certificate, so every TLS handshake costs the same.
make_certificate() {
  mkdir -p "$RUN/tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj /CN=127.0.0.1 -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$RUN/tls/key.pem" -out "$RUN/tls/cert.pem" 2>/dev/null || die "openssl could not make a certificate"
  cat "$RUN/tls/cert.pem" "$RUN/tls/key.pem" >"$RUN/tls/cert-and-key.pem"
}

# Fills @NAME@ placeholders of a template.
render() {
  sed -e "s#@RUN@#$RUN#g" -e "s#@CERT@#$RUN/tls/cert.pem#g" -e "s#@KEY@#$RUN/tls/key.pem#g" \
      -e "s#@CERT_AND_KEY@#$RUN/tls/cert-and-key.pem#g" -e "s#@BACKEND_HTTP@#$PORT_BACKEND#g" \
      -e "s#@NGINX_HTTP@#$PORT_NGINX#g" -e "s#@NGINX_HTTPS@#$PORT_NGINX_TLS#g" \
      -e "s#@HAPROXY_HTTP@#$PORT_HAPROXY#g" -e "s#@HAPROXY_HTTPS@#$PORT_HAPROXY_TLS#g" "$1" >"$2"
}

start_backend() {
  start_server backend "$RUN/backend.log" "${DOTNET_SERVER_ENV[@]}" dotnet "$BACKEND_BIN" \
    --http "$PORT_BACKEND" --https "$PORT_BACKEND_TLS" --cert "$RUN/tls/cert.pem" --key "$RUN/tls/key.pem"
  PID_BACKEND=$LAST_PID
  wait_port "$PORT_BACKEND" "$PID_BACKEND" backend
}

start_yarp() {
  start_server "bare YARP" "$RUN/yarp.log" "${DOTNET_SERVER_ENV[@]}" dotnet "$YARP_BIN" \
    --http "$PORT_YARP" --https "$PORT_YARP_TLS" --backend "http://127.0.0.1:$PORT_BACKEND" \
    --cert "$RUN/tls/cert.pem" --key "$RUN/tls/key.pem"
  PID_YARP=$LAST_PID
  wait_port "$PORT_YARP_TLS" "$PID_YARP" "bare YARP"
}

start_nginx() {
  mkdir -p "$RUN/nginx-temp"
  render "$BENCH/conf/nginx.conf.in" "$RUN/nginx.conf"
  start_server nginx "$RUN/nginx.log" nginx -p "$RUN" -c "$RUN/nginx.conf" -e "$RUN/nginx-error.log"
  PID_NGINX=$LAST_PID
  wait_port "$PORT_NGINX_TLS" "$PID_NGINX" nginx
  # The master binds the ports before it forks its worker; memory must count the worker too.
  local deadline=$((SECONDS + 10))
  until [ -n "$(cat /proc/"$PID_NGINX"/task/*/children 2>/dev/null)" ]; do
    [ "$SECONDS" -lt "$deadline" ] || die "nginx started no worker"
    sleep 0.1
  done
}

start_haproxy() {
  render "$BENCH/conf/haproxy.cfg.in" "$RUN/haproxy.cfg"
  # -db: stay in the foreground as one process, so its PID is the proxy and nothing else.
  start_server haproxy "$RUN/haproxy.log" haproxy -db -f "$RUN/haproxy.cfg"
  PID_HAPROXY=$LAST_PID
  wait_port "$PORT_HAPROXY_TLS" "$PID_HAPROXY" haproxy
}

# bench/portico-bench.json with this run's ports and data directory (a fresh development
# certificate and fresh data-protection keys every run).
#   start_portico [NAME=VALUE...]    extra runtime settings for this Portico process
# PORTICO_SET, when set, holds "setting=number" words that replace the numbers of those settings
# of portico-bench.json for this start (each must be there); the configuration is then rendered to
# $RUN/PORTICO_CONFIG_NAME.json (default portico-bench.json), so the raw directory keeps both.
start_portico() {
  local config="$RUN/${PORTICO_CONFIG_NAME:-portico-bench}.json" edits setting
  edits=(-e "s#18040#$PORT_PORTICO_TLS#g" -e "s#18041#$PORT_PORTICO_HTTP#g" -e "s#18000#$PORT_BACKEND#g"
         -e "s#\"dataDirectory\": *\"[^\"]*\"#\"dataDirectory\": \"$RUN/portico-data\"#")
  for setting in ${PORTICO_SET:-}; do
    grep -q "\"${setting%%=*}\": *[0-9]" "$BENCH/portico-bench.json" || die "portico-bench.json has no numeric setting ${setting%%=*}"
    edits+=(-e "s#\"${setting%%=*}\": *[0-9]*#\"${setting%%=*}\": ${setting#*=}#")
  done
  sed "${edits[@]}" "$BENCH/portico-bench.json" >"$config"
  start_server Portico "$RUN/portico.log" "${DOTNET_SERVER_ENV[@]}" "$@" dotnet "$PORTICO_BIN" --config "$config"
  PID_PORTICO=$LAST_PID
  wait_port "$PORT_PORTICO_TLS" "$PID_PORTICO" Portico
}

# How to reach each target. Portico serves its virtual proxy under /bench and only over TLS.
describe_targets() {
  declare -gA HTTP_URL HTTPS_URL WS_URL LOGIN_ARGS SERVER_PIDS
  HTTP_URL=([direct]="http://127.0.0.1:$PORT_BACKEND/" [yarp]="http://127.0.0.1:$PORT_YARP/"
            [nginx]="http://127.0.0.1:$PORT_NGINX/" [haproxy]="http://127.0.0.1:$PORT_HAPROXY/")
  HTTPS_URL=([direct]="https://127.0.0.1:$PORT_BACKEND_TLS/" [yarp]="https://127.0.0.1:$PORT_YARP_TLS/"
             [nginx]="https://127.0.0.1:$PORT_NGINX_TLS/" [haproxy]="https://127.0.0.1:$PORT_HAPROXY_TLS/"
             [portico]="https://127.0.0.1:$PORT_PORTICO_TLS/bench/")
  WS_URL=([direct]="wss://127.0.0.1:$PORT_BACKEND_TLS/app/bench" [yarp]="wss://127.0.0.1:$PORT_YARP_TLS/app/bench"
          [nginx]="wss://127.0.0.1:$PORT_NGINX_TLS/app/bench" [haproxy]="wss://127.0.0.1:$PORT_HAPROXY_TLS/app/bench"
          [portico]="wss://127.0.0.1:$PORT_PORTICO_TLS/bench/app/bench")
  LOGIN_ARGS=([direct]="" [yarp]="" [nginx]="" [haproxy]="" [portico]="--login https://127.0.0.1:$PORT_PORTICO_TLS/bench")
  # The processes whose memory and CPU time count as the target's (the backend's own are not
  # counted for a proxy: it does the same work behind every proxy).
  SERVER_PIDS=([direct]="$PID_BACKEND" [yarp]="${PID_YARP:-}" [nginx]="$(with_children "${PID_NGINX:-}")" [haproxy]="${PID_HAPROXY:-}" [portico]="${PID_PORTICO:-}")
}

# Every target answers what the scenarios expect before anything is measured.
smoke_check() {
  local t url headers
  for t in $TARGETS_ALL; do
    url=${HTTPS_URL[$t]}
    headers=$(curl -sk -o /dev/null -D - --max-time 5 -H "Origin: https://mashup.bench.test" "$url") || die "$t does not answer $url"
    grep -q '^HTTP/[0-9.]* 200' <<<"$headers" || die "$t answered $url with: $(head -1 <<<"$headers")"
  done
  # The loop ends with Portico: its answer must carry the configured header and a session cookie.
  grep -qi '^strict-transport-security: max-age=31536000' <<<"$headers" || die "Portico did not send the configured Strict-Transport-Security"
  grep -qi '^set-cookie: X-Qlik-Session-bench=' <<<"$headers" || die "Portico did not log the anonymous client in"
  for t in $TARGETS_PLAIN; do
    curl -s -o /dev/null --max-time 5 -w '%{http_code}' "${HTTP_URL[$t]}" | grep -q 200 || die "$t does not answer ${HTTP_URL[$t]}"
  done
  log "every target answers"
}
