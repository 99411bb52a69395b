#!/usr/bin/env bash
# Signs an RS256 JWT for the demo's /jwt/ virtual proxy with the published demo key (local use only).
# Usage: samples/jwt/make-token.sh [userId] [userDirectory]
set -euo pipefail
key="$(dirname "$0")/demo-jwt-private-key.pem"
user="${1:-alice}"
directory="${2:-DEMO}"
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
payload=$(printf '{"userId":"%s","userDirectory":"%s","aud":"portico-demo","iat":%d,"exp":%d}' "$user" "$directory" "$now" $((now + 600)) | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$key" -binary | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature"
