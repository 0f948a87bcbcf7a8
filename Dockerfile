# The k8s tutor bot: `docker build -t k8s-tutor .` then see docs/deploy.md.
#
# BASE is any Debian-based image with Node.js >= 20.9 and npm (Node 20 is past end of life: use 22 or 24).
# CI builds with a stand-in made from Debian and the machine's own Node (scripts/container-smoke.sh):
#   podman build --build-arg BASE=localhost/node-standin:ci .
ARG BASE=node:22-bookworm-slim

# --- 1. production dependencies ------------------------------------------------------------
# better-sqlite3 is a native module: it uses a prebuilt binary when one can be downloaded and
# compiles with python3/make/g++ otherwise, so the toolchain lives in this stage only.
FROM ${BASE} AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# Node images ship their headers in /usr/local/include/node; using them means node-gyp downloads nothing.
ENV npm_config_nodedir=/usr/local
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- 2. compile TypeScript -------------------------------------------------------------------
# tsc needs only the type packages, so no install scripts run (nothing native is built twice).
FROM ${BASE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY adapters ./adapters
RUN npm run build

# --- 3. runtime --------------------------------------------------------------------------------
FROM ${BASE}
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=3000 \
    METRICS_PORT=9464 \
    HOST=0.0.0.0 \
    LOG_FORMAT=json \
    NODE_OPTIONS="--expose-gc --max-semi-space-size=4" \
    MALLOC_MMAP_THRESHOLD_=131072
# NODE_OPTIONS, the same as `npm start` and the notes bench: the app collects garbage once after indexing the
# notes (src/knowledge/collect.ts; an idle bot otherwise keeps ~200 MB of build temporaries at 100,000 notes),
# and 4 MB semi-spaces instead of the 16 V8 grows to keep ~25 MB less of young generation (README, Notes at scale).
# MALLOC_MMAP_THRESHOLD_ (glibc) fixes the size from which memory is mapped on its own at 128 KB: by default glibc
# raises it after each large free, so the index's freed typed arrays after a reload stayed in the heap instead
# of going back to the system (measured at 100,000 notes after an edit: 296-302 MB without, 258-280 MB with).
WORKDIR /app
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The notes the bot teaches; the loader finds knowledge/README.md by walking up from dist/.
COPY knowledge ./knowledge
# Files stay owned by root (the app cannot change itself); only the data volume is the user's.
RUN mkdir -p /data && chown 1000:1000 /data
# A numeric user, so Kubernetes' runAsNonRoot can verify it (uid 1000 is `node` in Node images).
USER 1000:1000
VOLUME ["/data"]
EXPOSE 3000 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["node", "dist/adapters/http/healthcheck.js"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/adapters/main.js"]
