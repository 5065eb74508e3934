// The settings declaration (server/config/) against README's configuration table, and the
// whole-list check (OP4–OP6, OP8) without starting anything.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfig, formatEffectiveConfig } from '../../../server/config/check';
import { SETTINGS } from '../../../server/config/declaration';
import { READERS } from '../../../server/config/readers';

/** Variable names in the first column of README's "Configuration (environment variables)" table. */
function readmeTableNames(): string[] {
  const readme = readFileSync(resolve(import.meta.dirname, '../../../README.md'), 'utf8');
  const section = readme.split(/^## Configuration \(environment variables\)$/m)[1]?.split(/^#{2,3} /m)[0] ?? '';
  const names: string[] = [];
  for (const line of section.split('\n')) {
    const first = /^\|([^|]*)\|/.exec(line)?.[1];
    if (first === undefined) continue;
    for (const m of first.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.push(m[1]!);
  }
  return names;
}

describe('one declared configuration', () => {
  it('[OP6] README\'s configuration table and the declaration name the same variables, each once', () => {
    const table = readmeTableNames();
    const declared = SETTINGS.map((d) => d.name);
    expect(new Set(table).size).toBe(table.length);
    expect(new Set(declared).size).toBe(declared.length);
    expect([...table].sort()).toEqual([...declared].sort());
  });

  it('[OP6] every reader is declared for, and every variable read anywhere in server/ is declared', () => {
    const groups = new Set(SETTINGS.map((d) => d.group));
    for (const group of Object.keys(READERS)) expect(groups, group).toContain(group);
    const declared = new Set(SETTINGS.map((d) => d.name));
    // How server code names a variable: env.X, process.env.X, env['X'], spec lists ({ env: 'X' },
    // { name: 'X' }), helpers (whole(env, 'X', …)) and the ZGW schema's keys.
    const patterns = [
      /\benv(?:\.|\[\s*')([A-Z][A-Z0-9_]+)/g,
      /\b(?:env|name):\s*'([A-Z][A-Z0-9_]*_[A-Z0-9_]+)'/g,
      /\(env, '([A-Z][A-Z0-9_]+)'/g,
      /^\s+(ZGW_[A-Z_]+):/gm,
    ];
    const found = new Set<string>();
    for (const file of readdirSync(resolve(import.meta.dirname, '../../../server'), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts')) continue;
      const source = readFileSync(resolve(import.meta.dirname, '../../../server', file), 'utf8');
      for (const pattern of patterns) for (const m of source.matchAll(pattern)) found.add(m[1]!);
    }
    expect(found.size).toBeGreaterThan(60);
    expect([...found].filter((name) => !declared.has(name))).toEqual([]);
  });

  it('[OP4] every problem is listed, not only the first, including several in one area', async () => {
    const result = await checkConfig({
      PORT: 'x',
      SYNC_PING_INTERVAL_MS: 'vaak',
      SYNC_SOCKETS_PER_USER: '0',
      DEVICE_PIN_MIN_DIGITS: '2',
      DEVICE_DRAIN_DAYS: '0',
      ATTACHMENT_MAX_BYTES: '1',
      DATABASE_POOL_MAX: '0',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const named = result.problems.map((p) => p.split(' ')[0]);
    expect(new Set(named)).toEqual(new Set(['PORT', 'SYNC_SOCKETS_PER_USER', 'SYNC_PING_INTERVAL_MS', 'DEVICE_PIN_MIN_DIGITS', 'DEVICE_DRAIN_DAYS', 'ATTACHMENT_MAX_BYTES', 'DATABASE_POOL_MAX']));
    expect(result.problems).toHaveLength(7);
  });

  it('[OP4] a relation between settings is reported once, and a missing partner is not reported twice', async () => {
    const result = await checkConfig({ SYNC_PING_INTERVAL_MS: '60000', SYNC_PONG_TIMEOUT_MS: '30000', LOCAL_LOGIN: 'off', OIDC_ISSUER: 'ftp://idp' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(2);
    expect(result.problems[0]).toContain('SYNC_PING_INTERVAL_MS (60000) must be shorter than SYNC_PONG_TIMEOUT_MS');
    expect(result.problems[1]).toMatch(/^OIDC_ISSUER /);
  });

  it('[OP4] the defaults alone are a valid configuration', async () => {
    const result = await checkConfig({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.port).toBe(8080);
    expect(result.config.pdf).toEqual({ workers: 2, timeoutMs: 30_000 });
    expect(result.config.databasePoolMax).toBe(10);
  });

  it('[OP5] secrets are masked in the effective configuration; unset ones show their default', () => {
    const text = formatEffectiveConfig({ ZGW_SECRET: 'zgw-geheim', OIDC_CLIENT_SECRET: 'oidc-geheim', REDIS_URL: 'redis://:pw@r', PORT: '81' });
    expect(text).not.toMatch(/geheim|pw@/);
    expect(text).toMatch(/^ZGW_SECRET +\*+ \(set\)$/m);
    expect(text).toMatch(/^PORT +81$/m);
    expect(text).toMatch(/^PDF_WORKERS +2 \(default\)$/m);
    expect(text).toMatch(/^TRUST_PROXY +\(not set\)$/m);
    for (const d of SETTINGS.filter((s) => /SECRET|TOKEN|PASSWORD|DATABASE_URL|REDIS_URL/.test(s.name))) expect(d.secret, d.name).toBe(true);
  });

  it('[OP8] an undeclared variable with one of our prefixes is a warning (a typo), not a problem', async () => {
    const result = await checkConfig({ SYNC_PING_INTERVAL: '1000', PATH: '/usr/bin' });
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual(['SYNC_PING_INTERVAL is not a Keukentafel setting (a typo?); it is ignored']);
  });
});
