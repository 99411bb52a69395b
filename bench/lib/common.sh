# Shared helpers of bench/run: logging, the processes we started, ports, CPU pinning, recording.
# Sourced, not run.

# The load generator gets core 0; every server (proxies and backend) gets core 1, so a proxy and
# the backend it feeds share one core, and no target can borrow the load generator's core.
LOAD_CPU=0
SERVER_CPU=1

STARTED_PIDS=()

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Ends only what this script started, by PID: TERM first, KILL whatever is still there after 5 s.
stop_started() {
  local pid deadline
  for pid in "${STARTED_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  deadline=$((SECONDS + 5))
  for pid in "${STARTED_PIDS[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  STARTED_PIDS=()
}

# Stops one server this script started (TERM, then KILL after 5 s) and forgets its PID.
stop_server() {
  local pid=$1 deadline=$((SECONDS + 5))
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  forget_started "$pid"
}

# Removes a PID from the processes stop_started ends: once a process has been waited for, its PID
# may belong to someone else's process.
forget_started() {
  local kept=() p
  for p in "${STARTED_PIDS[@]}"; do [ "$p" = "$1" ] || kept+=("$p"); done
  STARTED_PIDS=("${kept[@]}")
}

# Waits for a background job this script started (each is bounded in time by itself) and forgets it.
wait_started() {
  wait "$1" 2>/dev/null || true
  forget_started "$1"
}

# Sleeps until a Unix time in milliseconds (returns at once when it has passed).
sleep_until_ms() {
  local wait=$(($1 - $(date +%s%3N)))
  [ "$wait" -le 0 ] || sleep "$(awk -v ms="$wait" 'BEGIN { printf "%.3f", ms / 1000 }')"
}

# Appends "UNIX_MS VMRSS_KB" for a process to a file once a second (at the middle of each
# wall-clock second) from one Unix time to another, in milliseconds; ends by itself.
#   sample_rss PID FILE FROM_MS UNTIL_MS
sample_rss() {
  local pid=$1 file=$2 next=$3 until=$4
  next=$((next / 1000 * 1000 + 500))
  while [ "$next" -lt "$until" ]; do
    sleep_until_ms "$next"
    printf '%s %s\n' "$(date +%s%3N)" "$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)" >>"$file"
    next=$((next + 1000))
    # A late sample (a busy machine) skips the seconds it missed instead of catching up.
    while [ "$next" -le "$(date +%s%3N)" ]; do next=$((next + 1000)); done
  done
}

# Runs a server in the background on the server core and remembers its PID.
#   start_server NAME LOGFILE COMMAND...   (sets LAST_PID)
start_server() {
  local name=$1 logfile=$2; shift 2
  taskset -c "$SERVER_CPU" "$@" >"$logfile" 2>&1 &
  LAST_PID=$!
  STARTED_PIDS+=("$LAST_PID")
  log "started $name (pid $LAST_PID)"
}

# Waits (bounded) until 127.0.0.1:PORT accepts connections; fails if the process died first.
wait_port() {
  local port=$1 pid=$2 name=$3 deadline=$((SECONDS + ${4:-60}))
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || die "$name exited during start-up; see its log in $RUN"
    [ "$SECONDS" -lt "$deadline" ] || die "$name did not listen on 127.0.0.1:$port in time"
    sleep 0.2
  done
}

port_free() { ! ss -Htln "sport = :$1" 2>/dev/null | grep -q .; }

# A process and its children (nginx's master and worker): memory is counted over all of them.
with_children() {
  local kids
  kids=$(cat /proc/"$1"/task/*/children 2>/dev/null || true)
  echo "$1 $kids" | xargs | tr " " ","
}

# Load tools run on the load core and are always bounded in time, whatever they were asked.
#   on_load_core MAX_SECONDS COMMAND...
on_load_core() {
  local max=$1; shift
  timeout -k 5 "$max" taskset -c "$LOAD_CPU" "$@"
}

# One number from a tool's JSON line, rounded for the log.
#   json_number KEY JSON
json_number() {
  local value
  value=$(sed -n "s/.*\"$1\":\(-\{0,1\}[0-9][0-9.eE+-]*\).*/\1/p" <<<"$2")
  if [ -n "$value" ]; then printf '%.0f' "$value"; else printf '?'; fi
}

# CPU time (user + system, in clock ticks) used so far by a comma-separated list of processes.
cpu_ticks() {
  local total=0 pid
  for pid in ${1//,/ }; do
    # Fields after the command name, which is in parentheses: utime and stime are the 12th and 13th.
    total=$((total + $(sed 's/^.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')))
  done
  echo "$total"
}

# Adds the servers' CPU time per operation to a tool's JSON line: CPU used by the target's
# processes during the run divided by the operations it completed. Other programs on the machine
# change how long a run takes far more than how much CPU each request costs, so this is the
# steadier figure on a shared machine.
#   with_cpu JSON TICKS_BEFORE TICKS_AFTER
with_cpu() {
  local count
  count=$(sed -n 's/.*"count":\([0-9]*\).*/\1/p' <<<"$1")
  if [ -z "$count" ] || [ "$count" -eq 0 ]; then echo "$1"; return; fi
  sed "s/}\$/,\"cpuUsPerOp\":$(awk -v t=$(($3 - $2)) -v c="$count" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t * 1e6 / hz / c }')}/" <<<"$1"
}

# Appends one measurement: scenario, target, round and the tool's JSON result.
record() {
  printf '{"scenario":"%s","target":"%s","round":%d,"metrics":%s}\n' "$1" "$2" "$3" "$4" >>"$RUN/measurements.jsonl"
}
