// A stateful fake of the ZGW Documenten and Zaken APIs (node:http) for what a static mock such as
// Prism cannot do: (bronorganisatie, identificatie) unique (400 "identificatie-niet-uniek" on a
// second create), zaken to find, zaakinformatieobjecten unique per pair, JWT-ZGW verified with the
// secret (HS256, claims present), and faults: a create that commits and then answers too late,
// 5xx for a number of calls, a 400 with invalidParams.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify, type JWTPayload } from 'jose';

export interface FakeDocument {
  url: string;
  body: Record<string, unknown>;
}

export interface FakeZgw {
  documentenUrl: string;
  zakenUrl: string;
  catalogiUrl: string;
  documents: FakeDocument[];
  links: { url: string; zaak: string; informatieobject: string }[];
  /** Every request: method, path with query, status answered, JWT claims when valid. */
  requests: { method: string; path: string; status: number; claims: JWTPayload | null }[];
  /** Zaak identificatie → its URL; add with addZaak. */
  addZaak(identificatie: string, bronorganisatie: string): string;
  /** The next N requests (any) answer this status (5xx, 429) without doing anything. */
  failNext(count: number, status?: number): void;
  /** The next create of a document is stored and then answered after `ms` (beyond the client's timeout). */
  commitThenDelayNextCreate(ms: number): void;
  /** The next create of a document answers 400 with these invalidParams (nothing stored). */
  refuseNextCreate(invalidParams: { name: string; code: string; reason: string }[]): void;
  close(): Promise<void>;
}

