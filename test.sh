#!/usr/bin/env bash
# Runs every Portico test. Installs what the tests need when it is missing (Node.js packages for
# the real enigma.js client; Debian packages on a fresh machine, Chromium for the browser tests),
# starts nothing that outlives it, and ends with one summary line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_packages=()
command -v node >/dev/null 2>&1 || apt_packages+=(nodejs)
command -v npm >/dev/null 2>&1 || apt_packages+=(npm)
# The browser tests drive Debian's Chromium; no browser is ever downloaded.
[ -x /usr/bin/chromium ] || apt_packages+=(chromium)
# The deployment tests verify the systemd unit in deploy/ with systemd-analyze.
command -v systemd-analyze >/dev/null 2>&1 || apt_packages+=(systemd)
# The cluster tests start private PostgreSQL servers of their own from Debian's binaries (no container).
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || apt_packages+=(postgresql)
if [ ${#apt_packages[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${apt_packages[*]}"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi

# A copy of the lock file is left in node_modules once `npm ci` succeeded: a changed lock file installs again.
if ! cmp -s tests/clients/package-lock.json tests/clients/node_modules/.portico-installed-lock; then
  echo "Installing npm packages for tests/clients"
  (cd tests/clients && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.portico-installed-lock) \
    || { echo "0 passed, 1 failed"; exit 1; }
fi

# The samples' own packages (samples/package.json), installed the same way.
if ! cmp -s samples/package-lock.json samples/node_modules/.portico-installed-lock; then
  echo "Installing npm packages for samples"
  (cd samples && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.portico-installed-lock) \
    || { echo "0 passed, 1 failed"; exit 1; }
fi

results=TestResults
rm -rf "$results"
dotnet test Portico.slnx --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" \
  --blame-hang-timeout 5m -- RunConfiguration.TreatNoTestsAsError=true
status=$?

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  total=$(get total); executed=$(get executed); p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); a=$(get aborted)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
  skipped=$((skipped + ${total:-0} - ${executed:-0}))
done

# A build failure or crash leaves fewer result files than test projects: count it as a failure.
projects=$(grep -c 'Path="tests/.*Tests\.csproj"' Portico.slnx)
if [ "$files" -lt "$projects" ] || { [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
