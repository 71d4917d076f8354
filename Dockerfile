# syntax=docker/dockerfile:1
# indgang: build with the dev tools, run the compiled dist/ with production dependencies only, as the
# unprivileged "node" user. docker build -t indgang . && docker run -p 4000:4000 indgang
FROM node:22-alpine AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY schema ./schema
COPY connectors ./connectors
COPY src ./src
COPY sandbox ./sandbox
COPY data ./data
COPY schema.graphql ./
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:22-alpine
ENV NODE_ENV=production \
    PORT=4000 \
    INDGANG_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The embedded database (when DATABASE_URL is unset) lives in /data; mount a volume there.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 4000
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s CMD wget -qO- http://127.0.0.1:4000/healthz >/dev/null || exit 1
# tracing.js starts OpenTelemetry first when OTEL_EXPORTER_OTLP_ENDPOINT is set, else does nothing.
ENTRYPOINT ["node", "--import", "./dist/src/observability/tracing.js", "dist/src/cli/main.js"]
CMD ["serve"]
