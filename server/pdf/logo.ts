// The municipality's logo for the letterhead (MUNICIPALITY_LOGO: a PNG or JPEG file), read and
// checked once at start so a wrong setting stops the server with its name instead of breaking
// the first submit. Checked: readable, PNG or JPEG by its bytes, not too large, and a JPEG not in
// CMYK (the PDF/A output intent is sRGB; a CMYK image would break PDF/A-2b). A trial render
// through pdfkit catches files whose header is fine but whose data pdfkit cannot embed.
import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';

export interface LetterLogo {
  data: Buffer;
  format: 'png' | 'jpeg';
  /** Pixel size, for the aspect ratio. */
  width: number;
  height: number;
  /** Also served to devices (GET /api/municipality/logo). */
  contentType: 'image/png' | 'image/jpeg';
}

export type LogoResult = { ok: true; logo: LetterLogo } | { ok: false; error: string };

/** A letterhead logo is small; a larger file is almost surely the wrong one (a photo, a scan). */
export const MAX_LOGO_BYTES = 2 * 1024 * 1024;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Reads and checks the logo at `path`; the error names the setting, for the start-up message. */
export async function loadLogo(path: string, setting = 'MUNICIPALITY_LOGO'): Promise<LogoResult> {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : String(error);
    return { ok: false, error: `${setting}: cannot read "${path}" (${code})` };
  }
  return checkLogo(data, `${setting}: "${path}"`);
}

/** The same checks on bytes already in memory (tests, the bench). */
export async function checkLogo(data: Buffer, what = 'logo'): Promise<LogoResult> {
  if (data.length === 0) return { ok: false, error: `${what} is empty` };
  if (data.length > MAX_LOGO_BYTES) return { ok: false, error: `${what} is larger than ${MAX_LOGO_BYTES / 1024 / 1024} MB` };
  const format = data.subarray(0, 8).equals(PNG_SIGNATURE) ? 'png' : data[0] === 0xff && data[1] === 0xd8 ? 'jpeg' : null;
  if (format === null) return { ok: false, error: `${what} is not a PNG or JPEG file` };
  const frame = format === 'png' ? pngSize(data) : jpegFrame(data);
  if (frame === null || frame.width === 0 || frame.height === 0) return { ok: false, error: `${what} has no readable image size` };
  if (frame.components === 4) {
    return { ok: false, error: `${what} is a CMYK JPEG; save it as RGB (PDF/A uses an sRGB output intent)` };
  }
  try {
    await trialRender(data);
    const { width, height } = frame;
    return { ok: true, logo: { data, format, width, height, contentType: format === 'png' ? 'image/png' : 'image/jpeg' } };
  } catch (error) {
    return { ok: false, error: `${what} cannot be read as an image (${error instanceof Error ? error.message : String(error)})` };
  }
}

interface Frame {
  width: number;
  height: number;
  components: number;
}

/** Width and height from the PNG's IHDR chunk, which always comes first. */
function pngSize(data: Buffer): Frame | null {
  if (data.length < 24 || data.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20), components: 0 };
}

/** Size and colour components of the JPEG's first frame header (SOF0…SOF15 except DHT/JPG/DAC). */
function jpegFrame(data: Buffer): Frame | null {
  let pos = 2;
  while (pos + 9 < data.length) {
    if (data[pos] !== 0xff) return null;
    const marker = data[pos + 1] ?? 0;
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === 0xff) {
      pos += marker === 0xff ? 1 : 2;
      continue;
    }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return { height: data.readUInt16BE(pos + 5), width: data.readUInt16BE(pos + 7), components: data[pos + 9] ?? 0 };
    pos += 2 + data.readUInt16BE(pos + 2);
  }
  return null;
}

/** Embeds the image in a throw-away PDF/A document: what the letter will do, done once now. */
function trialRender(data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', pdfVersion: '1.7', subset: 'PDF/A-2b', autoFirstPage: true });
    doc.on('data', () => undefined);
    doc.on('error', reject);
    try {
      doc.image(data, 0, 0, { fit: [100, 100] });
      doc.on('end', () => resolve());
      doc.end();
    } catch (error) {
      // pdfkit throws strings for some broken images.
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
