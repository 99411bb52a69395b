# What the report says about the machine and the run. Sourced by bench/run.

json_string() { printf '"%s"' "$(printf '%s' "$1" | tr -d '\n\r' | sed 's/\\/\\\\/g; s/"/\\"/g')"; }

write_machine_info() {
  local cpu
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
  {
    printf '{\n'
    printf '  "date": %s,\n' "$(json_string "$(date -u +%Y-%m-%dT%H:%M:%SZ)")"
    printf '  "mode": %s,\n' "$(json_string "$MODE")"
    printf '  "rounds": %s,\n' "$(json_string "$ROUNDS")"
    printf '  "floorRounds": %s,\n' "$(json_string "${FLOOR_ROUNDS:-0}")"
    printf '  "cpu": %s,\n' "$(json_string "$cpu")"
    printf '  "cores": %s,\n' "$(json_string "$(nproc)")"
    printf '  "memory": %s,\n' "$(json_string "$(free -m | awk '/^Mem:/{print $2 " MiB"}')")"
    printf '  "kernel": %s,\n' "$(json_string "$(uname -r)")"
    printf '  "os": %s,\n' "$(json_string "$(. /etc/os-release && echo "$PRETTY_NAME")")"
    printf '  "dotnet": %s,\n' "$(json_string "$(dotnet --version) (runtime $(dotnet --list-runtimes | sed -n 's/^Microsoft.NETCore.App \([^ ]*\).*/\1/p' | tail -1))")"
    printf '  "nginx": %s,\n' "$(json_string "$(nginx -v 2>&1 | sed 's/^nginx version: //')")"
    printf '  "haproxy": %s,\n' "$(json_string "$(haproxy -v | head -1 | cut -d' ' -f1-3)")"
    printf '  "wrk": %s,\n' "$(json_string "$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)")"
    printf '  "openssl": %s,\n' "$(json_string "$(openssl version)")"
    printf '  "commit": %s,\n' "$(json_string "$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null)$(git -C "$REPO" diff --quiet HEAD -- src 2>/dev/null || echo ' (src/ has uncommitted changes)')")"
    printf '  "porticoBuild": %s,\n' "$(json_string "$PORTICO_BUILD")"
    printf '  "cpuSplit": %s,\n' "$(json_string "load generator (wrk, LoadClient, SessionScale) pinned to core $LOAD_CPU; every server (backend, bare YARP, nginx, HAProxy, Portico) pinned to core $SERVER_CPU")"
    printf '  "durations": %s,\n' "$(json_string "HTTP ${HTTP_SECONDS}s, WebSocket echo ${WS_SECONDS}s, handshakes ${HANDSHAKE_SECONDS}s per run; plain HTTP at ${HTTP_PLAIN_CONNECTIONS:-(not run)} connections, HTTPS at $HTTP_TLS_CONNECTIONS; .NET targets warmed until idle pauses cost no CPU (at most $WARMUP_MAX_BURSTS one-second bursts)")"
    printf '  "dotnetServers": %s,\n' "$(json_string "$( [ "$INLINE_IO" = 1 ] && echo "inline socket I/O (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1; Kestrel runs requests on the event threads)" || echo "socket I/O through the thread pool (the runtime's default)"); no thread-pool spinning; tiered compilation without call-counting delay")"
    printf '  "loadAverage": %s,\n' "$(json_string "${LOAD_AT_START:-?} at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end (1, 5, 15 min)")"
    printf '  "idleSockets": %s,\n' "$(json_string "$IDLE_SOCKETS")"
    printf '  "sessions": %s,\n' "$(json_string "$SESSIONS (bounded to ${SESSION_MAX_SECONDS}s)")"
    printf '  "only": %s,\n' "$(json_string "${ONLY:-}")"
    printf '  "flood": %s\n' "$(json_string "${FLOOD_SECONDS}s of cookieless requests on $FLOOD_CONNECTIONS connections; sessions.maxLiveSessions $FLOOD_MAX_SESSIONS, anonymousFirstUseGraceSeconds $FLOOD_GRACE_SECONDS, clientLimits.anonymousSessionsPerMinute 0; legitimate user at $FLOOD_USER_RATE requests/s")"
    printf '}\n'
  } >"$RUN/machine.json"
}
