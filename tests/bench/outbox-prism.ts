// The ZGW target of the outbox benchmark: Prism (mock mode, --errors) on Open Zaak's
// documenten.yaml and zaken.yaml (tests/support/zgw-prism.ts), behind one small HTTP proxy that
// serves both under /documenten/api/v1 and /zaken/api/v1 and steers two list answers after Prism
// validated the request, as the contract test does: the zaak search answers the zaak asked for,
// and the link list is empty, so every delivery makes all five calls. Ours, the adapter alone and
// the bare peer all go through the same proxy, so its hop costs each the same.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readZgwConfig, type ZgwConfig } from '../../server/dms/zgw/config';
import { prepareOpenZaakSpecs, startPrism, type RunningPrism } from '../support/zgw-prism';
import { BENCH_RSIN } from './outbox-seed';
import { onCleanup } from './target';

export const PRISM_SECRET = 'bench-secret-bench-secret-bench-secret';

export interface PrismTarget {
  url: string;
  config: ZgwConfig;
  /** Prism's example zaak, which the steered search returns. */
  zaakUrl: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startPrismTarget(): Promise<PrismTarget> {
  const specs = prepareOpenZaakSpecs();
  const started = await Promise.allSettled([startPrism(specs.documenten, 60_000), startPrism(specs.zaken, 60_000)]);
  const prisms = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const unregister = onCleanup(() => {
    for (const p of prisms) void p.stop();
    specs.dispose();
  });
  const [documenten, zaken] = started;
  if (documenten?.status !== 'fulfilled' || zaken?.status !== 'fulfilled') {
    await Promise.all(prisms.map((p) => p.stop()));
    specs.dispose();
    unregister();
    throw new Error(`Prism did not start: ${started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'ok')).join('; ')}`);
  }
  const proxy = await startSteeringProxy(documenten.value, zaken.value);
  const env: Record<string, string> = {
    DMS_ADAPTER: 'zgw',
    ZGW_DOCUMENTEN_URL: `${proxy.url}/documenten/api/v1`,
    ZGW_ZAKEN_URL: `${proxy.url}/zaken/api/v1`,
    ZGW_CATALOGI_URL: 'https://openzaak.example.nl/catalogi/api/v1',
    ZGW_CLIENT_ID: 'keukentafel',
    ZGW_SECRET: PRISM_SECRET,
    ZGW_RSIN: BENCH_RSIN,
    ZGW_INFORMATIEOBJECTTYPE: 'https://openzaak.example.nl/catalogi/api/v1/informatieobjecttypen/7f5b0a3e-0000-4000-8000-000000000001',
  };
  // Read as the server reads it, so the in-process adapter gets every default the child gets.
  const config = readZgwConfig(env);
  if (!config.ok) {
    await proxy.close();
    await Promise.all(prisms.map((p) => p.stop()));
    specs.dispose();
    unregister();
    throw new Error(config.error);
  }
  return {
    url: proxy.url,
    config: config.config,
    zaakUrl: 'http://example.com',
    env,
    async stop() {
      await proxy.close();
      await Promise.all(prisms.map((p) => p.stop()));
      specs.dispose();
      unregister();
    },
  };
}

async function startSteeringProxy(documenten: RunningPrism, zaken: RunningPrism): Promise<{ url: string; close(): Promise<void> }> {
  const forward = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = req.url ?? '/';
    const [prefix, target] = path.startsWith('/documenten/api/v1') ? ['/documenten/api/v1', documenten.url] : ['/zaken/api/v1', zaken.url];
    const url = new URL(`${target}${path.slice(prefix.length)}`);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) headers[name] = value;
    }
    const answer = await fetch(url, { method: req.method, headers, body: chunks.length === 0 ? undefined : Buffer.concat(chunks) });
    let text = await answer.text();
    if (req.method === 'GET' && answer.ok && url.pathname === '/zaken') {
      const page = JSON.parse(text) as { results: { identificatie: string }[] };
      for (const r of page.results) r.identificatie = url.searchParams.get('identificatie') ?? r.identificatie;
      text = JSON.stringify(page);
    }
    if (req.method === 'GET' && answer.ok && url.pathname === '/zaakinformatieobjecten') text = '[]';
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(text);
  };
  const server: Server = createServer((req, res) => {
    forward(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
