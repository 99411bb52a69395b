# Tools and builds. Sourced by bench/run.

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# wrk, nginx and HAProxy from Debian, installed when missing. The packages' own services are not
# used: bench/run starts private instances with generated configurations.
install_tools() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v nginx >/dev/null || missing+=(nginx)
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v curl >/dev/null || missing+=(curl)
  command -v taskset >/dev/null || missing+=(util-linux)
  [ ${#missing[@]} -eq 0 ] && return
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >"$RUN/apt.log" 2>&1 \
    || die "apt-get install failed; see $RUN/apt.log"
}

# dotnet-counters reads Portico's meter (portico.sessions.live) from outside, through the runtime's
# diagnostic port. It is installed once into bench/.tools (not committed). Without it the flood
# still runs, but its live sessions are not measured, and the report says so.
COUNTERS_VERSION=10.0.750501
install_counters() {
  COUNTERS_BIN=$BENCH/.tools/dotnet-counters
  [ -x "$COUNTERS_BIN" ] && [ -d "$BENCH/.tools/.store/dotnet-counters/$COUNTERS_VERSION" ] && return 0
  log "installing dotnet-counters $COUNTERS_VERSION into bench/.tools"
  [ ! -e "$COUNTERS_BIN" ] || dotnet tool uninstall dotnet-counters --tool-path "$BENCH/.tools" >>"$RUN/tools.log" 2>&1 || true
  dotnet tool install dotnet-counters --version "$COUNTERS_VERSION" --tool-path "$BENCH/.tools" >>"$RUN/tools.log" 2>&1 && return 0
  log "warning: dotnet-counters could not be installed (see $RUN/tools.log); the flood's live sessions will not be measured"
  COUNTERS_BIN=""
}

# True when some source of Portico or of the bench tools is newer than the oldest build output.
# A no-op MSBuild pass costs tens of seconds on a busy machine; this check costs milliseconds.
needs_build() {
  local bin oldest=""
  for bin in "$BACKEND_BIN" "$YARP_BIN" "$LOADCLIENT_BIN" "$SESSIONSCALE_BIN" "$REPORT_BIN" "$PORTICO_BIN" ${CLUSTERPROBE_BIN:+"$CLUSTERPROBE_BIN"}; do
    [ -f "$bin" ] || return 0
    if [ -z "$oldest" ] || [ "$bin" -ot "$oldest" ]; then oldest=$bin; fi
  done
  [ -n "$(find "$BENCH" "$REPO/src/Portico" "$REPO/src/Portico.DemoEngine" "$REPO"/Directory.*.props "$REPO/global.json" \
      \( -name bin -o -name obj -o -name results -o -name .tools \) -prune -o -type f \
      \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.slnx' -o -name '*.json' \) \
      -newer "$oldest" -print -quit)" ]
}

# Release builds of Portico and the bench tools, in one MSBuild invocation (bench/Bench.slnx).
# Others may be editing src/ while this runs: if Portico does not build but an earlier Release
# build exists, that one is measured and the report says so.
build_all() {
  PORTICO_BUILD="current source ($(date -u -r "$PORTICO_BIN" +%Y-%m-%dT%H:%MZ 2>/dev/null || echo new))"
  if ! needs_build; then
    log "builds are up to date"
    return
  fi
  local tool
  log "building (Release)"
  if dotnet build -c Release "$BENCH/Bench.slnx" -nologo -v quiet >"$RUN/build.log" 2>&1; then
    PORTICO_BUILD="current source ($(date -u -r "$PORTICO_BIN" +%Y-%m-%dT%H:%MZ))"
    return
  fi
  grep -E 'error' "$RUN/build.log" | sort -u | head -20 >&2
  if grep -q "$BENCH/[^ ]*: error" "$RUN/build.log"; then die "the bench tools do not build; see $RUN/build.log"; fi
  for tool in "$BACKEND_BIN" "$YARP_BIN" "$LOADCLIENT_BIN" "$SESSIONSCALE_BIN" "$REPORT_BIN"; do
    [ -f "$tool" ] || die "the bench tools are not built; see $RUN/build.log"
  done
  [ -f "$PORTICO_BIN" ] || die "Portico does not build and no earlier Release build exists; see $RUN/build.log"
  PORTICO_BUILD="stale: the current source did not build; measured the Release build of $(date -u -r "$PORTICO_BIN" +%Y-%m-%dT%H:%MZ)"
  log "warning: Portico $PORTICO_BUILD"
}
