// A stateful fake of the ZGW Documenten and Zaken APIs (node:http) for what a static mock such as
// Prism cannot do: (bronorganisatie, identificatie) unique (400 "identificatie-niet-uniek" on a
// second create), zaken to find, zaakinformatieobjecten unique per pair, JWT-ZGW verified with the
// secret (HS256, claims present), locks as Open Zaak keeps them (lock → PATCH → unlock; an update
// or a part without the right lock is a 400; unlock without a lock is a forced unlock), uploads in
// bestandsdelen (create with inhoud null, PUT each part as multipart/form-data, unlock only when
// all parts are there), and faults: a create that commits and then answers too late, 5xx for a
// number of calls, a 400 with invalidParams, a failing part upload, a colleague's lock.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify, type JWTPayload } from 'jose';
import type { ZgwConfig } from '../../server/dms/zgw/config';

/** The adapter's settings for this fake: its three base URLs, the test's secret and RSIN. */
export function fakeZgwConfig(fake: Pick<FakeZgw, 'documentenUrl' | 'zakenUrl' | 'catalogiUrl'>, secret: string, rsin: string, overrides: Partial<ZgwConfig> = {}): ZgwConfig {
  return {
    documentenUrl: fake.documentenUrl,
    zakenUrl: fake.zakenUrl,
    catalogiUrl: fake.catalogiUrl,
    clientId: 'keukentafel-test',
    secret,
    rsin,
    informatieobjecttype: `${fake.catalogiUrl}/informatieobjecttypen/7f5b0a3e-0000-4000-8000-000000000001`,
    timeoutMs: 2_000,
    chunkThresholdBytes: 5 * 1024 * 1024,
    ...overrides,
  };
}

export interface FakeDocument {
  url: string;
  body: Record<string, unknown>;
  /** The current lock, null when unlocked. */
  lock: string | null;
  /** 1 at create, +1 per PATCH (a new version, O5). */
  versie: number;
  /** The current version's bytes: from `inhoud`, or the parts uploaded so far (O6). */
  content: Uint8Array;
  parts: { uuid: string; volgnummer: number; omvang: number; bytes: Uint8Array | null }[];
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
  /** After `okParts` more part uploads succeed, the next one answers 503 (nothing stored). */
  failPartUploadAfter(okParts: number): void;
  /** Locks the document as a colleague in the DMS would: with a lock the client never sees. */
  lockByOther(url: string): void;
  /** Forced unlock (unlock without a lock) answers 403, as without documenten.geforceerd-unlock. */
  refuseForcedUnlock: boolean;
  /**
   * Refuses to update a document whose status is `definitief` (400), as the Documenten API's
   * PATCH/PUT validate ("status NIET definitief") and a strict Open Zaak may do.
   */
  refuseUpdateOfDefinitief: boolean;
  close(): Promise<void>;
  // ---- ZGW besluiten (Z20, Z27) ----
  /** Gives a zaak (URL from addZaak) its zaaktype, shown when the zaak is read. */
  setZaaktype(zaakUrl: string, zaaktype: string): void;
  /** The zaaktype of a zaak URL; null for a zaak the fake does not know. */
  zaaktypeOf(zaakUrl: string): string | null;
  // ---- end ZGW besluiten ----
}

export interface FakeZgwOptions {
  /** Size of a bestandsdeel the fake hands out (Open Zaak: DOCUMENTEN_UPLOAD_CHUNK_SIZE). */
  partSize?: number;
}

