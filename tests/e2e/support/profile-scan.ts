// Searches every file of a browser profile for known values (N6): as UTF-8 (any case), UTF-16LE
// (how Chromium keeps strings in Local Storage, session state and V8 caches) and base64 / base64url
// of the UTF-8 at each of the three byte alignments, so a value inside a longer base64 text is
// found too. Used after the browser is closed, so everything it keeps is on disk.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface ProfileHit {
  file: string;
  value: string;
  encoding: string;
}

/** The base64 characters that depend on `value`'s bytes only, at byte offset `shift` (0, 1, 2) of a longer text. */
function base64Core(value: Buffer, shift: number): string {
  const encoded = Buffer.concat([Buffer.alloc(shift), value]).toString('base64').replace(/=+$/, '');
  const drop = [0, 2, 3][shift]!;
  const whole = Math.floor((8 * (shift + value.length)) / 6);
  return encoded.slice(drop, whole);
}

export function encodings(value: string): { encoding: string; bytes: Buffer }[] {
  const utf8 = Buffer.from(value, 'utf8');
  const out = [{ encoding: 'utf-16le', bytes: Buffer.from(value, 'utf16le') }];
  if (value.toLowerCase() !== value) out.push({ encoding: 'utf-16le lower case', bytes: Buffer.from(value.toLowerCase(), 'utf16le') });
  for (const shift of [0, 1, 2]) {
    const core = base64Core(utf8, shift);
    out.push({ encoding: `base64@${shift}`, bytes: Buffer.from(core, 'latin1') });
    out.push({ encoding: `base64url@${shift}`, bytes: Buffer.from(core.replaceAll('+', '-').replaceAll('/', '_'), 'latin1') });
  }
  return out;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat === undefined) return [];
    return stat.isDirectory() ? files(path) : stat.isFile() ? [path] : [];
  });
}

/**
 * Every place in `dir` where one of `values` occurs. `excluded` are paths relative to `dir`
 * (with `/`) whose files are not read; the answer lists what was read too, so a test can
 * check that the places it cares about were there.
 */
export function scanProfile(dir: string, values: readonly string[], excluded: readonly string[] = []): { hits: ProfileHit[]; scanned: string[] } {
  const hits: ProfileHit[] = [];
  const scanned: string[] = [];
  for (const path of files(dir)) {
    const rel = relative(dir, path).split(sep).join('/');
    if (excluded.some((prefix) => rel === prefix || rel.startsWith(`${prefix}/`))) continue;
    const data = readFileSync(path);
    scanned.push(rel);
    // UTF-8 in any case: lower-case the ASCII letters of the file once (latin1 keeps bytes 1:1).
    const lower = Buffer.from(data.toString('latin1').toLowerCase(), 'latin1');
    for (const value of values) {
      if (lower.includes(Buffer.from(value.toLowerCase(), 'utf8'))) hits.push({ file: rel, value, encoding: 'utf-8' });
      for (const { encoding, bytes } of encodings(value)) if (data.includes(bytes)) hits.push({ file: rel, value, encoding });
    }
  }
  return { hits, scanned };
}
