// F45–F51: a submission's attachments in a ZGW DMS, against the stateful fake (tests/support/
// zgw-fake.ts: identificatie unique per bronorganisatie, links unique per pair, locks and parts
// as Open Zaak keeps them, zaaktypen that allow only their informatieobjecttypen). Each
// attachment its own informatieobject linked to the letter's zaak; exactly once however the
// delivery is cut: after every single request in turn (its answer lost), and a create that
// commits after the adapter gave up. The memory DMS records attachments the same way (F51).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asDelivery, attachmentFields, letterLock, lockOf, tagLock } from '../../server/dms/zgw/attachments';
import { createZgwDms, type ZgwDelivery } from '../../server/dms/zgw/adapter';
import type { ZgwConfig } from '../../server/dms/zgw/config';
import { createMemoryDms } from '../../server/dms/memory';
import type { Delivery } from '../../server/dms/types';
import { fileBytes, letterDelivery, sha256, type AttachmentSpec } from '../support/attachment-delivery';
import { fakeZgwConfig, startFakeZgw, type FakeZgw } from '../support/zgw-fake';
import { typesOfTemplate } from '../../server/dms/zgw/template-check';
import { briefTemplate } from '../../shared/templates/builtin/brief';
import { Template as TemplateSchema, type Template } from '../../shared/templates/schema';

const SECRET = 'een-geheim-van-minstens-32-tekens-lang!';
const RSIN = '002220647';
const ZAAK = 'ZAAK-2026-0042';
const TWO: AttachmentSpec[] = [
  { name: 'Foto 3 december 14.05.jpg', caption: 'Vochtplek boven het aanrecht' },
  { name: 'Brief deurwaarder.pdf', mediaType: 'application/pdf' },
];

const fakes: FakeZgw[] = [];
let fake: FakeZgw;
async function newFake(options: { partSize?: number } = {}): Promise<FakeZgw> {
  const f = await startFakeZgw(SECRET, options);
  f.addZaak(ZAAK, RSIN);
  fakes.push(f);
  return f;
}
beforeEach(async () => {
  fake = await newFake();
});
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

function config(f: FakeZgw = fake, overrides: Partial<ZgwConfig> = {}): ZgwConfig {
  return fakeZgwConfig(f, SECRET, RSIN, overrides);
}

function delivery(overrides: Partial<ZgwDelivery> = {}, specs: AttachmentSpec[] = TWO): ZgwDelivery {
  return letterDelivery(overrides, specs);
}

/** A fetch that lets request number `n` reach the DMS (which commits it) and then loses its answer. */
function losingAnswer(n: number): typeof fetch {
  let seen = 0;
  return async (input, init) => {
    const response = await fetch(input, init);
    seen += 1;
    if (seen !== n) return response;
    await response.arrayBuffer();
    throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
  };
}

/** Exactly one object per identificatie, each with its bytes, each linked to the zaak exactly once. */
function expectFiledOnce(f: FakeZgw, d: Delivery): void {
  const identificaties = [d.identificatie, ...(d.attachments ?? []).map((a) => a.identificatie)];
  expect(f.documents.map((doc) => doc.body.identificatie).sort()).toEqual([...identificaties].sort());
  const zaakUrl = f.zaak(ZAAK)?.url;
  for (const doc of f.documents) {
    expect(f.links.filter((l) => l.informatieobject === doc.url)).toEqual([expect.objectContaining({ zaak: zaakUrl })]);
    expect(doc.lock).toBeNull();
  }
  for (const a of d.attachments ?? []) {
    const doc = f.documents.find((x) => x.body.identificatie === a.identificatie);
    expect(sha256(doc?.content ?? new Uint8Array())).toBe(a.sha256);
  }
}

/** What the outbox does after an unknown outcome: look up first, deliver only when not there (O2). */
async function finish(dms: ReturnType<typeof createZgwDms>, d: ZgwDelivery): Promise<void> {
  for (let round = 0; round < 3; round += 1) {
    const there = await dms.lookup(d.identificatie, d.zaak, d);
    if ('found' in there && there.found) return;
    const again = await dms.deliver(d);
    if (!again.ok) throw new Error(`retry failed: ${again.reason}`);
  }
  throw new Error('not archived after three rounds');
}

