#!/usr/bin/env bash
# Builds the tutor's image with podman and runs it as a fresh, unconfigured container would run:
# no chat settings, read-only root filesystem. Checks /healthz, /readyz, /metrics, the HEALTHCHECK,
# a non-root user, and that SIGTERM stops it with exit code 0. `npm run smoke:container`.
#
# Runs as root on a Debian 12 machine that reaches only the npm registry and Debian's archive:
# there is no Docker engine and no container registry, so the Dockerfile's BASE is replaced by a
# stand-in made with debootstrap plus this machine's own Node.js and npm (and Node's headers, so
# better-sqlite3 compiles without downloading anything). crun can't run on this host's hybrid
# cgroup v1, and CAP_SYS_RESOURCE is dropped, hence runc and ulimits no higher than the host's.
#
# Settings: SMOKE_PORT (host port, default 18091), KEEP_IMAGES=0 to delete the images afterwards,
#           REBUILD_BASE=1 to remake the stand-in base image.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PORT=${SMOKE_PORT:-18091}
METRICS_HOST_PORT=${SMOKE_METRICS_PORT:-18092}
IMAGE=localhost/k8s-tutor:ci
BASE=localhost/node-standin:ci
WORK=$(mktemp -d)
started=$(date +%s)
passed=0
failed=0
cid=""

log() { printf '[smoke %3ss] %s\n' "$(($(date +%s) - started))" "$*"; }
pass() { passed=$((passed + 1)); log "ok   - $1"; }
fail() { failed=$((failed + 1)); log "FAIL - $1"; }
check() { # check "what" command...
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
finish() {
  if [ -n "$cid" ]; then
    if [ "$failed" -gt 0 ]; then log "container logs:"; podman logs "$cid" 2>&1 | tail -40; fi
    podman rm -f -t 2 "$cid" >/dev/null 2>&1 || true
  fi
  if [ "${KEEP_IMAGES:-1}" = 0 ]; then podman rmi -f "$IMAGE" "$BASE" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
  log "total time $(($(date +%s) - started)) s"
  echo "container smoke: $passed passed, $failed failed"
  [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}
trap 'finish; exit $?' EXIT
trap 'exit 130' INT TERM

# --- tools -------------------------------------------------------------------------------------
export DEBIAN_FRONTEND=noninteractive
if [ "$(id -u)" != 0 ]; then fail "must run as root (installs podman with apt, builds a rootfs)"; exit 1; fi
log "installing podman, buildah, runc, debootstrap with apt"
apt-get update -qq >/dev/null
if ! apt-get install -y -qq --no-install-recommends podman buildah runc catatonit debootstrap uidmap curl ca-certificates >/dev/null; then
  fail "apt-get install podman buildah runc debootstrap"; exit 1
fi
NODE=$(command -v node) || { fail "node is not on PATH"; exit 1; }
NPM_DIR=$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)
NODE_HEADERS=$(dirname "$NODE")/../include/node
[ -d "$NODE_HEADERS" ] || NODE_HEADERS=/usr/include/node

cat > "$WORK/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=32768:32768"]
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF="$WORK/containers.conf"

# --- stand-in base image -----------------------------------------------------------------------
if [ "${REBUILD_BASE:-0}" = 1 ] || ! podman image exists "$BASE"; then
  log "making the stand-in base image $BASE (debootstrap bookworm + node $("$NODE" -v))"
  rootfs="$WORK/rootfs"
  if ! debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1; then
    tail -20 "$WORK/debootstrap.log"; fail "debootstrap bookworm"; exit 1
  fi
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  install -D -m755 "$NODE" "$rootfs/usr/local/bin/node"
  mkdir -p "$rootfs/usr/local/lib/node_modules" "$rootfs/usr/local/include" "$rootfs/etc/ssl/certs"
  cp -a "$NPM_DIR" "$rootfs/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  # Where official Node images keep their headers, so the Dockerfile's npm_config_nodedir=/usr/local holds here too.
  [ -d "$NODE_HEADERS" ] && cp -a "$NODE_HEADERS" "$rootfs/usr/local/include/node"
  cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/"
  chroot "$rootfs" sh -c 'groupadd -g 1000 node && useradd -u 1000 -g node -m -s /bin/bash node'
  if ! tar -C "$rootfs" -c . | podman import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change 'CMD ["node"]' - "$BASE" >/dev/null; then
    fail "podman import of the stand-in base"; exit 1
  fi
  rm -rf "$rootfs"
fi

# --- build ---------------------------------------------------------------------------------------
log "building $IMAGE"
build_started=$(date +%s)
# --jobs 2: the TypeScript stage runs beside the native-module stage (two cores here).
if podman build --jobs 2 --pull=never --format docker --build-arg BASE="$BASE" -t "$IMAGE" "$ROOT" >"$WORK/build.log" 2>&1; then
  pass "image builds from the Dockerfile ($(($(date +%s) - build_started)) s)"
else
  tail -40 "$WORK/build.log"; fail "image builds from the Dockerfile"; exit 1
fi
size=$(podman image inspect "$IMAGE" --format '{{.Size}}')
log "image size $((size / 1024 / 1024)) MiB"

# --- run as an unconfigured container, read-only like the Kubernetes manifests ------------------
# No systemd here to time the HEALTHCHECK: switch its timer off and run it by hand below.
cid=$(podman run -d --health-interval disable --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges -p "127.0.0.1:$PORT:3000" -p "127.0.0.1:$METRICS_HOST_PORT:9464" "$IMAGE" 2>"$WORK/run.err") || { cat "$WORK/run.err"; fail "container starts"; exit 1; }
base_url="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -fsS -m 2 "$base_url/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

check "/healthz answers 200" curl -fsS -m 3 -o /dev/null "$base_url/healthz"
check "/readyz answers 200 with the store open" sh -c "curl -fsS -m 3 '$base_url/readyz' | grep -q '\"store\":true'"
# /metrics is on METRICS_PORT (9464) only, never on PORT, which an ingress for Slack may publish.
check "/metrics is not served on PORT" sh -c "test \"\$(curl -s -m 3 -o /dev/null -w '%{http_code}' '$base_url/metrics')\" = 404"
curl -fsS -m 3 "http://127.0.0.1:$METRICS_HOST_PORT/metrics" >"$WORK/metrics.txt" 2>/dev/null
check "/metrics has the tutor's metrics" grep -q '^# TYPE tutor_commands_total counter' "$WORK/metrics.txt"
check "/metrics has the process metrics" grep -q '^process_resident_memory_bytes' "$WORK/metrics.txt"
uid=$(podman exec "$cid" id -u 2>/dev/null)
check "runs as a non-root user (uid ${uid:-?})" test -n "$uid" -a "$uid" != 0
check "the data volume is writable by that user" podman exec "$cid" sh -c 'touch /data/.probe && rm /data/.probe'
check "the image's HEALTHCHECK passes" podman healthcheck run "$cid"
check "logs that no chat platform is configured" sh -c "podman logs '$cid' 2>&1 | grep -q 'no chat platform is configured'"

stop_started=$(date +%s)
podman stop -t 10 "$cid" >/dev/null 2>&1
stop_secs=$(($(date +%s) - stop_started))
code=$(podman inspect "$cid" --format '{{.State.ExitCode}}')
check "SIGTERM stops it with exit code 0 (got $code after ${stop_secs} s)" test "$code" = 0 -a "$stop_secs" -lt 10
check "its log says the shutdown completed" sh -c "podman logs '$cid' 2>&1 | grep -q 'shutdown complete'"
