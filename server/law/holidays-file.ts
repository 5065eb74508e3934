// J5: HOLIDAYS_FILE, the days designated under art. 3 lid 3 of the Algemene termijnenwet after the
// built-in table was written (shared/law/designated-days.ts), read and checked at start so a
// wrong path or line stops the server with a message naming the setting and the line.
import { readFile } from 'node:fs/promises';
import { parseDesignatedDays, type DesignatedDay } from '../../shared/law/designated-days';

export type HolidaysFileResult = { ok: true; days: DesignatedDay[] } | { ok: false; error: string };

const MAX_BYTES = 256 * 1024;

export async function readHolidaysFile(path: string, setting = 'HOLIDAYS_FILE'): Promise<HolidaysFileResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { ok: false, error: `${setting} ${path} kan niet worden gelezen (${typeof code === 'string' ? code : 'onbekende fout'})` };
  }
  if (bytes.byteLength > MAX_BYTES) return { ok: false, error: `${setting} ${path} is groter dan 256 KB` };
  const parsed = parseDesignatedDays(bytes.toString('utf8'));
  if (!parsed.ok) return { ok: false, error: `${setting} ${path} geweigerd: ${parsed.problem}` };
  return { ok: true, days: parsed.days };
}