describe('ZGW: attachments', () => {
  it('[F45] each attachment is its own informatieobject linked to the letter\'s zaak; the look-up finds the whole delivery', async () => {
    const dms = createZgwDms({ config: config() });
    const d = delivery();
    const result = await dms.deliver(d);
    const letter = fake.documents.find((doc) => doc.body.identificatie === d.identificatie);
    expect(result).toEqual({ ok: true, reference: letter?.url });
    expectFiledOnce(fake, d);
    expect(fake.documents).toHaveLength(3);
    expect(await dms.lookup(d.identificatie, d.zaak, d)).toEqual({ found: true, reference: letter?.url });
    // Delivering it again files nothing new.
    expect(await dms.deliver(d)).toEqual(result);
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/enkelvoudiginformatieobjecten'))).toHaveLength(3);
    expectFiledOnce(fake, d);
  });

  it('[F45] a delivery without a zaak files the letter and its attachments unlinked, and the look-up finds them', async () => {
    const dms = createZgwDms({ config: config() });
    const d = delivery({ zaak: '' });
    expect((await dms.deliver(d)).ok).toBe(true);
    expect(fake.documents.map((doc) => doc.body.identificatie)).toEqual([d.identificatie, 'KT-2026-0000042-B01', 'KT-2026-0000042-B02']);
    expect(fake.links).toEqual([]);
    expect(await dms.lookup(d.identificatie, '', d)).toMatchObject({ found: true });
  });

  it('[F45] [O5] a new version goes into the letter\'s object; its attachments are filed under the new version\'s identificaties, and the look-up waits for them', async () => {
    const dms = createZgwDms({ config: config() });
    const v1 = delivery({ version: 1 }, TWO.slice(0, 1));
    const first = await dms.deliver(v1);
    if (!first.ok) throw new Error(first.reason);
    const pdf = new TextEncoder().encode('%PDF-1.7 versie 2');
    const v2 = delivery(
      { identificatie: 'KT-2026-0000043', version: 2, pdf, pdfSha256: sha256(pdf), previous: { identificatie: v1.identificatie, version: 1, reference: first.reference } },
      TWO,
    );
    // Cut once the letter's new version is in (requests 3–6: read, lock, PATCH, unlock), at its link check (7).
    expect((await createZgwDms({ config: config(), fetch: losingAnswer(7) }).deliver(v2)).ok).toBe(false);
    expect(await dms.lookup(v2.identificatie, v2.zaak, v2)).toEqual({ found: false });
    await finish(dms, v2);
    expect(fake.documents.map((doc) => [doc.body.identificatie, doc.versie])).toEqual([
      ['KT-2026-0000042', 2],
      ['KT-2026-0000042-B01', 1],
      ['KT-2026-0000043-B01', 1],
      ['KT-2026-0000043-B02', 1],
    ]);
    expect(await dms.lookup(v2.identificatie, v2.zaak, v2)).toEqual({ found: true, reference: first.reference });
    for (const doc of fake.documents) expect(fake.links.filter((l) => l.informatieobject === doc.url)).toHaveLength(1);
  });

  it('[F46] an attachment carries its own identificatie, bestandsnaam, formaat, integriteit and title, and the letter\'s bronorganisatie, type, author and confidentiality', async () => {
    const d = delivery();
    await createZgwDms({ config: config() }).deliver(d);
    const letter = fake.documents.find((doc) => doc.body.identificatie === d.identificatie)!.body;
    const [photo, pdf] = d.attachments!;
    const photoDoc = fake.documents.find((doc) => doc.body.identificatie === 'KT-2026-0000042-B01')!.body;
    expect(photoDoc).toMatchObject({
      bronorganisatie: RSIN,
      identificatie: 'KT-2026-0000042-B01',
      creatiedatum: letter.creatiedatum,
      taal: 'nld',
      formaat: 'image/jpeg',
      status: 'definitief',
      informatieobjecttype: letter.informatieobjecttype,
      titel: 'Vochtplek boven het aanrecht',
      auteur: 'Vera Veldwerker',
      bestandsnaam: 'Foto 3 december 14.05.jpg',
      bestandsomvang: photo!.size,
      integriteit: { algoritme: 'sha_256', waarde: photo!.sha256, datum: '2026-03-02' },
      vertrouwelijkheidaanduiding: letter.vertrouwelijkheidaanduiding,
      indicatieGebruiksrecht: false,
      beschrijving: 'Bijlage 1 bij Keukentafel KT-2026-0000042 (Verslag huisbezoek): Vochtplek boven het aanrecht',
    });
    expect(Buffer.from(photoDoc.inhoud as string, 'base64')).toEqual(Buffer.from(photo!.bytes));
    expect(fake.documents.find((doc) => doc.body.identificatie === 'KT-2026-0000042-B02')!.body).toMatchObject({
      formaat: 'application/pdf',
      titel: 'Brief deurwaarder.pdf',
      bestandsnaam: 'Brief deurwaarder.pdf',
      integriteit: { waarde: pdf!.sha256 },
    });
    // The name gets the extension of the type the server found, whatever the device called it.
    const odd = delivery({}, [{ name: 'IMG_0001.HEIC' }, { name: 'scan', mediaType: 'image/png' }]);
    const fields = odd.attachments!.map((a, i) => attachmentFields({ config: config() }, odd, a, i, 'x').create.bestandsnaam);
    expect(fields).toEqual(['IMG_0001.jpg', 'scan.png']);
  });

  it('[F47] attachments take the template\'s dms.zgw.bijlageInformatieobjecttype; a zaaktype that does not allow it refuses before anything is created', async () => {
    const photoType = `${fake.catalogiUrl}/informatieobjecttypen/00000000-0000-4000-8000-0000000000f0`;
    const base = delivery();
    const d = delivery({ metadata: { ...base.metadata, zgw: { bijlageInformatieobjecttype: photoType } } });
    const refused = await createZgwDms({ config: config() }).deliver(d);
    expect(refused).toMatchObject({ ok: false, retryable: false, failure: { code: 'dms-type-not-allowed', zaak: ZAAK, informatieobjecttype: photoType } });
    expect(fake.documents).toEqual([]);
    fake.allowType(photoType);
    expect((await createZgwDms({ config: config() }).deliver(d)).ok).toBe(true);
    expect(fake.documents.map((doc) => [doc.body.identificatie, doc.body.informatieobjecttype === photoType])).toEqual([
      ['KT-2026-0000042', false],
      ['KT-2026-0000042-B01', true],
      ['KT-2026-0000042-B02', true],
    ]);
    expectFiledOnce(fake, d);
  });

  it('[F47] the check at start reads the attachments\' own type too (a template naming one that the Catalogi lacks refuses submits)', () => {
    const photoType = `${fake.catalogiUrl}/informatieobjecttypen/00000000-0000-4000-8000-0000000000f0`;
    const template = { ...briefTemplate, dms: { ...briefTemplate.dms, zgw: { bijlageInformatieobjecttype: photoType } } } as Template;
    expect(typesOfTemplate(template, config())).toContainEqual({ kind: 'informatieobjecttype', url: photoType });
    expect(typesOfTemplate(briefTemplate, config()).map((t) => t.url)).not.toContain(photoType);
    // The template schema takes it (one URL, or one per zaaktype).
    expect(TemplateSchema.safeParse(template).success).toBe(true);
  });

  it('[F48] a delivery cut after the letter is not archived yet, and the next attempt adds only the attachments', async () => {
    // Request 6 is the letter's link (zaak, zaaktype, look-up, create, link list, link).
    const d = delivery();
    const cut = await createZgwDms({ config: config(), fetch: losingAnswer(6) }).deliver(d);
    expect(cut).toMatchObject({ ok: false, retryable: true, failure: { code: 'dms-unreachable' } });
    expect(fake.documents.map((doc) => doc.body.identificatie)).toEqual([d.identificatie]);
    expect(fake.links).toHaveLength(1);
    const dms = createZgwDms({ config: config() });
    expect(await dms.lookup(d.identificatie, d.zaak, d)).toEqual({ found: false });
    await finish(dms, d);
    expectFiledOnce(fake, d);
  });

  it('[F48] a delivery cut after attachment 1 finishes with attachment 2 only: one object per attachment, linked once', async () => {
    // Requests 7–10: attachment 1's look-up, create, link list, link.
    const d = delivery();
    const cut = await createZgwDms({ config: config(), fetch: losingAnswer(10) }).deliver(d);
    expect(cut).toMatchObject({ ok: false, retryable: true });
    expect(fake.documents.map((doc) => doc.body.identificatie)).toEqual([d.identificatie, 'KT-2026-0000042-B01']);
    const dms = createZgwDms({ config: config() });
    expect(await dms.lookup(d.identificatie, d.zaak, d)).toEqual({ found: false });
    await finish(dms, d);
    expectFiledOnce(fake, d);
  });

  it('[F48] cut after every single request in turn (the DMS did it, the answer was lost): always exactly one object per attachment, linked once', async () => {
    const d = delivery();
    await createZgwDms({ config: config() }).deliver(d);
    const total = fake.requests.length;
    expect(total).toBe(14);
    for (let n = 1; n <= total; n += 1) {
      const f = await newFake();
      const cut = await createZgwDms({ config: config(f), fetch: losingAnswer(n) }).deliver(d);
      expect(cut.ok, `cut after request ${n}`).toBe(false);
      const dms = createZgwDms({ config: config(f) });
      // Archived only when the very last request (the last link) was done.
      expect(await dms.lookup(d.identificatie, d.zaak, d), `look-up after cut ${n}`).toEqual(n === total ? { found: true, reference: expect.any(String) as string } : { found: false });
      await finish(dms, d);
      expectFiledOnce(f, d);
      await f.close();
      fakes.splice(fakes.indexOf(f), 1);
    }
  }, 60_000);

  it('[F48] [Z10] an attachment filed but never linked (cut), then the zaak closed: the refusal removes that attachment, so none is left without its zaak', async () => {
    // Request 8 is attachment 1's create: it commits, its answer is lost, no link follows.
    const d = delivery();
    expect((await createZgwDms({ config: config(), fetch: losingAnswer(8) }).deliver(d)).ok).toBe(false);
    const orphan = fake.documents.find((doc) => doc.body.identificatie === 'KT-2026-0000042-B01');
    expect(orphan).toBeDefined();
    fake.closeZaak(ZAAK);
    const refused = await createZgwDms({ config: config() }).deliver(d);
    expect(refused).toMatchObject({ ok: false, retryable: false, failure: { code: 'dms-zaak-closed' } });
    expect(fake.deleted).toEqual([orphan?.url]);
    // The letter, in its zaak, stays.
    expect(fake.documents.map((doc) => doc.body.identificatie)).toEqual([d.identificatie]);
  });

  it('[F48] an attachment\'s create that commits after the adapter timed out is found, not filed again', async () => {
    const d = delivery();
    // After the letter's create, the next create (attachment 1's) commits and answers too late.
    let armed = false;
    const arming: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!armed && init?.method === 'POST' && String(input).endsWith('/enkelvoudiginformatieobjecten')) {
        armed = true;
        fake.commitThenDelayNextCreate(10_000);
      }
      return response;
    };
    const impatient = createZgwDms({ config: config(fake, { timeoutMs: 1_500 }), fetch: arming });
    expect(await impatient.deliver(d)).toMatchObject({ ok: false, retryable: true, failure: { code: 'dms-timeout' } });
    expect(fake.documents.map((doc) => doc.body.identificatie)).toEqual([d.identificatie, 'KT-2026-0000042-B01']);
    const dms = createZgwDms({ config: config() });
    expect(await dms.lookup(d.identificatie, d.zaak, d)).toEqual({ found: false });
    await finish(dms, d);
    expectFiledOnce(fake, d);
  });

  it('[F49] a large attachment goes up in parts; cut mid-upload, its lock is stored tagged as its own and the next attempt completes the same object', async () => {
    const f = await newFake({ partSize: 512 });
    const cfg = config(f, { chunkThresholdBytes: 1_000 });
    const big = fileBytes('image/jpeg', 'big photo', 2_000);
    let held: string | null = null;
    const stored: (string | null)[] = [];
    const remember = (lock: string | null): Promise<void> => {
      held = lock;
      stored.push(lock);
      return Promise.resolve();
    };
    const d = delivery({ rememberLock: remember }, [{ name: 'Groot.jpg', bytes: big }]);
    f.failPartUploadAfter(1);
    expect(await createZgwDms({ config: cfg }).deliver(d)).toMatchObject({ ok: false, retryable: true, failure: { code: 'dms-server-error' } });
    expect(held).toMatch(/^bijlage:KT-2026-0000042-B01:/);
    const half = f.documents.find((doc) => doc.body.identificatie === 'KT-2026-0000042-B01');
    expect(half?.lock).not.toBeNull();
    const dms = createZgwDms({ config: cfg });
    expect(await dms.lookup(d.identificatie, d.zaak, d)).toEqual({ found: false });
    const retry = await dms.deliver({ ...d, heldLock: held ?? undefined });
    expect(retry.ok).toBe(true);
    expect(held).toBeNull();
    expectFiledOnce(f, d);
    expect(f.documents.find((doc) => doc.body.identificatie === 'KT-2026-0000042-B01')?.url).toBe(half?.url);
    // Never a forced unlock: the stored lock was used.
    expect(f.requests.filter((r) => r.path.endsWith('/unlock'))).toHaveLength(1);
    expect(stored.every((l) => l === null || l.startsWith('bijlage:KT-2026-0000042-B01:'))).toBe(true);
  });

  it('[F49] a tagged lock belongs to its attachment only: never to the letter, never to another attachment', () => {
    const tagged = tagLock('KT-2026-0000042-B02', 'abc123');
    expect(letterLock(tagged)).toBeUndefined();
    expect(letterLock('abc123')).toBe('abc123');
    expect(lockOf(tagged, 'KT-2026-0000042-B02')).toBe('abc123');
    expect(lockOf(tagged, 'KT-2026-0000042-B01')).toBeUndefined();
    expect(lockOf('abc123', 'KT-2026-0000042-B01')).toBeUndefined();
    const d = delivery({ heldLock: tagged });
    expect(asDelivery(d, d.attachments![1]!).heldLock).toBe('abc123');
    expect(asDelivery(d, d.attachments![0]!).heldLock).toBeUndefined();
  });

  it('[F50] the look-up says "not there" while an attachment is missing, unlinked or another document; someone else\'s object under an attachment\'s identificatie is refused, never adopted', async () => {
    const d = delivery();
    const dms = createZgwDms({ config: config() });
    await dms.deliver(d);
    expect(await dms.lookup(d.identificatie, d.zaak, d)).toMatchObject({ found: true });
    // Unlinked (someone removed the link in the DMS).
    const b2 = fake.documents.find((doc) => doc.body.identificatie === 'KT-2026-0000042-B02')!;
    const link = fake.links.find((l) => l.informatieobject === b2.url)!;
    fake.links.splice(fake.links.indexOf(link), 1);
    expect(await dms.lookup(d.identificatie, d.zaak, d)).toEqual({ found: false });
    expect((await dms.deliver(d)).ok).toBe(true);
    expectFiledOnce(fake, d);
    // Other bytes under B01: not ours.
    const other = delivery({}, [{ ...TWO[0]!, bytes: fileBytes('image/jpeg', 'another photo') }, TWO[1]!]);
    expect(await dms.lookup(other.identificatie, other.zaak, other)).toEqual({ found: false });
    expect(await dms.deliver(other)).toMatchObject({ ok: false, retryable: false, failure: { code: 'duplicate-identificatie', identificatie: 'KT-2026-0000042-B01' } });
    expectFiledOnce(fake, d);
    // Bytes that are not the frozen ones: refused before anything is created.
    const f = await newFake();
    const [photo] = d.attachments!;
    const swapped = { ...d, attachments: [{ ...photo!, bytes: fileBytes('image/jpeg', 'swapped', photo!.size) }] };
    expect(await createZgwDms({ config: config(f) }).deliver(swapped)).toMatchObject({ ok: false, retryable: false, failure: { code: 'dms-attachment-mismatch' } });
    expect(f.documents).toEqual([]);
  });

  it('[F51] the memory DMS records each attachment by its identificatie, and J9 covers them', async () => {
    const dms = createMemoryDms();
    const d = delivery();
    expect((await dms.deliver(d)).ok).toBe(true);
    expect([...dms.attachments.keys()]).toEqual(['KT-2026-0000042-B01', 'KT-2026-0000042-B02']);
    expect(dms.attachments.get('KT-2026-0000042-B01')).toMatchObject({ letter: d.identificatie, attachment: { sha256: d.attachments![0]!.sha256, caption: 'Vochtplek boven het aanrecht' } });
    expect(await dms.lookup(d.identificatie, d.zaak, d)).toMatchObject({ found: true });
    const other = delivery({}, [{ ...TWO[0]!, bytes: fileBytes('image/jpeg', 'another photo') }]);
    expect(await dms.lookup(other.identificatie, other.zaak, other)).toEqual({ found: false });
    expect(await dms.deliver(other)).toMatchObject({ ok: false, failure: { code: 'duplicate-identificatie' } });
    expect(dms.duplicates).toBe(0);
  });
});
