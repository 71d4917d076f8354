/**
 * OpenTelemetry traces for HTTP, Fastify, GraphQL (operations and resolvers) and pg, exported by OTLP
 * over HTTP, only when OTEL_EXPORTER_OTLP_ENDPOINT is set (the standard OTEL_* variables apply:
 * OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_HEADERS, …). Load it before anything else:
 * `node --import ./dist/src/observability/tracing.js dist/src/cli/main.js serve` (npm run start:prod
 * does). Without the variable it does nothing and loads nothing.
 */
import { register } from 'node:module';

if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) {
  // Lets the instrumentations patch ES modules as well as CommonJS ones.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  const [
    { NodeSDK },
    { OTLPTraceExporter },
    { HttpInstrumentation },
    { FastifyOtelInstrumentation },
    { GraphQLInstrumentation },
    { PgInstrumentation },
  ] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/instrumentation-http'),
    import('@fastify/otel'),
    import('@opentelemetry/instrumentation-graphql'),
    import('@opentelemetry/instrumentation-pg'),
  ]);
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME || 'indgang',
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => /^\/(healthz|readyz|metrics)\b/.test(req.url ?? '') }),
      // Spans for the server's routes and hooks, registered on every Fastify instance as it is created.
      new FastifyOtelInstrumentation({ registerOnInitialization: true }),
      // Resolver spans, but not one per trivial field; never the variables (personal data).
      new GraphQLInstrumentation({ ignoreTrivialResolveSpans: true, allowValues: false }),
      new PgInstrumentation(),
    ],
  });
  sdk.start();
  const shutdown = () => void sdk.shutdown().catch(() => {});
  process.once('beforeExit', shutdown);
}

export {};
