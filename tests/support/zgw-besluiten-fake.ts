// A stateful fake of the Catalogi API (the types a municipality publishes) and the Besluiten API
// (node:http), beside tests/support/zgw-fake.ts (Documenten and Zaken), for the rules Open Zaak
// enforces beyond the schema:
// - Catalogi: informatieobjecttypen and besluittypen by URL, each published or concept
//   (`concept: true`), with the relations besluittype → zaaktypen, informatieobjecttypen (the
//   zaaktypen themselves live in zgw-fake.ts, Z15).
// - Besluiten: (verantwoordelijkeOrganisatie, identificatie) unique (400
//   "identificatie-niet-uniek"); a concept or unknown besluittype is refused; a besluit for a zaak
//   whose zaaktype the besluittype does not name is refused ("zaaktype-mismatch"); a
//   besluitinformatieobject is unique per pair and its document's informatieobjecttype must be one
//   of the besluittype's ("missing-besluittype-informatieobjecttype-relation").
// - JWT-ZGW verified with the secret (HS256, claims present), as zgw-fake.ts does.
// - Faults: N answers of a 5xx, a besluit create that commits and then answers too late.
// The zaak's zaaktype and a document's informatieobjecttype come from the test (`zaaktypeOf`,
// `informatieobjecttypeOf`), read from the Zaken/Documenten fake.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify } from 'jose';

export interface FakeBesluit {
  url: string;
  body: Record<string, unknown>;
  /** 1 at create, +1 per PATCH (Z28). */
  versie: number;
}

export interface FakeBesluitenOptions {
  /** The zaaktype of a zaak URL (from the Zaken fake); null: unknown zaak. */
  zaaktypeOf?: (zaakUrl: string) => string | null;
  /** The informatieobjecttype of a document URL (from the Documenten fake); null: unknown document. */
  informatieobjecttypeOf?: (documentUrl: string) => string | null;
}

export interface FakeBesluiten {
  catalogiUrl: string;
  besluitenUrl: string;
  besluiten: FakeBesluit[];
  links: { url: string; besluit: string; informatieobject: string }[];
  requests: { method: string; path: string; status: number }[];
  addInformatieobjecttype(options?: { concept?: boolean; omschrijving?: string }): string;
  addBesluittype(options: { zaaktypen: string[]; informatieobjecttypen: string[]; concept?: boolean; omschrijving?: string }): string;
  /** Publishes (concept false) or withdraws (concept true) a type. */
  setConcept(url: string, concept: boolean): void;
  /** The next N requests (only those whose path starts with `prefix`, when given) answer this status without doing anything. */
  failNext(count: number, status?: number, prefix?: string): void;
  /** The next besluit create is stored and then answered after `ms` (beyond the client's timeout). */
  commitThenDelayNextBesluit(ms: number): void;
  close(): Promise<void>;
}

interface CatalogiType {
  kind: 'informatieobjecttypen' | 'besluittypen';
  url: string;
  body: Record<string, unknown>;
}

