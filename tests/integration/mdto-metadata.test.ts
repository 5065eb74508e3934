// M3–M9: the filesystem DMS describes every archived letter in the MDTO 1.0 model of the
// Nationaal Archief: an informatieobject (the letter in its zaak: identification, archiefvormer,
// events, waardering, bewaartermijn and its basis) and a bestand (its PDF/A: size, PRONOM format,
// checksum), in metadata.json beside the ZGW names, and in MDTO's XML form. Validated against a
// JSON Schema written from the MDTO documentation (tests/fixtures/mdto), not from this code.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { afterEach, describe, expect, it } from 'vitest';
import { createFilesystemDms, MDTO_XML_FILES } from '../../server/dms/filesystem';
import type { Delivery } from '../../server/dms/types';
import { archiveMetadata } from '../../server/submit/render-decision';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { builtinTemplates } from '../../shared/templates/builtin';
import { briefTemplate } from '../../shared/templates/builtin/brief';
import type { Template } from '../../shared/templates/schema';
import { act, eventually, submissionsOf } from '../support/api';
import { writeLetter } from '../support/letter';
import { AckingClient, login, startTestServer, waitFor, type TestServer } from '../support/server';

const dirs: string[] = [];
const servers: TestServer[] = [];
const clients: AckingClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.dispose();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kt-mdto-'));
  dirs.push(dir);
  return dir;
}

