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

# Release builds of Portico and the bench tools, in one MSBuild invocation (bench/Bench.slnx).
# Others may be editing src/ while this runs: if Portico does not build but an earlier Release
# build exists, that one is measured and the report says so.
build_all() {
  log "building (Release)"
  PORTICO_BUILD=current
  if ! dotnet build -c Release "$BENCH/Bench.slnx" -nologo -v quiet >"$RUN/build.log" 2>&1; then
    grep -E 'error' "$RUN/build.log" | sort -u | head -20 >&2
    local tool
    for tool in "$BACKEND_BIN" "$YARP_BIN" "$LOADCLIENT_BIN" "$SESSIONSCALE_BIN" "$REPORT_BIN"; do
      [ -f "$tool" ] || die "the bench tools do not build; see $RUN/build.log"
    done
    [ -f "$PORTICO_BIN" ] || die "Portico does not build and no earlier Release build exists; see $RUN/build.log"
    PORTICO_BUILD="stale: the current source did not build; measured the Release build of $(date -u -r "$PORTICO_BIN" +%Y-%m-%dT%H:%MZ)"
    log "warning: Portico $PORTICO_BUILD"
  fi
}
