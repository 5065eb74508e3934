// J5: HOLIDAYS_FILE on a real disk: a file of designated days is read; a missing file or a wrong
// line stops the server at start (server/main.ts in a child process) with a message naming the
// setting and the line.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readHolidaysFile } from '../../server/law/holidays-file';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kt-holidays-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('HOLIDAYS_FILE', () => {
  it('[J5] a file of designated days is read with their descriptions', async () => {
    const file = join(tempDir(), 'feestdagen.txt');
    writeFileSync(file, '# Besluit gelijkstelling 2029–2031\n2029-05-11 vrijdag na Hemelvaartsdag\n');
    expect(await readHolidaysFile(file)).toEqual({ ok: true, days: [{ date: '2029-05-11', description: 'vrijdag na Hemelvaartsdag' }] });
  });

  it('[J5] a missing file is refused, naming the setting', async () => {
    const result = await readHolidaysFile(join(tempDir(), 'weg.txt'));
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/^HOLIDAYS_FILE .*weg\.txt kan niet worden gelezen \(ENOENT\)/) as string });
  });

  it('[J5] a wrong line stops the server at start with a message naming HOLIDAYS_FILE and the line', async () => {
    const dir = tempDir();
    const file = join(dir, 'feestdagen.txt');
    writeFileSync(file, '2029-05-11 vrijdag na Hemelvaartsdag\n11 mei 2029\n');
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, PORT: '0', DATA_DIR: join(dir, 'data'), HOLIDAYS_FILE: file, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(out).toContain(`HOLIDAYS_FILE ${file} geweigerd: regel 2`);
  }, 30_000);
});
