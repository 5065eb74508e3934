// The revocation bus's wire form and in-memory hub (CL10): what crosses Redis is checked before it
// closes anything, and a process never hears its own revocation back.
import { describe, expect, it } from 'vitest';
import { createMemoryRevocationHub, decodeRevocation, encodeRevocation, type Revocation } from '../../../server/cluster/revocation-bus';

describe('revocation bus', () => {
  it('[CL10] every kind of revocation survives the wire unchanged', () => {
    const all: Revocation[] = [
      { kind: 'device', deviceId: 'd1' },
      { kind: 'user', userId: 'u1', reason: 'team-changed' },
      { kind: 'document', docId: 'doc-1' },
      { kind: 'document-status', docId: 'doc-1' },
      { kind: 'submit-hold', docId: 'doc-1', holdId: 'h1' },
      { kind: 'submit-release', docId: 'doc-1', holdId: 'h1' },
    ];
    for (const revocation of all) expect(decodeRevocation(encodeRevocation({ from: 'p1', revocation }))).toEqual({ from: 'p1', revocation });
  });

  it('[CL16] anything else on the channel is ignored, never acted on', () => {
    for (const text of ['', 'null', '[]', '{"from":"p"}', '{"from":1,"revocation":{"kind":"device","deviceId":"d"}}', '{"from":"p","revocation":{"kind":"device"}}', '{"from":"p","revocation":{"kind":"user","userId":"u"}}', '{"from":"p","revocation":{"kind":"wipe-all"}}', '{"from":"p","revocation":{"kind":"document-status","docId":7}}', '{"from":"p","revocation":{"kind":"submit-hold","docId":"d"}}', '{"from":"p","revocation":{"kind":"submit-release","docId":"d","holdId":1}}']) {
      expect(decodeRevocation(text)).toBeNull();
    }
  });

  it('[CL10] a revocation reaches every other process once and not its sender', () => {
    const hub = createMemoryRevocationHub();
    const [a, b, c] = [hub.join(), hub.join(), hub.join()];
    const heard: string[] = [];
    a.subscribe((r) => heard.push(`a:${r.kind}`));
    b.subscribe((r) => heard.push(`b:${r.kind}`));
    c.subscribe((r) => heard.push(`c:${r.kind}`));
    a.publish({ kind: 'device', deviceId: 'd1' });
    expect(heard.sort()).toEqual(['b:device', 'c:device']);
  });
});
