// A stateful fake of the ZGW Documenten and Zaken APIs (node:http) for what a static mock such as
// Prism cannot do: (bronorganisatie, identificatie) unique (400 "identificatie-niet-uniek" on a
// second create), zaken to find, zaakinformatieobjecten unique per pair, JWT-ZGW verified with the
// secret (HS256, claims present), locks as Open Zaak keeps them (lock → PATCH → unlock; an update
// or a part without the right lock is a 400; unlock without a lock is a forced unlock), uploads in
// bestandsdelen (create with inhoud null, PUT each part as multipart/form-data, unlock only when
// all parts are there), and faults: a create that commits and then answers too late, 5xx for a
// number of calls, a 400 with invalidParams, a failing part upload, a colleague's lock.
// Z15–Z18, the rules Open Zaak enforces beyond the schema: a zaak has a zaaktype (Catalogi, with
// the informatieobjecttypen it allows) and may be closed (einddatum); a closed zaak refuses new
// links (403), a type outside the zaaktype is refused at the link (400
// missing-zaaktype-informatieobjecttype-relation), a zaak the client may read but not write
// refuses the link (403), and closing a zaak (its eindstatus via POST /statussen) needs
// indicatieGebruiksrecht on every document linked to it. A document linked to no zaak can be
// deleted; one in a zaak cannot.
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
  /** Documents deleted (DELETE), by URL: Z10's orphan removal. */
  deleted: string[];
  /** Every request: method, path with query, status answered, JWT claims when valid. */
  requests: { method: string; path: string; status: number; claims: JWTPayload | null }[];
  /** Zaak identificatie → its URL; add with addZaak. Its zaaktype is `defaultZaaktype` unless named. */
  addZaak(identificatie: string, bronorganisatie: string, options?: { zaaktype?: string; omschrijving?: string; statusName?: string }): string;
  /** X2: the zaaktype's omschrijving as the Catalogi API shows it. */
  nameZaaktype(zaaktype: string, omschrijving: string): void;
  /** X4: the zaak searches (GET /zaken, POST /zaken/_zoek) answer after this many ms (0: at once). */
  zaakSearchDelayMs: number;
  /** X4: the next N zaak searches answer 200 with a body that is no page of zaken. */
  nonsenseNextZaakSearches(count: number): void;
  /** X2: whether `expand` is honoured (an older DMS ignores it). */
  expandZaken: boolean;
  /** Z15: the zaaktype zaken get by default; it allows `.../informatieobjecttypen/1` and fakeZgwConfig's default type. */
  readonly defaultZaaktype: string;
  /** Z15: a new zaaktype allowing these informatieobjecttypen; its URL. */
  addZaaktype(informatieobjecttypen: string[]): string;
  /** Z15: lets the zaaktype (default: defaultZaaktype) take this informatieobjecttype too. */
  allowType(informatieobjecttype: string, zaaktype?: string): void;
  /** The zaaktype's eindstatus (a statustype URL): POST /statussen with it closes the zaak (Z18). */
  eindStatustype(zaaktype?: string): string;
  /** Z16: closes the zaak as the DMS would have (einddatum set), without the Z18 check. */
  closeZaak(identificatie: string, einddatum?: string): void;
  /** Z17: the client may read this zaak but not write to it: a link answers 403. */
  forbidZaak(identificatie: string): void;
  /** A zaak as the DMS holds it now. */
  zaak(identificatie: string): { url: string; zaaktype: string; einddatum: string | null } | undefined;
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
  /** DELETE of a document answers 403, as without documenten.verwijderen (Z10). */
  refuseDeletes: boolean;
  /**
   * Refuses to update a document whose status is `definitief` (400), as the Documenten API's
   * PATCH/PUT validate ("status NIET definitief") and a strict Open Zaak may do.
   */
  refuseUpdateOfDefinitief: boolean;
  close(): Promise<void>;
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
  let refuseDeletes = false;
  const documents: FakeDocument[] = [];
  const links: FakeZgw['links'] = [];
  const deleted: string[] = [];
  const zaken = new Map<string, { url: string; bronorganisatie: string; zaaktype: string; einddatum: string | null; readOnly: boolean; omschrijving: string; statusName: string | null }>();
  // ---- zaak look-up (X2–X4) ----
  const zaaktypeNames = new Map<string, string>();
  let zaakSearchDelayMs = 0;
  let nonsenseSearches = 0;
  let expandZaken = true;
  /** A zaak as GET /zaken and POST /zaken/_zoek show it, expanded as asked. */
  const zaakView = (identificatie: string, z: { url: string; bronorganisatie: string; zaaktype: string; einddatum: string | null; omschrijving: string; statusName: string | null }, expand: string[]): Record<string, unknown> => {
    const closed = z.einddatum !== null;
    const statusName = z.statusName ?? (closed ? 'Afgehandeld' : 'In behandeling');
    const statusUrl = `${base}/zaken/api/v1/statussen/${uuidOf(z.url)}`;
    const view: Record<string, unknown> = { url: z.url, identificatie, bronorganisatie: z.bronorganisatie, omschrijving: z.omschrijving, zaaktype: z.zaaktype, einddatum: z.einddatum, status: statusUrl };
    if (!expandZaken || expand.length === 0) return view;
    const expanded: Record<string, unknown> = {};
    if (expand.includes('zaaktype')) expanded.zaaktype = { url: z.zaaktype, omschrijving: zaaktypeNames.get(z.zaaktype) ?? null };
    if (expand.includes('status')) {
      expanded.status = {
        url: statusUrl,
        zaak: z.url,
        statustype: eindStatustypeOf(z.zaaktype),
        ...(expand.includes('status.statustype') ? { _expand: { statustype: { url: eindStatustypeOf(z.zaaktype), omschrijving: statusName, isEindstatus: closed } } } : {}),
      };
    }
    return { ...view, _expand: expanded };
  };
  /** Zaken matching the search's filters (exact identificatie, contains, omschrijving contains). */
  const searchZaken = (filters: { identificatie?: string | null; identificatieContains?: string | null; omschrijving?: string | null; bronorganisatie?: string | null }, expand: string[]): Record<string, unknown>[] =>
    [...zaken.entries()]
      .filter(([id, z]) =>
        (filters.identificatie == null || id === filters.identificatie) &&
        (filters.identificatieContains == null || id.toLowerCase().includes(filters.identificatieContains.toLowerCase())) &&
        (filters.omschrijving == null || z.omschrijving.toLowerCase().includes(filters.omschrijving.toLowerCase())) &&
        (filters.bronorganisatie == null || z.bronorganisatie === filters.bronorganisatie),
      )
      .map(([id, z]) => zaakView(id, z, expand));
  /** X4: a slow DMS, or one that answers nonsense; null: answer normally. */
  async function zaakSearchFault(res: ServerResponse): Promise<number | null> {
    if (zaakSearchDelayMs > 0) {
      const ms = zaakSearchDelayMs;
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          pending.delete(t);
          resolve();
        }, ms);
        pending.add(t);
      });
      if (res.destroyed) return 200;
    }
    if (nonsenseSearches > 0) {
      nonsenseSearches -= 1;
      send(res, 200, { results: 'geen lijst', count: 'veel' });
      return 200;
    }
    return null;
  }
  // ---- end zaak look-up ----
  /** Z15: zaaktype URL → the informatieobjecttypen it allows. */
  const zaaktypen = new Map<string, Set<string>>();
  const uuidOf = (url: string): string => url.slice(url.lastIndexOf('/') + 1);
  const zaakByUrl = (url: string): { url: string; zaaktype: string; einddatum: string | null; readOnly: boolean } | undefined => [...zaken.values()].find((z) => z.url === url);
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
    if (req.method === 'DELETE' && action === undefined) {
      if (refuseDeletes) {
        send(res, 403, { code: 'permission_denied', title: 'Je hebt geen toestemming om deze actie uit te voeren.', status: 403 });
        return 403;
      }
      // Open Zaak refuses to delete a document a zaak still holds.
      if (links.some((l) => l.informatieobject === doc.url)) {
        return invalid(res, [{ name: 'nonFieldErrors', code: 'pending-relations', reason: 'Het informatieobject is nog gekoppeld aan een zaak.' }]);
      }
      documents.splice(documents.indexOf(doc), 1);
      deleted.push(doc.url);
      res.writeHead(204).end();
      return 204;
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

    // ---- ZGW besluiten (Z22): the check at start reads the types the templates rely on; this
    // fake has every informatieobjecttype and besluittype, published (tests/support/
    // zgw-besluiten-fake.ts has a real catalogue with concepts) ----
    if (req.method === 'GET' && /^\/catalogi\/api\/v1\/(informatieobjecttypen|besluittypen)\/[^/]+$/.test(url.pathname)) {
      send(res, 200, { url: `${base}${url.pathname}`, concept: false, beginGeldigheid: '2024-01-01', eindeGeldigheid: null });
      return 200;
    }
    // ---- end ZGW besluiten ----
    // Z15: the zaaktype as the Catalogi API shows it (only what the rules need).
    const zaaktypeMatch = /^\/catalogi\/api\/v1\/zaaktypen\/([0-9a-f-]{36})$/.exec(url.pathname);
    if (req.method === 'GET' && zaaktypeMatch !== null) {
      const zaaktype = [...zaaktypen.keys()].find((k) => uuidOf(k) === zaaktypeMatch[1]);
      if (zaaktype === undefined) return null404(res);
      send(res, 200, { url: zaaktype, concept: false, omschrijving: zaaktypeNames.get(zaaktype) ?? null, informatieobjecttypen: [...(zaaktypen.get(zaaktype) ?? [])], statustypen: [eindStatustypeOf(zaaktype)] });
      return 200;
    }

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
        const fault = await zaakSearchFault(res);
        if (fault !== null) return fault;
        const p = url.searchParams;
        const expand = (p.get('expand') ?? '').split(',').filter((e) => e !== '');
        const all = searchZaken({ identificatie: p.get('identificatie'), identificatieContains: p.get('identificatie__icontains'), omschrijving: p.get('omschrijving'), bronorganisatie: p.get('bronorganisatie') }, expand);
        const pageSize = Number(p.get('pageSize') ?? '100') || 100;
        const results = all.slice(0, pageSize);
        send(res, 200, { count: all.length, next: all.length > pageSize ? `${base}${url.pathname}?page=2` : null, previous: null, results });
        return 200;
      }
      case 'POST /zaken/api/v1/zaken/_zoek': {
        if (req.headers['content-crs'] !== 'EPSG:4326') return invalid(res, [{ name: 'Content-Crs', code: 'missing-content-crs-header', reason: 'Content-Crs moet gezet zijn.' }]);
        const fault = await zaakSearchFault(res);
        if (fault !== null) return fault;
        if (body === null) return invalid(res, [{ name: 'nonFieldErrors', code: 'parse_error', reason: 'Ongeldige JSON.' }]);
        const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
        const expand = (url.searchParams.get('expand') ?? '').split(',').filter((e) => e !== '');
        const all = searchZaken({ identificatie: str(body.identificatie), identificatieContains: str(body.identificatie__icontains), omschrijving: str(body.omschrijving), bronorganisatie: str(body.bronorganisatie) }, expand);
        const pageSize = Number(url.searchParams.get('pageSize') ?? '100') || 100;
        send(res, 200, { count: all.length, next: all.length > pageSize ? `${base}${url.pathname}?page=2` : null, previous: null, results: all.slice(0, pageSize) });
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
        const zaak = zaakByUrl(body.zaak);
        if (zaak === undefined) return invalid(res, [{ name: 'zaak', code: 'does_not_exist', reason: 'Ongeldige hyperlink - Object bestaat niet.' }]);
        const linkedDoc = documents.find((d) => d.url === body.informatieobject);
        if (linkedDoc === undefined) return invalid(res, [{ name: 'informatieobject', code: 'bad-url', reason: 'Ongeldige URL.' }]);
        // Z17: read but not write (no zaken.bijwerken for this zaaktype).
        if (zaak.readOnly) {
          send(res, 403, { type: 'about:blank', code: 'permission_denied', title: 'Je hebt geen toestemming om deze actie uit te voeren.', status: 403, detail: 'Je hebt geen toestemming om deze actie uit te voeren.' });
          return 403;
        }
        // Z16: a closed zaak takes nothing new (without zaken.geforceerd-bijwerken).
        if (zaak.einddatum !== null) {
          send(res, 403, { type: 'about:blank', code: 'permission_denied', title: 'Je hebt geen toestemming om deze actie uit te voeren.', status: 403, detail: 'Je mag geen gegevens aanpassen van een gesloten zaak.' });
          return 403;
        }
        // Z15: the document's type must be one of the zaaktype's.
        if (!(zaaktypen.get(zaak.zaaktype)?.has(String(linkedDoc.body.informatieobjecttype)) ?? false)) {
          return invalid(res, [{ name: 'nonFieldErrors', code: 'missing-zaaktype-informatieobjecttype-relation', reason: 'Het informatieobjecttype hoort niet bij het zaaktype van de zaak.' }]);
        }
        if (links.some((l) => l.zaak === body.zaak && l.informatieobject === body.informatieobject)) {
          return invalid(res, [{ name: 'nonFieldErrors', code: 'unique', reason: 'De velden zaak, informatieobject moeten een unieke set zijn.' }]);
        }
        const link = { url: `${base}/zaken/api/v1/zaakinformatieobjecten/${randomUUID()}`, zaak: body.zaak, informatieobject: body.informatieobject };
        links.push(link);
        send(res, 201, link);
        return 201;
      }
      case 'POST /zaken/api/v1/statussen': {
        // Z18: setting the eindstatus closes the zaak, only when every document has indicatieGebruiksrecht.
        if (body === null || typeof body.zaak !== 'string' || typeof body.statustype !== 'string') {
          return invalid(res, [{ name: 'zaak', code: 'required', reason: 'Dit veld is vereist.' }]);
        }
        const zaak = zaakByUrl(body.zaak);
        if (zaak === undefined) return invalid(res, [{ name: 'zaak', code: 'does_not_exist', reason: 'Ongeldige hyperlink - Object bestaat niet.' }]);
        if (zaak.einddatum !== null) {
          send(res, 403, { type: 'about:blank', code: 'permission_denied', title: 'Je hebt geen toestemming om deze actie uit te voeren.', status: 403, detail: 'Je mag geen gegevens aanpassen van een gesloten zaak.' });
          return 403;
        }
        if (body.statustype === eindStatustypeOf(zaak.zaaktype)) {
          const unset = links
            .filter((l) => l.zaak === zaak.url)
            .map((l) => documents.find((d) => d.url === l.informatieobject))
            .filter((d) => d !== undefined && (d.body.indicatieGebruiksrecht === undefined || d.body.indicatieGebruiksrecht === null));
          if (unset.length > 0) {
            return invalid(res, [{ name: 'nonFieldErrors', code: 'indicatiegebruiksrecht-unset', reason: 'Alle informatieobjecten van de zaak moeten een waarde hebben voor indicatieGebruiksrecht.' }]);
          }
          zaak.einddatum = typeof body.datumStatusGezet === 'string' ? body.datumStatusGezet.slice(0, 10) : new Date().toISOString().slice(0, 10);
        }
        const status = { url: `${base}/zaken/api/v1/statussen/${randomUUID()}`, zaak: zaak.url, statustype: body.statustype, datumStatusGezet: body.datumStatusGezet };
        send(res, 201, status);
        return 201;
      }
      default:
        return null404(res);
    }
  }

  function null404(res: ServerResponse): number {
    send(res, 404, { title: 'Niet gevonden', status: 404 });
    return 404;
  }

  function eindStatustypeOf(zaaktype: string): string {
    return `${base}/catalogi/api/v1/statustypen/${uuidOf(zaaktype)}`;
  }

  function addZaaktype(types: string[]): string {
    const url = `${base}/catalogi/api/v1/zaaktypen/${randomUUID()}`;
    zaaktypen.set(url, new Set(types));
    return url;
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
  const defaultZaaktype = addZaaktype([
    `${base}/catalogi/api/v1/informatieobjecttypen/1`,
    fakeZgwConfig({ documentenUrl: '', zakenUrl: '', catalogiUrl: `${base}/catalogi/api/v1` }, '', '').informatieobjecttype,
  ]);

  return {
    documentenUrl: `${base}/documenten/api/v1`,
    zakenUrl: `${base}/zaken/api/v1`,
    catalogiUrl: `${base}/catalogi/api/v1`,
    documents,
    links,
    deleted,
    requests,
    addZaak(identificatie, bronorganisatie, options = {}) {
      const url = `${base}/zaken/api/v1/zaken/${randomUUID()}`;
      zaken.set(identificatie, {
        url,
        bronorganisatie,
        zaaktype: options.zaaktype ?? defaultZaaktype,
        einddatum: null,
        readOnly: false,
        omschrijving: options.omschrijving ?? '',
        statusName: options.statusName ?? null,
      });
      return url;
    },
    nameZaaktype(zaaktype, omschrijving) {
      zaaktypeNames.set(zaaktype, omschrijving);
    },
    get zaakSearchDelayMs() {
      return zaakSearchDelayMs;
    },
    set zaakSearchDelayMs(value: number) {
      zaakSearchDelayMs = value;
    },
    nonsenseNextZaakSearches(count) {
      nonsenseSearches = count;
    },
    get expandZaken() {
      return expandZaken;
    },
    set expandZaken(value: boolean) {
      expandZaken = value;
    },
    defaultZaaktype,
    addZaaktype,
    allowType(informatieobjecttype, zaaktype = defaultZaaktype) {
      const types = zaaktypen.get(zaaktype);
      if (types === undefined) throw new Error(`no zaaktype ${zaaktype}`);
      types.add(informatieobjecttype);
    },
    eindStatustype(zaaktype = defaultZaaktype) {
      return eindStatustypeOf(zaaktype);
    },
    closeZaak(identificatie, einddatum = '2026-12-01') {
      const zaak = zaken.get(identificatie);
      if (zaak === undefined) throw new Error(`no zaak ${identificatie}`);
      zaak.einddatum = einddatum;
    },
    forbidZaak(identificatie) {
      const zaak = zaken.get(identificatie);
      if (zaak === undefined) throw new Error(`no zaak ${identificatie}`);
      zaak.readOnly = true;
    },
    zaak(identificatie) {
      const zaak = zaken.get(identificatie);
      return zaak === undefined ? undefined : { url: zaak.url, zaaktype: zaak.zaaktype, einddatum: zaak.einddatum };
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
    get refuseDeletes() {
      return refuseDeletes;
    },
    set refuseDeletes(value: boolean) {
      refuseDeletes = value;
    },
    get refuseUpdateOfDefinitief() {
      return refuseUpdateOfDefinitief;
    },
    set refuseUpdateOfDefinitief(value: boolean) {
      refuseUpdateOfDefinitief = value;
    },
    async close() {
      for (const t of pending) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