export async function startFakeZgw(secret: string): Promise<FakeZgw> {
  const documents: FakeDocument[] = [];
  const links: FakeZgw['links'] = [];
  const zaken = new Map<string, { url: string; bronorganisatie: string }>();
  const requests: FakeZgw['requests'] = [];
  let failures: { count: number; status: number } = { count: 0, status: 503 };
  let delayNextCreate: number | null = null;
  let refuseNext: { name: string; code: string; reason: string }[] | null = null;
  const key = new TextEncoder().encode(secret);
  const pending = new Set<ReturnType<typeof setTimeout>>();
  let base = '';

  const send = (res: ServerResponse, status: number, body: unknown): void => {
    const json = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' });
    res.end(json);
  };
  const invalid = (res: ServerResponse, invalidParams: { name: string; code: string; reason: string }[]): number => {
    send(res, 400, { type: 'about:blank', code: 'invalid', title: 'Invalid input.', status: 400, detail: '', invalidParams });
    return 400;
  };

  async function claimsOf(req: IncomingMessage): Promise<JWTPayload | null> {
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Bearer ')) return null;
    try {
      const { payload } = await jwtVerify(header.slice(7), key, { algorithms: ['HS256'] });
      for (const claim of ['iss', 'iat', 'client_id', 'user_id', 'user_representation']) if (!(claim in payload)) return null;
      return payload;
    } catch {
      return null;
    }
  }

  async function readBody(req: IncomingMessage): Promise<Record<string, unknown> | null> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    try {
      const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<number> {
    const url = new URL(req.url ?? '/', base);
    const route = `${req.method} ${url.pathname}`;
    const body = req.method === 'POST' ? await readBody(req) : null;

    if (failures.count > 0) {
      failures.count -= 1;
      send(res, failures.status, { title: 'Service unavailable', status: failures.status });
      return failures.status;
    }

    switch (route) {
      case 'GET /documenten/api/v1/enkelvoudiginformatieobjecten': {
        const results = documents
          .filter((d) => ['bronorganisatie', 'identificatie'].every((f) => !url.searchParams.has(f) || d.body[f] === url.searchParams.get(f)))
          .map((d) => ({ url: d.url, ...d.body, inhoud: `${d.url}/download` }));
        send(res, 200, { count: results.length, next: null, previous: null, results });
        return 200;
      }
      case 'POST /documenten/api/v1/enkelvoudiginformatieobjecten': {
        if (body === null) return invalid(res, [{ name: 'nonFieldErrors', code: 'parse_error', reason: 'Ongeldige JSON.' }]);
        if (refuseNext !== null) {
          const params = refuseNext;
          refuseNext = null;
          return invalid(res, params);
        }
        const missing = ['bronorganisatie', 'creatiedatum', 'titel', 'auteur', 'taal', 'informatieobjecttype'].filter((f) => typeof body[f] !== 'string' || body[f] === '');
        if (missing.length > 0) return invalid(res, missing.map((name) => ({ name, code: 'required', reason: 'Dit veld is vereist.' })));
        if (documents.some((d) => d.body.bronorganisatie === body.bronorganisatie && d.body.identificatie === body.identificatie)) {
          return invalid(res, [{ name: 'identificatie', code: 'identificatie-niet-uniek', reason: 'Deze identificatie bestaat al voor deze bronorganisatie' }]);
        }
        const doc = { url: `${base}/documenten/api/v1/enkelvoudiginformatieobjecten/${randomUUID()}`, body };
        documents.push(doc);
        const answer = { url: doc.url, ...body, inhoud: `${doc.url}/download`, versie: 1, locked: false };
        if (delayNextCreate !== null) {
          const ms = delayNextCreate;
          delayNextCreate = null;
          await new Promise<void>((resolve) => {
            const t = setTimeout(() => {
              pending.delete(t);
              resolve();
            }, ms);
            pending.add(t);
          });
          if (!res.destroyed) send(res, 201, answer);
          return 201;
        }
        send(res, 201, answer);
        return 201;
      }
      case 'GET /zaken/api/v1/zaken': {
        const results = [...zaken.entries()]
          .filter(([id, z]) => (!url.searchParams.has('identificatie') || id === url.searchParams.get('identificatie')) && (!url.searchParams.has('bronorganisatie') || z.bronorganisatie === url.searchParams.get('bronorganisatie')))
          .map(([identificatie, z]) => ({ url: z.url, identificatie, bronorganisatie: z.bronorganisatie }));
        send(res, 200, { count: results.length, next: null, previous: null, results });
        return 200;
      }
      case 'GET /zaken/api/v1/zaakinformatieobjecten': {
        const io = url.searchParams.get('informatieobject');
        send(res, 200, links.filter((l) => io === null || l.informatieobject === io));
        return 200;
      }
      case 'POST /zaken/api/v1/zaakinformatieobjecten': {
        if (body === null || typeof body.zaak !== 'string' || typeof body.informatieobject !== 'string') {
          return invalid(res, [{ name: 'zaak', code: 'required', reason: 'Dit veld is vereist.' }]);
        }
        if (![...zaken.values()].some((z) => z.url === body.zaak)) return invalid(res, [{ name: 'zaak', code: 'does_not_exist', reason: 'Ongeldige hyperlink - Object bestaat niet.' }]);
        if (!documents.some((d) => d.url === body.informatieobject)) return invalid(res, [{ name: 'informatieobject', code: 'bad-url', reason: 'Ongeldige URL.' }]);
        if (links.some((l) => l.zaak === body.zaak && l.informatieobject === body.informatieobject)) {
          return invalid(res, [{ name: 'nonFieldErrors', code: 'unique', reason: 'De velden zaak, informatieobject moeten een unieke set zijn.' }]);
        }
        const link = { url: `${base}/zaken/api/v1/zaakinformatieobjecten/${randomUUID()}`, zaak: body.zaak, informatieobject: body.informatieobject };
        links.push(link);
        send(res, 201, link);
        return 201;
      }
      default:
        send(res, 404, { title: 'Niet gevonden', status: 404 });
        return 404;
    }
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = req.url ?? '/';
      const claims = await claimsOf(req);
      if (claims === null) {
        // Drain the body so the client sees the answer, not a reset.
        for await (const _ of req) void _;
        send(res, 403, { code: 'permission_denied', title: 'Authenticatiegegevens zijn niet geldig.', status: 403 });
        requests.push({ method: req.method ?? '', path, status: 403, claims: null });
        return;
      }
      const entry = { method: req.method ?? '', path, status: 0, claims };
      requests.push(entry);
      try {
        entry.status = await handle(req, res);
      } catch {
        if (!res.headersSent) send(res, 500, { title: 'fake error', status: 500 });
        entry.status = 500;
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    documentenUrl: `${base}/documenten/api/v1`,
    zakenUrl: `${base}/zaken/api/v1`,
    catalogiUrl: `${base}/catalogi/api/v1`,
    documents,
    links,
    requests,
    addZaak(identificatie, bronorganisatie) {
      const url = `${base}/zaken/api/v1/zaken/${randomUUID()}`;
      zaken.set(identificatie, { url, bronorganisatie });
      return url;
    },
    failNext(count, status = 503) {
      failures = { count, status };
    },
    commitThenDelayNextCreate(ms) {
      delayNextCreate = ms;
    },
    refuseNextCreate(invalidParams) {
      refuseNext = invalidParams;
    },
    async close() {
      for (const t of pending) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
