import { describe, expect, it } from 'vitest';
import { attachmentBadge, pendingAttachmentsMessage, pendingAttachmentsShort } from '../../../client/app/logic/attachment-badge';

describe('attachment badge', () => {
  it('[F31] "Verzonden" only after the acknowledgement; before it the device says where the bytes are', () => {
    expect(attachmentBadge({ state: 'local', size: 100, received: 0 }, 'unknown', true)).toEqual({ label: 'Op dit apparaat', tone: 'warning' });
    expect(attachmentBadge({ state: 'local', size: 100, received: 40 }, 'unknown', false)).toEqual({ label: 'Op dit apparaat (40% verzonden)', tone: 'warning' });
    // All bytes sent but not yet acknowledged is never 100% nor "Verzonden".
    expect(attachmentBadge({ state: 'sending', size: 100, received: 100 }, 'on-server', false)).toEqual({ label: 'Wordt verzonden (99%)', tone: 'busy' });
    expect(attachmentBadge({ state: 'acknowledged', size: 100 }, 'unknown', true)).toEqual({ label: 'Verzonden', tone: 'success' });
    expect(attachmentBadge({ state: 'refused', reason: 'attachment-too-large', message: 'x' }, 'unknown', false)).toEqual({ label: 'Geweigerd', tone: 'error' });
  });

  it('[F31] a co-editor\'s attachment: "Verzonden" when the server has it, else it waits on the other device', () => {
    expect(attachmentBadge(null, 'on-server', false).label).toBe('Verzonden');
    expect(attachmentBadge(null, 'not-on-server', false).label).toBe('Nog niet verzonden (ander apparaat)');
    expect(attachmentBadge(null, 'unknown', true).label).toBe('Niet op dit apparaat');
  });

  it('[F32] names the attachments a submit waits for', () => {
    expect(pendingAttachmentsMessage([])).toBeNull();
    expect(pendingAttachmentsMessage(['Foto 1.jpg'])).toBe('Bijlage ‘Foto 1.jpg’ is nog niet verzonden. Het indienen wacht tot de bijlage op de server staat.');
    expect(pendingAttachmentsMessage(['a.jpg', 'b.pdf', 'c.png'])).toBe(
      'De bijlagen ‘a.jpg’, ‘b.pdf’ en ‘c.png’ zijn nog niet verzonden. Het indienen wacht tot ze op de server staan.',
    );
    expect(pendingAttachmentsShort(0)).toBeNull();
    expect(pendingAttachmentsShort(2)).toBe('2 bijlagen zijn nog niet verzonden; indienen wacht daarop.');
  });
});
