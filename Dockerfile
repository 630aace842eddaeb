# syntax=docker/dockerfile:1
# pi5-trading: the API server and paper-trading session (`pi5 serve`) in a container.
#
#   docker compose up -d                       # with PostgreSQL (TimescaleDB) and Redis: docker-compose.yml
#   docker build -t pi5-trading .
#   docker run --init -p 127.0.0.1:8080:8080 -v pi5-data:/data -e PI5_ADMIN_PASSWORD pi5-trading
#   docker run --init --rm -v pi5-data:/data pi5-trading db status       # any other pi5 command
#
# Multi-arch: nothing here is architecture-specific, so the same file builds for linux/arm64 (Raspberry Pi 5)
# and linux/amd64; `docker buildx build --platform linux/arm64,linux/amd64 .` builds both.
# Signals: node runs as PID 1 and handles SIGTERM itself (graceful shutdown: the step in flight finishes,
# connections close). Run with `--init` (compose: `init: true`) so a tiny init reaps zombies and forwards signals.
# Node: the current LTS line by default; the code needs Node >= 20 (`--build-arg NODE_VERSION=22` etc.).

ARG NODE_VERSION=26

# ---- build: all dependencies, compile TypeScript to dist/ ----
FROM node:${NODE_VERSION}-trixie-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would run the build before the sources are here; it runs explicitly below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY web ./web
COPY src ./src
COPY bench ./bench
RUN npm run build

# ---- prod-deps: production dependencies only (no TypeScript, eslint, vitest...) ----
FROM node:${NODE_VERSION}-trixie-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no `prepare` build here (no sources, no dev dependencies). esbuild (used by tsx to load
# user strategies written in TypeScript) finds its platform binary in its optional @esbuild/* package.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# ---- runtime ----
FROM node:${NODE_VERSION}-trixie-slim AS runtime
ENV NODE_ENV=production \
    PI5_HOST=0.0.0.0 \
    PI5_PORT=8080 \
    PI5_DATA_DIR=/data
WORKDIR /app
# The data volume belongs to the unprivileged `node` user (uid 1000) that the official image provides;
# a new named volume takes this ownership. A bind-mounted directory must be writable by uid 1000.
# pg_dump/pg_restore for `pi5 db backup|restore` and the server's daily backups (Debian's client, PostgreSQL 17,
# dumps and restores the compose stack's PostgreSQL 16).
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/*
RUN mkdir -p /data /backups && chown node:node /data /backups
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/web ./dist/web
COPY package.json README.md ./
COPY docs ./docs
USER node
VOLUME /data
EXPOSE 8080
# No curl in slim images: node's fetch. The first start (migrations, first-run admin) can take a while on a Pi.
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PI5_PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["serve"]
