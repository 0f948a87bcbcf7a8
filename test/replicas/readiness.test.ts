import { afterEach, describe, expect, it } from 'vitest';
import { storeReadiness } from '../../adapters/http/readiness.js';
import { createHttpServer, type HttpServer } from '../../adapters/http/server.js';
import { silentLogger } from '../../src/logger.js';
import { registry } from '../../src/metrics.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import type { Store } from '../../src/store/types.js';
import { dropSchema, freshSchema, PG_UP, PG_URL } from '../store/backends.js';
import { startProxy, type CuttableProxy } from './tcp-proxy.js';

describe.skipIf(!PG_UP)('readiness on PostgreSQL', () => {
  let http: HttpServer | undefined;
  let store: Store | undefined;
  let proxy: CuttableProxy | undefined;
  const schema = freshSchema('ready');
  afterEach(async () => {
    await http?.close(100);
    await store?.close();
    await proxy?.close();
    await dropSchema(schema);
  });

  it('given the database stops answering, /readyz fails with a real query while /healthz stays up, and recovers when it is back', async () => {
    const target = new URL(PG_URL);
    proxy = await startProxy(Number(target.port || 5432), target.hostname);
    const viaProxy = new URL(PG_URL);
    viaProxy.port = String(proxy.port);
    store = await openPostgresStore({ url: viaProxy.toString(), schema, connectTimeoutMs: 500 });
    const s = store;
    http = createHttpServer({ port: 0, host: '127.0.0.1', log: silentLogger, registry, checks: () => [storeReadiness(s, () => true)] });
    const base = `http://127.0.0.1:${(await http.listen()).port}`;

    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    await proxy.cut();
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ ready: false, checks: { store: false } });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    await proxy.restore();
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });
});
