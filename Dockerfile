# Media Gateway: one image for every role (serve --role all|api|worker).
#   podman build -t media-gateway .            (or docker build)
#   podman run -p 3000:3000 -v mg-data:/data -e MG_PUBLIC_URL=http://localhost:3000 media-gateway
# BASE_IMAGE is any Debian-based image with Node.js 24 and npm; CI builds on a local one made with
# debootstrap (scripts/container-test.sh), because no registry but npm's and Debian's is reachable.
ARG BASE_IMAGE=docker.io/library/node:24-bookworm-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /app
COPY . .
# Installs, builds the web app and the embedded database template (postinstall), then drops
# development-only packages. TypeScript runs through tsx at run time (decision 0004).
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund \
  && rm -rf apps/web/src apps/web/test apps/*/test packages/*/test packages/*/bench packages/*/eval apps/*/bench

FROM ${BASE_IMAGE}
# tini as PID 1: signals reach node, zombies are reaped.
RUN command -v tini >/dev/null 2>&1 || (apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*) \
  && (getent group mg >/dev/null || groupadd --system --gid 10001 mg) \
  && (getent passwd mg >/dev/null || useradd --system --uid 10001 --gid mg --home-dir /app --shell /usr/sbin/nologin mg) \
  && mkdir -p /data && chown mg:mg /data
WORKDIR /app
COPY --from=build --chown=root:root /app /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    MG_DATA_DIR=/data
USER mg
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["tini", "--", "node", "/app/apps/cli/bin/media-gateway.js"]
CMD ["serve"]
