#!/bin/sh
# Starts the test identity provider (tests/clients/saml/idp.mjs, samlify) on http://127.0.0.1:7080
# with the demo signing key of this folder, whose metadata samples/saml/portico.json holds.
# Published key: for this sample only, never for a real identity provider. Ends with Ctrl-C.
#   samples/saml/idp.sh        (from the repository root; needs tests/clients' npm packages)
set -e
here=$(cd "$(dirname "$0")" && pwd)
input=$(node -e '
const fs = require("fs");
console.log(JSON.stringify({
  privateKeyPem: fs.readFileSync(process.argv[1] + "/demo-idp-private-key.pem", "utf8"),
  certificatePem: fs.readFileSync(process.argv[1] + "/demo-idp-certificate.pem", "utf8"),
  port: 7080,
}));' "$here")
cd "$here/../../tests/clients"
exec node saml/idp.mjs "$input"
