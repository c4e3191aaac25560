# syntax=docker/dockerfile:1.7
#
# One image for every boxoffice process. The Deployment chooses the process by its arguments:
#   args: ["dist/services/catalog/main.js"]     (catalog | search | booking | edge | indexer)
# The image's entry point is node itself, so `docker run IMAGE dist/services/edge/main.js` works too.
#
#   docker build -t boxoffice:dev .
#   npm run image          # where no registry is reachable: podman, bases built from packages
#   docker run --rm --network host -e AUTH_MODE=dev boxoffice:dev   # embedded demo, dev sign-in from this machine
#
# Stages: production dependencies only (no dev tools in the image), a build with the full
# toolchain (tsc, Vite), and a distroless runtime (no shell, no package manager) running as the
# unprivileged uid 65532. Install scripts are not run: no runtime dependency needs one
# (package-lock.json has no hasInstallScript entry), and npm 11 does not run them either.

ARG NODE_VERSION=20.20.2
# The published bases. Where no registry is reachable, scripts/image/build.sh (npm run image)
# assembles stand-ins from Debian packages and npm and passes them here as build arguments.
ARG BUILD_BASE=node:${NODE_VERSION}-bookworm-slim
ARG RUNTIME_BASE=gcr.io/distroless/nodejs20-debian12:nonroot

# ---- production node_modules -------------------------------------------------------------------
FROM ${BUILD_BASE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
# npm ls: npm 10 can end `npm ci` with status 0 after a failed fetch ("Exit handler never
# called!"), which would leave a broken node_modules in a cached layer; the tree is checked instead.
# Type declarations and source maps are for editors and debuggers, not the runtime: they were
# a quarter of the image: 260 MB with them, 193 MB without (the stripe SDK alone ships 14 MB).
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm ls --omit=dev >/dev/null \
 && find node_modules -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \) -delete

# ---- build: TypeScript to dist/ ----------------------------------------------------------------
FROM ${BUILD_BASE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund \
 && npm ls >/dev/null
# patches/ fix dependencies in place (patch-package, a dev tool, so it runs here); the runtime
# stage takes each patched package from this stage.
COPY patches ./patches
RUN npx patch-package --error-on-fail
COPY tsconfig.json tsconfig.build.json ./
# npm run build first checks gen/ against the contracts (scripts/proto/gen-digest.mjs).
COPY proto ./proto
COPY buf.gen.yaml ./
COPY scripts/proto/gen-digest.mjs ./scripts/proto/
# ...and the OpenAPI generator, an input of gen/openapi that the same check digests.
COPY scripts/openapi ./scripts/openapi
COPY gen ./gen
COPY services ./services
COPY web ./web
# The services into dist/, the web app (Vite) into web/dist, which the edge serves (EDGE_WEB_ROOT).
RUN npm run build \
 && npm run build:web \
 && mkdir -p /out/web \
 && cp -r dist package.json /out/ \
 && cp -r web/dist /out/web/

# ---- runtime -----------------------------------------------------------------------------------
# The distroless Node.js image matching NODE_VERSION's major (or base.sh's stand-in with the same
# layout where it cannot be pulled); its entry point is node.
FROM ${RUNTIME_BASE} AS runtime
WORKDIR /app
# BOXOFFICE_DATA_DIR only matters to the embedded demo (the default command): keep nothing on disk.
# AUTH_MODE=jwks fails closed: a process started from the image without its auth settings stops
# with "AUTH_JWKS_URL is required" instead of minting dev tokens (the manifests set AUTH_MODE).
# HOST: a container's loopback is its own, so the demo's edge listens on every interface; dev
# sign-in, when asked for (AUTH_MODE=dev), still answers only callers on the loopback.
ENV NODE_ENV=production BOXOFFICE_DATA_DIR=memory AUTH_MODE=jwks HOST=0.0.0.0
# Every process starts with the tracing preload, which hooks pg, ioredis and http before the app
# imports them, and does nothing unless OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/tracing.md).
# In NODE_OPTIONS rather than the Deployments' args, so `args: [dist/services/<name>/main.js]`
# stays the whole command, for the manifests and `docker run` alike.
ENV NODE_OPTIONS="--import=/app/dist/services/shared/tracing/register.js"
# Owned by root and read-only to the process, which runs as 65532.
COPY --from=prod-deps /app/node_modules ./node_modules
# patches/@connectrpc+connect+*.patch: malformed request bodies are INVALID_ARGUMENT, not INTERNAL.
COPY --from=build /app/node_modules/@connectrpc/connect ./node_modules/@connectrpc/connect
COPY --from=build /out/ ./
USER 65532:65532
# edge HTTP; internal gRPC; admin HTTP (/metrics, /healthz, /readyz)
EXPOSE 8080 50051 50052 50053 9101 9102 9103
# No HEALTHCHECK: Kubernetes probes the process (grpc.health.v1 and the admin port).
CMD ["dist/services/platform/main.js"]
