// U4: recording never turns an action that already committed into an error: a failing write is
// reported (logged at error level by the app) with the entry, and `record` still resolves.
import { describe, expect, it } from 'vitest';
import { createAuditRecorder } from '../../../server/audit/recorder';
import type { AuditLog } from '../../../server/audit/types';

describe('audit recorder (U4)', () => {
  it('[U4] a failing audit write resolves and is reported as a lost entry, naming the entry', async () => {
    const failing = {
      record: () => Promise.reject(new Error('SQLITE_FULL')),
      query: () => Promise.resolve([]),
    } as unknown as AuditLog;
    const reported: { error: unknown; context: string }[] = [];
    const recorder = createAuditRecorder(failing, () => 42, (error, context) => reported.push({ error, context }));
    await expect(recorder.record({ userId: 'u-vera', deviceId: 'dev-1', address: '192.0.2.1' }, { action: 'sign-in', details: { method: 'password' } })).resolves.toBeUndefined();
    expect(reported).toHaveLength(1);
    expect((reported[0]?.error as Error).message).toBe('SQLITE_FULL');
    expect(reported[0]?.context).toMatch(/^audit entry lost: /);
    expect(reported[0]?.context).toContain('"action":"sign-in"');
    expect(reported[0]?.context).toContain('"userId":"u-vera"');
  });
});
