// The Catalogi check at start (Z22) and the submit it refuses (Z23): a template whose
// informatieobjecttype or besluittype the Catalogi API does not have, or has only as a concept, is
// logged with the type's URL and refuses submits with a Dutch reason (the draft stays); a
// Catalogi API that cannot be read refuses nothing. Real servers on 127.0.0.1: the Catalogi/
// Besluiten fake and the Documenten/Zaken fake, the Keukentafel server with the ZGW adapter.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createZgwDms } from '../../server/dms/zgw/adapter';
import type { ZgwConfig } from '../../server/dms/zgw/config';
import { briefTemplate } from '../../shared/templates/builtin/brief';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { Template } from '../../shared/templates/schema';
import { act, getDocument } from '../support/api';
import { writeLetter } from '../support/letter';
import { AckingClient, login, openDocument, startTestServer, type TestServer } from '../support/server';
import { startFakeBesluiten, type FakeBesluiten } from '../support/zgw-besluiten-fake';
import { fakeZgwConfig, startFakeZgw, type FakeZgw } from '../support/zgw-fake';

const SECRET = 'template-check-secret-template-check';
const RSIN = '002220647';
const TODAY = '2026-03-02';

let zgw: FakeZgw;
let bes: FakeBesluiten;
const servers: TestServer[] = [];
const clients: AckingClient[] = [];
beforeEach(async () => {
  zgw = await startFakeZgw(SECRET);
  bes = await startFakeBesluiten(SECRET);
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.dispose();
  await Promise.all([zgw.close(), bes.close()]);
});

function config(overrides: Partial<ZgwConfig> = {}): ZgwConfig {
  return fakeZgwConfig({ ...zgw, catalogiUrl: bes.catalogiUrl }, SECRET, RSIN, { informatieobjecttype: bes.addInformatieobjecttype(), besluitenUrl: bes.besluitenUrl, ...overrides });
}

function template(id: string, zgwBlock: NonNullable<Template['dms']>['zgw'], kind: Template['kind'] = 'brief'): Template {
  return Template.parse({ ...briefTemplate, id, kind, dms: { ...briefTemplate.dms, zgw: zgwBlock } });
}

function collectLog(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

describe('Catalogi check at start', () => {
  it('[Z22] a missing or concept type is named with its URL and its templates are refused; published types pass', async () => {
    const published = bes.addInformatieobjecttype();
    const concept = bes.addInformatieobjecttype({ concept: true });
    const missing = `${bes.catalogiUrl}/informatieobjecttypen/00000000-0000-4000-8000-00000000beef`;
    const conceptBesluit = bes.addBesluittype({ zaaktypen: [], informatieobjecttypen: [published], concept: true });
    const dms = createZgwDms({ config: config() });
    const checked = await dms.checkTemplates!(
      [
        template('goed', { informatieobjecttype: published }),
        template('concept', { informatieobjecttype: concept }),
        template('weg', { informatieobjecttype: { [`${bes.catalogiUrl}/zaaktypen/x`]: missing } }),
        template('besluit-concept', { informatieobjecttype: published, besluittype: conceptBesluit }, 'besluit'),
      ],
      TODAY,
    );
    expect([...checked.refused.keys()].sort()).toEqual(['besluit-concept@1', 'concept@1', 'weg@1']);
    expect(checked.refused.get('concept@1')).toMatch(/^Dit sjabloon kan nu niet worden ingediend: .*niet gepubliceerd/);
    expect(checked.refused.get('weg@1')).toContain(missing);
    expect(checked.refused.get('besluit-concept@1')).toContain(conceptBesluit);
    const warned = checked.lines.filter((l) => l.level === 'warn');
    expect(warned.map((l) => l.url).sort()).toEqual([concept, conceptBesluit, missing].sort());
    expect(warned.find((l) => l.url === missing)?.message).toContain('bestaat niet');
  });

  it('[Z22] a Catalogi API that cannot be read is logged and refuses nothing; without ZGW_BESLUITEN_URL the log says decisions are documents only', async () => {
    bes.failNext(100, 503, '/catalogi/');
    const { besluitenUrl: _b, ...withoutBesluiten } = config();
    const checked = await createZgwDms({ config: withoutBesluiten }).checkTemplates!([template('goed', { informatieobjecttype: bes.addInformatieobjecttype() })], TODAY);
    expect(checked.refused.size).toBe(0);
    expect(checked.lines.some((l) => l.level === 'warn' && l.message.includes('kon niet worden gecontroleerd'))).toBe(true);
    expect(checked.lines.some((l) => l.level === 'info' && l.message.startsWith('ZGW_BESLUITEN_URL is niet ingesteld: besluiten worden alleen als document gearchiveerd'))).toBe(true);
  });

  it('[Z23] the server logs the unpublished default type at start, and a letter on that template is refused at submit with the Dutch reason; the draft stays', async () => {
    const unpublished = bes.addInformatieobjecttype({ concept: true });
    const log = collectLog();
    const s = await startTestServer({ dms: createZgwDms({ config: config({ informatieobjecttype: unpublished }) }), logLevel: 'info', logStream: log.stream });
    servers.push(s);
    expect(log.text()).toContain(unpublished);
    const vera = await login(s.url, 'veldwerker');
    const opened = await openDocument(s.url, vera.accessToken, randomUUID());
    clients.push(opened.client);
    await writeLetter(opened.client, opened.id, vera);
    const answer = await act(s.url, vera.accessToken, opened.id, 'submit');
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual({
      problems: [{ section: 'meta', rule: 'dms-type-unavailable', message: expect.stringContaining(unpublished) as string }],
    });
    expect((await getDocument(s.url, vera.accessToken, opened.id)).body).toMatchObject({ status: WorkflowStatus.concept, submissions: [] });
    expect(zgw.documents).toHaveLength(0);
  });
});
