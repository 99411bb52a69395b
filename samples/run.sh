#!/bin/sh
# A sample's whole local try in one command, e.g. samples/run.sh oidc (samples/README.md): the
# providers it needs, Portico on the sample's config, the sample's Node.js script, then everything
# stopped again. The work is done by run.mjs (also on Windows: node samples/run.mjs oidc).
if ! command -v node >/dev/null 2>&1; then
  echo "samples/run.sh: Node.js 20 or later is needed (e.g. apt-get install nodejs npm)" >&2
  exit 2
fi
exec node "$(dirname "$0")/run.mjs" "$@"
