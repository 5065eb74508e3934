// F31: the honest badge of one attachment, in the same words documents use: "Op dit apparaat"
// until the server acknowledged it (`complete: true`), "Wordt verzonden" with how far while the
// bytes travel, "Verzonden" only after the acknowledgement, the refusal in words. A co-editor's
// attachment (no upload on this device) is "Verzonden" when the server has its bytes, else it
// waits on the other device. Pure.
import type { UploadStatus } from '../../attachments/upload-queue';
import type { Badge } from './badge';

/** What this device learned from the server about an attachment it did not upload. */
export type RemoteState = 'unknown' | 'on-server' | 'not-on-server';

export function attachmentBadge(upload: UploadStatus | null, remote: RemoteState, offline: boolean): Badge {
  if (upload !== null) {
    switch (upload.state) {
      case 'acknowledged':
        return { label: 'Verzonden', tone: 'success' };
      case 'refused':
        return { label: 'Geweigerd', tone: 'error' };
      case 'sending':
        return { label: `Wordt verzonden (${percent(upload.received, upload.size)}%)`, tone: 'busy' };
      case 'local':
        return offline || upload.received === 0
          ? { label: 'Op dit apparaat', tone: 'warning' }
          : { label: `Op dit apparaat (${percent(upload.received, upload.size)}% verzonden)`, tone: 'warning' };
    }
  }
  if (remote === 'on-server') return { label: 'Verzonden', tone: 'success' };
  if (remote === 'not-on-server') return { label: 'Nog niet verzonden (ander apparaat)', tone: 'warning' };
  return { label: offline ? 'Niet op dit apparaat' : 'Wordt opgehaald…', tone: 'neutral' };
}

const percent = (received: number, size: number): number => (size <= 0 ? 0 : Math.min(99, Math.floor((received / size) * 100)));

/** F32: the plain sentence before a submit while attachments are not all on the server. */
export function pendingAttachmentsMessage(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  const quoted = names.map((n) => `‘${n}’`);
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} en ${quoted[quoted.length - 1]}`;
  return names.length === 1
    ? `Bijlage ${list} is nog niet verzonden. Het indienen wacht tot de bijlage op de server staat.`
    : `De bijlagen ${list} zijn nog niet verzonden. Het indienen wacht tot ze op de server staan.`;
}

/** The same, short, for the submit bar that stays on screen. */
export function pendingAttachmentsShort(count: number): string | null {
  if (count === 0) return null;
  return count === 1 ? '1 bijlage is nog niet verzonden; indienen wacht daarop.' : `${count} bijlagen zijn nog niet verzonden; indienen wacht daarop.`;
}