export async function startFakeZgw(secret: string, options: FakeZgwOptions = {}): Promise<FakeZgw> {
  const partSize = options.partSize ?? 64 * 1024;
  let partFault: number | null = null;
  let refuseForcedUnlock = false;
  let refuseUpdateOfDefinitief = false;
  const documents: FakeDocument[] = [];
  const links: FakeZgw['links'] = [];
  const zaken = new Map<string, { url: string; bronorganisatie: string }>();
  // ZGW besluiten: zaak URL → zaaktype URL (setZaaktype).
  const zaaktypes = new Map<string, string>();
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

  async function readRaw(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  function parseBody(raw: Buffer): Record<string, unknown> | null {
    try {
      const parsed = JSON.parse(raw.toString('utf8')) as unknown;
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }

  /** The document as the API shows it (never its lock, only whether it is locked). */
  const view = (d: FakeDocument): Record<string, unknown> => ({
    url: d.url,
    ...d.body,
    inhoud: `${d.url}/download`,
    versie: d.versie,
    locked: d.lock !== null,
    bestandsdelen: d.parts.map((p) => ({
      url: `${base}/documenten/api/v1/bestandsdelen/${p.uuid}`,
      volgnummer: p.volgnummer,
      omvang: p.omvang,
      voltooid: p.bytes !== null,
      lock: d.lock ?? '',
    })),
  });

  /** New content from a create or PATCH body: base64 `inhoud`, or parts for `bestandsomvang` (O6). */
  const applyContent = (d: FakeDocument, body: Record<string, unknown>): void => {
    if (typeof body.inhoud === 'string') {
      d.content = Uint8Array.from(Buffer.from(body.inhoud, 'base64'));
      d.parts = [];
    } else if (body.inhoud === null && typeof body.bestandsomvang === 'number' && body.bestandsomvang > 0) {
      d.content = new Uint8Array(0);
      d.parts = [];
      for (let offset = 0, n = 1; offset < body.bestandsomvang; offset += partSize, n += 1) {
        d.parts.push({ uuid: randomUUID(), volgnummer: n, omvang: Math.min(partSize, body.bestandsomvang - offset), bytes: null });
      }
    }
  };

  const complete = (d: FakeDocument): boolean => d.parts.every((p) => p.bytes !== null);
  const byUuid = (uuid: string | undefined): FakeDocument | undefined => documents.find((d) => d.url.endsWith(`/${uuid ?? ''}`));

  async function handleDocument(req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer): Promise<number | null> {
    const m = /^\/documenten\/api\/v1\/enkelvoudiginformatieobjecten\/([0-9a-f-]{36})(\/lock|\/unlock)?$/.exec(url.pathname);
    const part = /^\/documenten\/api\/v1\/bestandsdelen\/([0-9a-f-]{36})$/.exec(url.pathname);
    if (m === null && part === null) return null;
    if (part !== null) {
      if (req.method !== 'PUT') return null;
      const doc = documents.find((d) => d.parts.some((p) => p.uuid === part[1]));
      const target = doc?.parts.find((p) => p.uuid === part[1]);
      if (doc === undefined || target === undefined) return null;
      const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body: Uint8Array.from(raw) })
        .formData()
        .catch(() => null);
      const inhoud = form?.get('inhoud');
      const lock = form?.get('lock');
      if (typeof lock !== 'string' || doc.lock === null || lock !== doc.lock) {
        return invalid(res, [{ name: 'lock', code: 'incorrect-lock-id', reason: 'Incorrect lock ID.' }]);
      }
      if (inhoud === null || inhoud === undefined || typeof inhoud === 'string') return invalid(res, [{ name: 'inhoud', code: 'required', reason: 'Dit veld is vereist.' }]);
      if (partFault !== null) {
        if (partFault === 0) {
          partFault = null;
          send(res, 503, { title: 'Service unavailable', status: 503 });
          return 503;
        }
        partFault -= 1;
      }
      const bytes = new Uint8Array(await inhoud.arrayBuffer());
      if (bytes.byteLength !== target.omvang) return invalid(res, [{ name: 'inhoud', code: 'file-size', reason: 'Het aangeleverde bestand heeft niet de verwachte bestandsgrootte.' }]);
      target.bytes = bytes;
      if (complete(doc)) doc.content = Uint8Array.from(Buffer.concat(doc.parts.map((p) => p.bytes ?? new Uint8Array(0))));
      send(res, 200, { url: `${base}/documenten/api/v1/bestandsdelen/${target.uuid}`, volgnummer: target.volgnummer, omvang: target.omvang, voltooid: true, lock: doc.lock });
      return 200;
    }
    const doc = byUuid(m?.[1]);
    if (doc === undefined || m === null) return null;
    const action = m[2];
    const body = raw.length === 0 ? {} : parseBody(raw);
    if (req.method === 'GET' && action === undefined) {
      send(res, 200, view(doc));
      return 200;
    }
    if (req.method === 'POST' && action === '/lock') {
      if (doc.lock !== null) return invalid(res, [{ name: 'nonFieldErrors', code: 'existing-lock', reason: 'Het document is al vergrendeld.' }]);
      doc.lock = randomUUID().replace(/-/g, '');
      send(res, 200, { lock: doc.lock });
      return 200;
    }
    if (req.method === 'POST' && action === '/unlock') {
      const lock = body?.lock;
      if (lock === undefined || lock === '') {
        if (refuseForcedUnlock) {
          send(res, 403, { code: 'permission_denied', title: 'Je hebt geen toestemming om deze actie uit te voeren.', status: 403 });
          return 403;
        }
        doc.lock = null;
      } else {
        if (lock !== doc.lock) return invalid(res, [{ name: 'nonFieldErrors', code: 'incorrect-lock-id', reason: 'Incorrect lock ID.' }]);
        if (!complete(doc)) return invalid(res, [{ name: 'nonFieldErrors', code: 'incomplete-upload', reason: 'Upload van het bestand is niet voltooid.' }]);
        doc.lock = null;
      }
      res.writeHead(204).end();
      return 204;
    }
    if (req.method === 'PATCH' && action === undefined) {
      if (body === null) return invalid(res, [{ name: 'nonFieldErrors', code: 'parse_error', reason: 'Ongeldige JSON.' }]);
      if (doc.lock === null) return invalid(res, [{ name: 'nonFieldErrors', code: 'unlocked', reason: 'Het document is niet vergrendeld.' }]);
      if (body.lock !== doc.lock) return invalid(res, [{ name: 'nonFieldErrors', code: 'incorrect-lock-id', reason: 'Incorrect lock ID.' }]);
      if (refuseUpdateOfDefinitief && doc.body.status === 'definitief') {
        return invalid(res, [{ name: 'status', code: 'status-definitief', reason: 'Een definitief document mag niet meer gewijzigd worden.' }]);
      }
      const { lock: _lock, ...fields } = body;
      if ('identificatie' in fields && fields.identificatie !== doc.body.identificatie) {
        return invalid(res, [{ name: 'identificatie', code: 'wijzigen-niet-toegelaten', reason: 'Dit veld mag niet gewijzigd worden.' }]);
      }
      doc.body = { ...doc.body, ...fields };
      doc.versie += 1;
      applyContent(doc, fields);
      send(res, 200, view(doc));
      return 200;
    }
    return null;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<number> {
    const url = new URL(req.url ?? '/', base);
    const route = `${req.method} ${url.pathname}`;
    const raw = req.method === 'GET' ? Buffer.alloc(0) : await readRaw(req);
    const body = req.method === 'POST' ? parseBody(raw) : null;

    if (failures.count > 0) {
      failures.count -= 1;
      send(res, failures.status, { title: 'Service unavailable', status: failures.status });
      return failures.status;
    }

    const handled = await handleDocument(req, res, url, raw);
    if (handled !== null) return handled;

    // ---- ZGW besluiten (Z20, Z22, Z27): one zaak with its zaaktype; the types, all published ----
    const zaakMatch = req.method === 'GET' ? /^\/zaken\/api\/v1\/zaken\/([0-9a-f-]{36})$/.exec(url.pathname) : null;
    if (zaakMatch !== null) {
      const entry = [...zaken.entries()].find(([, z]) => z.url === `${base}${url.pathname}`);
      if (entry === undefined) {
        send(res, 404, { title: 'Niet gevonden', status: 404 });
        return 404;
      }
      const [identificatie, z] = entry;
      send(res, 200, { url: z.url, identificatie, bronorganisatie: z.bronorganisatie, zaaktype: zaaktypes.get(z.url) ?? `${base}/catalogi/api/v1/zaaktypen/00000000-0000-4000-8000-000000000000` });
      return 200;
    }
    // Z22: the check at start reads the types the templates rely on; this fake's catalogue has
    // every type, published (tests/support/zgw-besluiten-fake.ts has a real one with concepts).
    if (req.method === 'GET' && /^\/catalogi\/api\/v1\/(informatieobjecttypen|besluittypen|zaaktypen)\/[^/]+$/.test(url.pathname)) {
      send(res, 200, { url: `${base}${url.pathname}`, concept: false, beginGeldigheid: '2024-01-01', eindeGeldigheid: null });
      return 200;
    }
    // ---- end ZGW besluiten ----

    switch (route) {
      case 'GET /documenten/api/v1/enkelvoudiginformatieobjecten': {
        const results = documents
          .filter((d) => ['bronorganisatie', 'identificatie'].every((f) => !url.searchParams.has(f) || d.body[f] === url.searchParams.get(f)))
          .map(view);
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
        const doc: FakeDocument = { url: `${base}/documenten/api/v1/enkelvoudiginformatieobjecten/${randomUUID()}`, body, lock: null, versie: 1, content: new Uint8Array(0), parts: [] };
        applyContent(doc, body);
        // O6: without inhoud the document is created locked; the lock is in this answer only.
        if (doc.parts.length > 0) doc.lock = randomUUID().replace(/-/g, '');
        documents.push(doc);
        const answer = { ...view(doc), ...(doc.lock === null ? {} : { lock: doc.lock }) };
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
    failPartUploadAfter(okParts) {
      partFault = okParts;
    },
    lockByOther(url) {
      const doc = documents.find((d) => d.url === url);
      if (doc === undefined) throw new Error(`no document ${url}`);
      doc.lock = `colleague-${randomUUID()}`;
    },
    get refuseForcedUnlock() {
      return refuseForcedUnlock;
    },
    set refuseForcedUnlock(value: boolean) {
      refuseForcedUnlock = value;
    },
    get refuseUpdateOfDefinitief() {
      return refuseUpdateOfDefinitief;
    },
    set refuseUpdateOfDefinitief(value: boolean) {
      refuseUpdateOfDefinitief = value;
    },
    // ---- ZGW besluiten ----
    setZaaktype(zaakUrl, zaaktype) {
      zaaktypes.set(zaakUrl, zaaktype);
    },
    zaaktypeOf(zaakUrl) {
      return [...zaken.values()].some((z) => z.url === zaakUrl) ? (zaaktypes.get(zaakUrl) ?? null) : null;
    },
    // ---- end ZGW besluiten ----
    async close() {
      for (const t of pending) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
