// Y11: the server's push decision on a changed row: the kind and the recipients by the shared
// rule, and each event (document, kind, version) pushed once, however often the row is heard.
import { describe, expect, it } from 'vitest';
import { createNoticePush } from '../../../server/push/notice-push';
import { allowedEndpoint, defaultPushSettings, readPushSettings } from '../../../server/push/config';
import { encryptPushPayload } from '../../../server/push/encrypt';
import { createMemoryStore } from '../../../server/store/memory/store';
import type { DocumentRow, ReviewRecord, SubmissionListing, UserRow } from '../../../server/store/types';
import { createECDH, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const users: UserRow[] = [
  { id: 'vera', username: 'veldwerker', name: 'Vera', teamId: 'centrum', roles: ['field'], passwordHash: '', disabled: false },
  { id: 'kim', username: 'kantoor', name: 'Kim', teamId: 'centrum', roles: ['office', 'approver'], passwordHash: '', disabled: false },
  { id: 'oud', username: 'oud', name: 'Oud', teamId: 'centrum', roles: ['office', 'approver'], passwordHash: '', disabled: true },
  { id: 'west', username: 'west', name: 'West', teamId: 'west', roles: ['office', 'approver'], passwordHash: '', disabled: false },
];

function harness(reviews: ReviewRecord[] = [], submissions: Partial<SubmissionListing>[] = [{ version: 1, submittedBy: 'vera' }]) {
  const store = createMemoryStore();
  const sent: string[][] = [];
  const push = createNoticePush({
    store: {
      listUsers: () => Promise.resolve(users),
      listReviews: () => Promise.resolve(reviews),
      listSubmissions: () => Promise.resolve(submissions as SubmissionListing[]),
      claimPushNotice: (key, at) => store.claimPushNotice(key, at),
    },
    sender: {
      notifyUsers: (ids) => {
        sent.push([...ids]);
        return Promise.resolve([]);
      },
    },
    now: () => 1,
  });
  return { push, sent };
}

const row = (patch: Partial<DocumentRow>): DocumentRow => ({
  id: 'doc-1',
  teamId: 'centrum',
  createdBy: 'vera',
  createdAt: 1,
  updatedAt: 2,
  title: 'Brief aan mevrouw De Boer',
  templateId: 'brief',
  kind: 'brief',
  zaak: 'ZAAK-1',
  status: 'concept',
  ...patch,
});

describe('notice push (server)', () => {
  it('[Y11] each event is pushed once, to the users the shared rule names (active, same team)', async () => {
    const { push, sent } = harness();
    await push.documentChanged(row({ status: 'ter-goedkeuring' }));
    await push.documentChanged(row({ status: 'ter-goedkeuring', updatedAt: 5 }));
    expect(sent).toEqual([['kim']]);
    await push.documentChanged(row({ status: 'levering-mislukt' }));
    await push.documentChanged(row({ status: 'in-dms' }));
    await push.documentChanged(row({ status: 'in-dms' }));
    expect(sent).toEqual([['kim'], ['vera', 'kim'], ['vera']]);
  });

  it('[Y11] a plain concept or a document on its way is no event; a return is, per version', async () => {
    const { push, sent } = harness();
    await push.documentChanged(row({ status: 'concept' }));
    await push.documentChanged(row({ status: 'ingediend' }));
    expect(sent).toEqual([]);
    const review: ReviewRecord = { docId: 'doc-1', version: 1, kind: 'returned', by: 'kim', byName: 'Kim', at: 3, section: null, remark: 'Aanvullen', idempotencyKey: 'k' };
    const returned = harness([review]);
    await returned.push.documentChanged(row({ status: 'concept' }));
    await returned.push.documentChanged(row({ status: 'concept', updatedAt: 9 }));
    expect(returned.sent).toEqual([['vera']]);
  });
});

describe('push plumbing', () => {
  it('[Y10] the payload is aes128gcm-encrypted for the subscriber alone (RFC 8291 round trip)', () => {
    const ua = createECDH('prime256v1');
    ua.generateKeys();
    const auth = randomBytes(16);
    const body = encryptPushPayload(new TextEncoder().encode('{"kind":"notice"}'), { p256dh: ua.getPublicKey(), auth });
    expect(body.toString('latin1')).not.toContain('notice');
    const salt = body.subarray(0, 16);
    expect(body.readUInt32BE(16)).toBe(4096);
    const asPublic = body.subarray(21, 21 + body.readUInt8(20));
    const ikm = Buffer.from(hkdfSync('sha256', ua.computeSecret(asPublic), auth, Buffer.concat([Buffer.from('WebPush: info\0'), ua.getPublicKey(), asPublic]), 32));
    const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
    const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
    const sealed = body.subarray(21 + asPublic.length);
    const d = createDecipheriv('aes-128-gcm', cek, nonce);
    d.setAuthTag(sealed.subarray(sealed.length - 16));
    const plain = Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]);
    expect(plain.toString('utf8')).toBe('{"kind":"notice"}\u0002');
  });

  it('[Y12] allowed endpoints: https push services by default; settings checked at start', () => {
    expect(allowedEndpoint('https://fcm.googleapis.com/fcm/send/x', defaultPushSettings)).toBe(true);
    expect(allowedEndpoint('https://wns2-par02p.notify.windows.com/w/?token=x', defaultPushSettings)).toBe(true);
    expect(allowedEndpoint('https://notify.windows.com.evil.example/x', defaultPushSettings)).toBe(false);
    expect(allowedEndpoint('https://evilfcm.googleapis.com/x', defaultPushSettings)).toBe(false);
    expect(allowedEndpoint('http://fcm.googleapis.com/x', defaultPushSettings)).toBe(false);
    expect(allowedEndpoint('https://169.254.169.254/latest', defaultPushSettings)).toBe(false);
    expect(readPushSettings({ PUSH_CONTACT: 'niet goed' }).ok).toBe(false);
    expect(readPushSettings({ PUSH_SERVICE_HOSTS: 'push.example, .push.example' })).toMatchObject({ ok: true, settings: { serviceHosts: ['push.example', '.push.example'] } });
    expect(readPushSettings({ PUSH_SERVICE_HOSTS: 'http://x/' }).ok).toBe(false);
  });
});
