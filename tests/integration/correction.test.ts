// A correction of an archived document, through the real server and the ZGW adapter against the
// stateful fake DMS: the office returns an in-dms letter with a remark (W4), the field worker
// corrects it, and its next submit is version 2, filed as a new version of the same DMS object
// through lock, PATCH, unlock (O5): one object, two versions, no second document.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createZgwDms } from '../../server/dms/zgw/adapter';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { act, eventually, getDocument, newKey, submissionsOf } from '../support/api';
import { writeSection } from '../support/decision';
import { writeLetter } from '../support/letter';
import { AckingClient, login, openDocument, startTestServer, type TestServer } from '../support/server';
import { fakeZgwConfig, startFakeZgw, type FakeZgw } from '../support/zgw-fake';

const SECRET = 'correction-test-secret-correction-test';
const RSIN = '002220647';

let fake: FakeZgw;
let s: TestServer | null = null;
const clients: AckingClient[] = [];
beforeEach(async () => {
  fake = await startFakeZgw(SECRET);
  fake.addZaak('ZAAK-2026-0042', RSIN);
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await s?.dispose();
  s = null;
  await fake.close();
});

describe('correcting an archived document', () => {
  it('[W4] [O5] the office returns an in-dms letter; the corrected version 2 updates the same DMS object', async () => {
    const dms = createZgwDms({ config: fakeZgwConfig(fake, SECRET, RSIN) });
    s = await startTestServer({ dms, outbox: { pollMs: 50 } });
    const srv = s;
    const vera = await login(srv.url, 'veldwerker');
    const kantoor = await login(srv.url, 'kantoor');
    const id = randomUUID();
    const { client } = await openDocument(srv.url, vera.accessToken, id);
    clients.push(client);
    await writeLetter(client, id, vera);
    expect((await act(srv.url, vera.accessToken, id, 'submit')).status).toBe(202);
    await eventually(async () => (await srv.store.getDocument(id))?.status === WorkflowStatus.archived, 'version 1 archived');
    const [v1] = await submissionsOf(srv.url, vera.accessToken, id);
    expect(fake.documents).toHaveLength(1);

    // The office finds an error after archiving and sends it back with a remark.
    const remark = 'De datum in de tweede alinea klopt niet.';
    const returned = await act(srv.url, kantoor.accessToken, id, 'return', newKey(), { remark, section: 'kern' });
    expect(returned).toMatchObject({ status: 202, body: { status: WorkflowStatus.concept, version: 1 } });
    expect((await getDocument(srv.url, vera.accessToken, id)).body).toMatchObject({ remarks: [{ text: remark, section: 'kern', resolved: false }] });

    writeSection(client.doc, 'kern', 'U woont sinds 1 april bij uw moeder en zorgt voor haar.');
    await client.waitSaved();
    expect(await act(srv.url, vera.accessToken, id, 'submit')).toMatchObject({ status: 202, body: { submission: { version: 2 } } });
    await eventually(async () => (await srv.store.getDocument(id))?.status === WorkflowStatus.archived, 'version 2 archived');

    // One DMS object, now at its second version, unlocked, with version 2's bytes; one link.
    const views = await submissionsOf(srv.url, vera.accessToken, id);
    expect(views.map((v) => [v.version, v.status, v.dmsReference])).toEqual([
      [1, 'in-dms', v1?.dmsReference],
      [2, 'in-dms', v1?.dmsReference],
    ]);
    expect(fake.documents).toHaveLength(1);
    expect(fake.documents[0]).toMatchObject({ versie: 2, lock: null });
    expect(fake.documents[0]!.body).toMatchObject({ integriteit: { waarde: views[1]?.pdfSha256 } });
    expect(fake.links).toHaveLength(1);
    const methods = fake.requests.map((r) => `${r.method} ${r.path.split('?')[0]!.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{uuid}')}`);
    expect(methods.filter((m) => m.endsWith('/lock') || m.startsWith('PATCH') || m.endsWith('/unlock'))).toEqual([
      'POST /documenten/api/v1/enkelvoudiginformatieobjecten/{uuid}/lock',
      'PATCH /documenten/api/v1/enkelvoudiginformatieobjecten/{uuid}',
      'POST /documenten/api/v1/enkelvoudiginformatieobjecten/{uuid}/unlock',
    ]);
  });
});
