/**
 * The image's HEALTHCHECK: `node dist/adapters/http/healthcheck.js`. Slim Node images have no curl,
 * so Node itself asks /healthz. Exit 0 when it answers 200, 1 otherwise (Docker's contract).
 */
const port = process.env.PORT && /^\d+$/.test(process.env.PORT) ? process.env.PORT : '3000';

try {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(4_000) });
  process.exit(res.status === 200 ? 0 : 1);
} catch {
  process.exit(1);
}
