// F23: names and sizes as the official reads them. A photo from the camera gets a name that says
// when it was taken ("Foto 3 december 14.05.jpg"); a picked file keeps its own name, cleaned of
// path parts and control characters, bounded, with the extension of what it now is.
import { MAX_ATTACHMENT_NAME, type AttachmentMediaType } from '../../shared/model/attachments';

const EXTENSION: Record<AttachmentMediaType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'application/pdf': 'pdf',
};

const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

function amsterdamParts(at: number): { day: number; month: number; hour: string; minute: string } {
  const parts = new Intl.DateTimeFormat('nl-NL', {
    timeZone: 'Europe/Amsterdam',
    day: 'numeric',
    month: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(new Date(at));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '0';
  return { day: Number(get('day')), month: Number(get('month')), hour: get('hour').padStart(2, '0'), minute: get('minute').padStart(2, '0') };
}

export function photoName(at: number): string {
  const p = amsterdamParts(at);
  return `Foto ${p.day} ${MONTHS[p.month - 1] ?? ''} ${p.hour}.${p.minute}.jpg`;
}

/** The file's own name for what it has become (a HEIC photo turned JPEG ends in `.jpg`). */
export function attachmentName(original: string, mediaType: AttachmentMediaType, fallbackAt: number): string {
  const base = original.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  const stem = clean.replace(/\.[A-Za-z0-9]{1,5}$/, '').trim();
  if (stem.length === 0) return mediaType === 'application/pdf' ? `Bestand ${photoName(fallbackAt).slice(5, -4)}.pdf` : photoName(fallbackAt).replace(/\.jpg$/, `.${EXTENSION[mediaType]}`);
  const ext = `.${EXTENSION[mediaType]}`;
  return stem.slice(0, MAX_ATTACHMENT_NAME - ext.length) + ext;
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${Math.round(size / 1024)} kB`;
  return `${(size / (1024 * 1024)).toFixed(1).replace('.', ',')} MB`;
}
