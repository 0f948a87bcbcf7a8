#!/usr/bin/env bash
# The shipping checks, for .ci/run: the Dockerfile and Kubernetes manifests offline, then the image
# built and run with podman. Needs root (apt-get installs podman); runs on a fresh clone.
# Prints each part's own closing line and the time it took; exits non-zero if either part failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund

status=0
t0=$(date +%s)
npm run -s check:deploy || status=1
t1=$(date +%s)
echo "check:deploy took $((t1 - t0)) s"
bash scripts/container-smoke.sh || status=1
echo "container smoke took $(($(date +%s) - t1)) s"
exit $status
