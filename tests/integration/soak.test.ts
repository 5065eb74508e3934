// The soak benchmark's short version (tests/bench/soak.ts runs it for minutes): honest editors
// with stock y-websocket clients beside hostile ones (non-readers, awareness flooders, oversized
// and nested updates, reconnect storms) under the default limits (L5–L9). Asserts correctness
// only, never timing: the server stays up, every honest editor is served, and after a restart
// every acknowledged edit is on disk.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { DEMO_TEAM } from '../../server/auth/demo-seed';
import {
  HOSTILE_KINDS,
  SOAK_PASSWORD,
  SOAK_SCRYPT,
  honestUsername,
  hostileUsername,
  inProcessHostiles,
  lostAckedEdits,
  readRooms,
  runSoakPhase,
  soakUsernames,
} from '../bench/soak-clients';
import { login, startTestServer, type TestServer } from '../support/server';

const HONEST = 12;
// Every y-websocket provider adds a process 'exit' listener.
process.setMaxListeners(0);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function createSoakUsers(s: TestServer): Promise<void> {
  const passwordHash = await hashPassword(SOAK_PASSWORD, SOAK_SCRYPT);
  for (const username of soakUsernames(HONEST)) {
    await s.store.createUser({ id: randomUUID(), username, name: username, teamId: DEMO_TEAM.id, roles: ['field'], passwordHash, disabled: false });
  }
}

describe('soak (short)', () => {
  it('[L5] [L6] [L7] [L8] [L9] honest editors beside hostile clients: server alive, every editor served, no acknowledged edit lost after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kt-soak-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const s = await startTestServer({ dataDir });
    let serverOpen = true;
    cleanups.push(async () => {
      if (serverOpen) await s.close();
    });
    await createSoakUsers(s);
    // One at a time: an attempt in flight counts against the address until it succeeds.
    const honestTokens: string[] = [];
    for (let i = 0; i < HONEST; i += 1) honestTokens.push((await login(s.url, honestUsername(i), SOAK_PASSWORD)).accessToken);
    const hostile: { kind: (typeof HOSTILE_KINDS)[number]; accessToken: string }[] = [];
    for (const kind of HOSTILE_KINDS) {
      const { accessToken } = await login(s.url, hostileUsername(kind), SOAK_PASSWORD);
      hostile.push({ kind, accessToken }, { kind, accessToken });
    }

    const result = await runSoakPhase({ url: s.url, honestTokens, docs: 3, hostile: inProcessHostiles(s.url, hostile), seconds: 6, editHz: 3, drainMs: 30_000 });
    cleanups.push(() => {
      for (const e of result.editors) e.client.destroy();
    });

    expect((await fetch(`${s.url}/api/health`)).status).toBe(200);
    expect(result.edits).toBeGreaterThan(0);
    expect(result.editorsUnserved).toBe(0);
    expect(result.unacked).toBe(0);
    expect([...result.honestCloses.keys()].filter((k) => k.startsWith('4'))).toEqual([]);
    expect([...result.hostileCloses.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    for (const e of result.editors) e.client.destroy();
    await s.close();
    serverOpen = false;
    const again = await startTestServer({ dataDir });
    cleanups.push(() => again.close());
    const docs = await readRooms(again.url, (await login(again.url, honestUsername(0), SOAK_PASSWORD)).accessToken, result.rooms);
    expect(lostAckedEdits(result.editors, docs)).toBe(0);
  });
});