const schema = JSON.parse(readFileSync(new URL('../fixtures/mdto/mdto-1.0.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
/** The schema's complaints about `value`, as "path message" lines; [] when valid. */
function mdtoErrors(value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const SUBMITTED = Date.UTC(2026, 2, 2, 8, 30);
const APPROVED = Date.UTC(2026, 2, 3, 9, 15);
const WRITTEN = Date.UTC(2026, 2, 4, 10, 0);
const ARCHIEFVORMER = 'Gemeente Súdwest-Fryslân';

/** A delivery of version 2 of a letter on `template`, as the outbox builds it (decided, with four eyes when the template asks). */
function deliveryOf(template: Template, overrides: Partial<Delivery> = {}): Delivery {
  const pdf = new TextEncoder().encode(`%PDF-1.7 ${template.id}@${template.version}`);
  const sentWithDelivery = (template.dms?.sentOn ?? 'delivery') === 'delivery';
  return {
    identificatie: 'KT-2026-0000042',
    zaak: 'ZAAK-2026-0042',
    pdf,
    pdfSha256: sha256(pdf),
    metadata: archiveMetadata(template, `Uw aanvraag (${template.title})`, 'Vera Veldwerker', APPROVED),
    submittedBy: { id: 'u-vera', representation: 'Vera Veldwerker', at: SUBMITTED },
    ...((template.approval ?? 'never') === 'never' ? {} : { approvedBy: { id: 'u-karim', representation: 'Karim Kantoor', at: APPROVED } }),
    dagtekening: '2026-03-03',
    ...(sentWithDelivery ? { verzenddatum: '2026-03-04', bezwaartermijnEinde: '2026-04-15' } : {}),
    version: 2,
    previous: { identificatie: 'KT-2026-0000041', version: 1, reference: 'ZAAK-2026-0042/KT-2026-0000041' },
    ...overrides,
  };
}

async function file(delivery: Delivery, options: { bronorganisatie?: string } = { bronorganisatie: '002220647' }): Promise<{ folder: string; metadata: Record<string, unknown> & { mdto: Mdto } }> {
  const dir = tempDir();
  const dms = createFilesystemDms({ dir, ...options, archiefvormer: ARCHIEFVORMER, now: () => WRITTEN });
  const result = await dms.deliver(delivery);
  if (!result.ok) throw new Error(`not filed: ${result.reason}`);
  const folder = join(dir, result.reference);
  return { folder, metadata: JSON.parse(readFileSync(join(folder, 'metadata.json'), 'utf8')) as Record<string, unknown> & { mdto: Mdto } };
}

type Begrip = { begripLabel: string; begripCode?: string; begripBegrippenlijst: { verwijzingNaam: string } };
interface Mdto {
  informatieobject: Record<string, unknown> & {
    waardering: Begrip;
    bewaartermijn?: { termijnLooptijd?: string };
    informatiecategorie?: Begrip;
    event: { eventType: Begrip; eventTijd?: string; eventVerantwoordelijkeActor?: { verwijzingNaam: string } }[];
  };
  bestand: (Record<string, unknown> & { checksum: { checksumWaarde: string; checksumDatum: string; checksumAlgoritme: Begrip }[] })[];
}

const distinct = [...new Map(builtinTemplates.map((t) => [`${t.id}@${t.version}`, t])).entries()];

describe('MDTO metadata of the filesystem DMS', () => {
  it.each(distinct)('[M3] built-in %s: metadata.json holds an informatieobject and a bestand valid against the MDTO 1.0 JSON Schema', async (_key, template) => {
    const { metadata } = await file(deliveryOf(template));
    expect(mdtoErrors(metadata.mdto)).toEqual([]);
    // M4: waardering, bewaartermijn and their basis are the template's own.
    const block = template.dms?.archive;
    if (block === undefined) throw new Error(`${template.id} has no archive block`);
    const io = metadata.mdto.informatieobject;
    expect(io.waardering).toEqual({
      begripLabel: block.archiefnominatie === 'blijvend_bewaren' ? 'Blijvend te bewaren' : 'Tijdelijk te bewaren',
      begripCode: block.archiefnominatie === 'blijvend_bewaren' ? 'B' : 'V',
      begripBegrippenlijst: { verwijzingNaam: 'Begrippenlijst Waarderingen MDTO' },
    });
    expect(io.bewaartermijn?.termijnLooptijd).toBe(block.bewaartermijn);
    expect(io.informatiecategorie?.begripLabel).toBe(block.selectielijstklasse.omschrijving);
    expect(io.informatiecategorie?.begripBegrippenlijst.verwijzingNaam).toBe('Selectielijst gemeenten en intergemeentelijke organen 2020');
    expect(metadata).toMatchObject({ archiefnominatie: block.archiefnominatie, sjabloon: { id: template.id, versie: template.version } });
  });

  it('[M3] the schema bites: a missing waardering, an empty naam, a bestand without checksum or a negative size is refused', async () => {
    const { metadata } = await file(deliveryOf(briefTemplate));
    const io = metadata.mdto.informatieobject;
    const [bestand] = metadata.mdto.bestand;
    const { waardering: _w, ...noWaardering } = io;
    expect(mdtoErrors({ informatieobject: noWaardering })).toContain("/informatieobject must have required property 'waardering'");
    expect(mdtoErrors({ informatieobject: { ...io, naam: '  ' } })).not.toEqual([]);
    expect(mdtoErrors({ informatieobject: { ...io, taal: 'nl' } })).not.toEqual([]);
    expect(mdtoErrors({ informatieobject: { ...io, zaak: 'ZAAK-1' } })).toContain('/informatieobject must NOT have additional properties');
    expect(mdtoErrors({ bestand: [{ ...bestand, checksum: [] }] })).not.toEqual([]);
    expect(mdtoErrors({ bestand: [{ ...bestand, omvang: -1 }] })).not.toEqual([]);
    expect(mdtoErrors({})).not.toEqual([]);
  });

  it('[M4] a letter printed before M1 (no archive block frozen with it) is "nader te bepalen", without a term, and still valid MDTO', async () => {
    const old = deliveryOf(briefTemplate);
    const { archive: _a, ...metadataBeforeM1 } = old.metadata;
    const { metadata } = await file({ ...old, metadata: metadataBeforeM1 });
    expect(mdtoErrors(metadata.mdto)).toEqual([]);
    expect(metadata.mdto.informatieobject.waardering).toMatchObject({ begripLabel: 'Nader te bepalen', begripCode: 'N' });
    expect(metadata.mdto.informatieobject).not.toHaveProperty('bewaartermijn');
    expect(metadata.mdto.informatieobject).not.toHaveProperty('informatiecategorie');
    expect(metadata).not.toHaveProperty('archiefnominatie');
  });

  it('[M5] events: opgesteld by the submitter when submitted, goedgekeurd by the second official, verzonden on the verzenddatum; none invented', async () => {
    const { metadata } = await file(deliveryOf(briefTemplate, { approvedBy: { id: 'u-karim', representation: 'Karim Kantoor', at: APPROVED } }));
    const events = metadata.mdto.informatieobject.event.map((e) => [e.eventType.begripLabel, e.eventTijd, e.eventVerantwoordelijkeActor?.verwijzingNaam]);
    expect(events).toEqual([
      ['Opgesteld', '2026-03-02T08:30:00.000Z', 'Vera Veldwerker'],
      ['Goedgekeurd', '2026-03-03T09:15:00.000Z', 'Karim Kantoor'],
      ['Verzonden', '2026-03-04', ARCHIEFVORMER],
    ]);
    // Without four eyes and with a letter the office posts itself (J2 manual): only opgesteld.
    const horeca = builtinTemplates.find((t) => t.id === 'besluit-horeca');
    if (horeca === undefined) throw new Error('besluit-horeca missing');
    const { approvedBy: _b, ...alone } = deliveryOf(horeca);
    const { metadata: single } = await file(alone);
    expect(single.mdto.informatieobject.event.map((e) => e.eventType.begripLabel)).toEqual(['Opgesteld']);
    expect(mdtoErrors(single.mdto)).toEqual([]);
  });

  it('[M6] the bestand: its size, PRONOM fmt/477, and a SHA256 computed over the bytes written, dated then', async () => {
    const d = deliveryOf(briefTemplate);
    const { folder, metadata } = await file(d);
    const written = new Uint8Array(readFileSync(join(folder, 'document.pdf')));
    const [bestand] = metadata.mdto.bestand;
    expect(bestand).toMatchObject({
      naam: 'document.pdf',
      omvang: written.byteLength,
      bestandsformaat: { begripCode: 'fmt/477', begripBegrippenlijst: { verwijzingNaam: 'PRONOM-register' } },
      checksum: [{ checksumAlgoritme: { begripLabel: 'SHA256' }, checksumWaarde: sha256(written), checksumDatum: '2026-03-04T10:00:00.000Z' }],
    });
  });

  it('[M6] bytes that do not match the SHA-256 frozen at submit are refused for good, and nothing is filed', async () => {
    const dir = tempDir();
    const dms = createFilesystemDms({ dir, archiefvormer: ARCHIEFVORMER });
    const d = deliveryOf(briefTemplate);
    const result = await dms.deliver({ ...d, pdf: new TextEncoder().encode('%PDF-1.7 other bytes') });
    expect(result).toMatchObject({ ok: false, retryable: false, reason: expect.stringMatching(/^dms-checksum-mismatch: /) as string });
    expect(existsSync(join(dir, 'ZAAK-2026-0042'))).toBe(false);
  });

  it('[M7] one file serves both: the Documenten API names beside the MDTO objects', async () => {
    const d = deliveryOf(briefTemplate);
    const { metadata } = await file(d);
    expect(metadata).toMatchObject({
      identificatie: 'KT-2026-0000042',
      bronorganisatie: '002220647',
      titel: d.metadata.title,
      auteur: 'Vera Veldwerker',
      creatiedatum: d.metadata.creatiedatum,
      taal: 'nld',
      vertrouwelijkheidaanduiding: 'zaakvertrouwelijk',
      formaat: 'application/pdf',
      bestandsnaam: 'document.pdf',
      bestandsomvang: d.pdf.byteLength,
      integriteit: { algoritme: 'sha_256', waarde: d.pdfSha256, datum: '2026-03-04' },
      status: 'definitief',
      verzenddatum: '2026-03-04',
      versie: '2',
    });
    // ZGW says nld (ISO 639-2/B), MDTO's xsd:language says nl.
    expect(metadata.mdto.informatieobject.taal).toEqual(['nl']);
  });

  it('[M8] metadata.xml and document.pdf.mdto.xml: MDTO XML, one object each, elements in the XSD order, text escaped', async () => {
    const { folder, metadata } = await file(deliveryOf(briefTemplate, { metadata: { ...deliveryOf(briefTemplate).metadata, title: 'Rijp & <groen>' } }));
    expect(readdirSync(folder).sort()).toEqual(['document.pdf', MDTO_XML_FILES.bestand, 'metadata.json', MDTO_XML_FILES.informatieobject].sort());
    const io = readFileSync(join(folder, MDTO_XML_FILES.informatieobject), 'utf8');
    expect(io).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<MDTO xmlns="https:\/\/www\.nationaalarchief\.nl\/mdto"/);
    expect(io).toContain('<naam>Rijp &amp; &lt;groen&gt;</naam>');
    expect(io).not.toContain('<bestand>');
    // The informatieobject's children, in the order of MDTO-XML 1.0.1's informatieobjectType sequence.
    const xsdOrder = ['identificatie', 'naam', 'aggregatieniveau', 'classificatie', 'trefwoord', 'omschrijving', 'raadpleeglocatie', 'dekkingInTijd', 'dekkingInRuimte', 'taal', 'event', 'waardering', 'bewaartermijn', 'informatiecategorie', 'isOnderdeelVan', 'bevatOnderdeel', 'heeftRepresentatie', 'aanvullendeMetagegevens', 'gerelateerdInformatieobject', 'archiefvormer', 'betrokkene', 'activiteit', 'beperkingGebruik'];
    const children = [...io.matchAll(/^ {4}<([A-Za-z]+)>/gm)].map((m) => m[1] ?? '');
    const ranks = children.map((c) => xsdOrder.indexOf(c));
    expect(ranks.every((r) => r >= 0)).toBe(true);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(children)).toEqual(new Set(Object.keys(metadata.mdto.informatieobject)));
    const bestand = readFileSync(join(folder, MDTO_XML_FILES.bestand), 'utf8');
    const bestandChildren = [...new Set([...bestand.matchAll(/^ {4}<([A-Za-z]+)>/gm)].map((m) => m[1]))];
    expect(bestandChildren).toEqual(['identificatie', 'naam', 'omvang', 'bestandsformaat', 'checksum', 'isRepresentatieVan']);
    expect(bestand).toContain('<begripCode>fmt/477</begripCode>');
  });

  it('[M9] identified by its kenmerk with its source, part of its zaak, formed by the municipality (with its RSIN when set), linked to the version it follows', async () => {
    const { metadata } = await file(deliveryOf(briefTemplate));
    expect(metadata.mdto.informatieobject).toMatchObject({
      identificatie: [{ identificatieKenmerk: 'KT-2026-0000042', identificatieBron: `Keukentafel ${ARCHIEFVORMER}` }],
      aggregatieniveau: { begripLabel: 'Archiefstuk', begripBegrippenlijst: { verwijzingNaam: 'Begrippenlijst Aggregatieniveaus MDTO' } },
      isOnderdeelVan: [{ verwijzingNaam: 'Zaak ZAAK-2026-0042', verwijzingIdentificatie: { identificatieKenmerk: 'ZAAK-2026-0042' } }],
      archiefvormer: [{ verwijzingNaam: ARCHIEFVORMER, verwijzingIdentificatie: { identificatieKenmerk: '002220647', identificatieBron: 'RSIN' } }],
      gerelateerdInformatieobject: [{ gerelateerdInformatieobjectVerwijzing: { verwijzingIdentificatie: { identificatieKenmerk: 'KT-2026-0000041' } } }],
      heeftRepresentatie: [{ verwijzingNaam: 'document.pdf' }],
    });
    const { metadata: noRsin } = await file(deliveryOf(briefTemplate), {});
    expect(noRsin.mdto.informatieobject.archiefvormer).toEqual([{ verwijzingNaam: ARCHIEFVORMER }]);
    expect(mdtoErrors(noRsin.mdto)).toEqual([]);
  });

  it('[M3] end to end: a letter submitted through the server is archived with valid MDTO metadata, the municipality as archiefvormer', async () => {
    const s = await startTestServer({ persistent: true, municipality: ARCHIEFVORMER });
    servers.push(s);
    const vera = await login(s.url, 'veldwerker');
    const id = randomUUID();
    const c = new AckingClient(s.url, `doc:${id}`, vera.accessToken);
    clients.push(c);
    await waitFor(() => c.durable !== null, 10_000, 'document loaded');
    await writeLetter(c, id, vera);
    expect((await act(s.url, vera.accessToken, id, 'submit')).status).toBe(202);
    await eventually(async () => (await s.store.getDocument(id))?.status === WorkflowStatus.archived, 'archived');
    const [archived] = await submissionsOf(s.url, vera.accessToken, id);
    if (archived === undefined || s.dataDir === null) throw new Error('not archived');
    const folder = join(s.dataDir, 'dms', 'ZAAK-2026-0042', archived.identificatie);
    const metadata = JSON.parse(readFileSync(join(folder, 'metadata.json'), 'utf8')) as { mdto: Mdto };
    expect(mdtoErrors(metadata.mdto)).toEqual([]);
    expect(metadata.mdto.informatieobject).toMatchObject({ archiefvormer: [{ verwijzingNaam: ARCHIEFVORMER }] });
    expect(metadata.mdto.informatieobject.event[0]?.eventType.begripLabel).toBe('Opgesteld');
    expect(metadata.mdto.bestand[0]?.checksum[0]?.checksumWaarde).toBe(archived.pdfSha256);
    expect(metadata).toMatchObject({ sjabloon: { id: 'brief' } });
  });
});