export async function startFakeBesluiten(secret: string, options: FakeBesluitenOptions = {}): Promise<FakeBesluiten> {
  const key = new TextEncoder().encode(secret);
  const types = new Map<string, CatalogiType>();
  const besluiten: FakeBesluit[] = [];
  const links: FakeBesluiten['links'] = [];
  const requests: FakeBesluiten['requests'] = [];
  const pending = new Set<ReturnType<typeof setTimeout>>();
  let failures: { count: number; status: number; prefix: string } = { count: 0, status: 503, prefix: '/' };
  let delayNextBesluit: number | null = null;
  let base = '';

  const send = (res: ServerResponse, status: number, body: unknown): number => {
    res.writeHead(status, { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' });
    res.end(JSON.stringify(body));
    return status;
  };
  const invalid = (res: ServerResponse, name: string, code: string, reason: string): number =>
    send(res, 400, { type: 'about:blank', code: 'invalid', title: 'Invalid input.', status: 400, detail: '', invalidParams: [{ name, code, reason }] });

  async function verified(req: IncomingMessage): Promise<boolean> {
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Bearer ')) return false;
    try {
      const { payload } = await jwtVerify(header.slice(7), key, { algorithms: ['HS256'] });
      return ['iss', 'iat', 'client_id', 'user_id', 'user_representation'].every((c) => c in payload);
    } catch {
      return false;
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

  const isDate = (v: unknown): boolean => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
  const besluitView = (b: FakeBesluit): Record<string, unknown> => ({ url: b.url, vervalredenWeergave: '', ...b.body });

  /** Open Zaak's checks of a besluit's fields (create and the result of a PATCH). */
  function besluitProblem(body: Record<string, unknown>): [string, string, string] | null {
    for (const f of ['verantwoordelijkeOrganisatie', 'besluittype', 'datum', 'ingangsdatum']) {
      if (typeof body[f] !== 'string' || body[f] === '') return [f, 'required', 'Dit veld is vereist.'];
    }
    for (const f of ['datum', 'ingangsdatum', 'verzenddatum', 'uiterlijkeReactiedatum']) {
      if (body[f] !== undefined && body[f] !== null && !isDate(body[f])) return [f, 'invalid', 'Datum heeft het verkeerde formaat.'];
    }
    const type = types.get(String(body.besluittype));
    if (type === undefined || type.kind !== 'besluittypen') return ['besluittype', 'does_not_exist', 'Ongeldige hyperlink - Object bestaat niet.'];
    if (type.body.concept === true) return ['besluittype', 'not-published', 'Het BESLUITTYPE is nog niet gepubliceerd.'];
    if (typeof body.zaak === 'string') {
      const zaaktype = options.zaaktypeOf?.(body.zaak) ?? null;
      if (zaaktype === null) return ['zaak', 'does_not_exist', 'Ongeldige hyperlink - Object bestaat niet.'];
      if (!(type.body.zaaktypen as string[]).includes(zaaktype)) {
        return ['nonFieldErrors', 'zaaktype-mismatch', 'De referentie hoort niet bij het zaaktype van de zaak.'];
      }
    }
    return null;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<number> {
    if (failures.count > 0 && url.pathname.startsWith(failures.prefix)) {
      failures.count -= 1;
      return send(res, failures.status, { title: 'Service unavailable', status: failures.status });
    }
    const path = url.pathname;
    const method = req.method ?? '';

    // ---- Catalogi ----
    const typeMatch = /^\/catalogi\/api\/v1\/(informatieobjecttypen|besluittypen)\/[0-9a-f-]{36}$/.exec(path);
    if (typeMatch !== null && method === 'GET') {
      const type = types.get(`${base}${path}`);
      if (type === undefined) return send(res, 404, { title: 'Niet gevonden.', status: 404 });
      return send(res, 200, { url: type.url, ...type.body });
    }

    // ---- Besluiten ----
    if (path === '/besluiten/api/v1/besluiten' && method === 'GET') {
      const results = besluiten
        .filter((b) => ['identificatie', 'verantwoordelijkeOrganisatie', 'besluittype', 'zaak'].every((f) => !url.searchParams.has(f) || b.body[f] === url.searchParams.get(f)))
        .map(besluitView);
      return send(res, 200, { count: results.length, next: null, previous: null, results });
    }
    if (path === '/besluiten/api/v1/besluiten' && method === 'POST') {
      const body = await readBody(req);
      if (body === null) return invalid(res, 'nonFieldErrors', 'parse_error', 'Ongeldige JSON.');
      const problem = besluitProblem(body);
      if (problem !== null) return invalid(res, ...problem);
      const identificatie = typeof body.identificatie === 'string' && body.identificatie !== '' ? body.identificatie : `BESLUIT-${besluiten.length + 1}`;
      if (identificatie.length > 50) return invalid(res, 'identificatie', 'max_length', 'Zorg ervoor dat dit veld niet meer dan 50 karakters bevat.');
      if (besluiten.some((b) => b.body.verantwoordelijkeOrganisatie === body.verantwoordelijkeOrganisatie && b.body.identificatie === identificatie)) {
        return invalid(res, 'identificatie', 'identificatie-niet-uniek', 'Deze identificatie bestaat al binnen de organisatie');
      }
      const besluit: FakeBesluit = { url: `${base}/besluiten/api/v1/besluiten/${randomUUID()}`, body: { ...body, identificatie }, versie: 1 };
      besluiten.push(besluit);
      if (delayNextBesluit !== null) {
        const ms = delayNextBesluit;
        delayNextBesluit = null;
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            pending.delete(t);
            resolve();
          }, ms);
          pending.add(t);
        });
        if (res.destroyed) return 201;
      }
      return send(res, 201, besluitView(besluit));
    }
    const one = /^\/besluiten\/api\/v1\/besluiten\/[0-9a-f-]{36}$/.exec(path);
    if (one !== null) {
      const besluit = besluiten.find((b) => b.url === `${base}${path}`);
      if (besluit === undefined) return send(res, 404, { title: 'Niet gevonden.', status: 404 });
      if (method === 'GET') return send(res, 200, besluitView(besluit));
      if (method === 'PATCH') {
        const body = await readBody(req);
        if (body === null) return invalid(res, 'nonFieldErrors', 'parse_error', 'Ongeldige JSON.');
        for (const f of ['identificatie', 'verantwoordelijkeOrganisatie']) {
          if (f in body && body[f] !== besluit.body[f]) return invalid(res, f, 'wijzigen-niet-toegelaten', 'Dit veld mag niet gewijzigd worden.');
        }
        const next = { ...besluit.body, ...body };
        const problem = besluitProblem(next);
        if (problem !== null) return invalid(res, ...problem);
        besluit.body = next;
        besluit.versie += 1;
        return send(res, 200, besluitView(besluit));
      }
    }
    if (path === '/besluiten/api/v1/besluitinformatieobjecten' && method === 'GET') {
      const io = url.searchParams.get('informatieobject');
      return send(res, 200, links.filter((l) => io === null || l.informatieobject === io));
    }
    if (path === '/besluiten/api/v1/besluitinformatieobjecten' && method === 'POST') {
      const body = await readBody(req);
      if (body === null || typeof body.besluit !== 'string' || typeof body.informatieobject !== 'string') {
        return invalid(res, 'besluit', 'required', 'Dit veld is vereist.');
      }
      const besluit = besluiten.find((b) => b.url === body.besluit);
      if (besluit === undefined) return invalid(res, 'besluit', 'does_not_exist', 'Ongeldige hyperlink - Object bestaat niet.');
      const iot = options.informatieobjecttypeOf?.(body.informatieobject) ?? null;
      if (iot === null) return invalid(res, 'informatieobject', 'bad-url', 'Ongeldige URL.');
      const besluittype = types.get(String(besluit.body.besluittype));
      if (besluittype === undefined || !(besluittype.body.informatieobjecttypen as string[]).includes(iot)) {
        return invalid(res, 'nonFieldErrors', 'missing-besluittype-informatieobjecttype-relation', 'Het informatieobjecttype hoort niet bij het besluittype van het besluit.');
      }
      if (links.some((l) => l.besluit === body.besluit && l.informatieobject === body.informatieobject)) {
        return invalid(res, 'nonFieldErrors', 'unique', 'De velden besluit, informatieobject moeten een unieke set zijn.');
      }
      const link = { url: `${base}/besluiten/api/v1/besluitinformatieobjecten/${randomUUID()}`, besluit: body.besluit, informatieobject: body.informatieobject };
      links.push(link);
      return send(res, 201, link);
    }
    return send(res, 404, { title: 'Niet gevonden.', status: 404 });
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', base);
      const entry = { method: req.method ?? '', path: `${url.pathname}${url.search}`, status: 0 };
      requests.push(entry);
      if (!(await verified(req))) {
        for await (const _ of req) void _;
        entry.status = send(res, 403, { code: 'permission_denied', title: 'Authenticatiegegevens zijn niet geldig.', status: 403 });
        return;
      }
      try {
        entry.status = await handle(req, res, url);
      } catch {
        if (!res.headersSent) send(res, 500, { title: 'fake error', status: 500 });
        entry.status = 500;
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const addType = (kind: CatalogiType['kind'], body: Record<string, unknown>): string => {
    const url = `${base}/catalogi/api/v1/${kind}/${randomUUID()}`;
    types.set(url, { kind, url, body: { concept: false, beginGeldigheid: '2024-01-01', eindeGeldigheid: null, ...body } });
    return url;
  };

  return {
    catalogiUrl: `${base}/catalogi/api/v1`,
    besluitenUrl: `${base}/besluiten/api/v1`,
    besluiten,
    links,
    requests,
    addInformatieobjecttype(o = {}) {
      return addType('informatieobjecttypen', { omschrijving: o.omschrijving ?? 'Brief', vertrouwelijkheidaanduiding: 'zaakvertrouwelijk', concept: o.concept ?? false });
    },
    addBesluittype(o) {
      return addType('besluittypen', { zaaktypen: o.zaaktypen, informatieobjecttypen: o.informatieobjecttypen, omschrijving: o.omschrijving ?? 'Beschikking', concept: o.concept ?? false });
    },
    setConcept(url, concept) {
      const type = types.get(url);
      if (type === undefined) throw new Error(`no type ${url}`);
      type.body.concept = concept;
    },
    failNext(count, status = 503, prefix = '/') {
      failures = { count, status, prefix };
    },
    commitThenDelayNextBesluit(ms) {
      delayNextBesluit = ms;
    },
    async close() {
      for (const t of pending) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
