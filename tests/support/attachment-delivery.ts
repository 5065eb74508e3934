// Hand-made deliveries with attachments (F40–F52), as the outbox will build them: the letter and
// its attachments frozen at submit, each with its deterministic identificatie.
import { createHash } from 'node:crypto';
import type { AttachmentMediaType } from '../../shared/model/attachments';
import { attachmentIdentificatie, type Delivery, type DeliveryAttachment } from '../../server/dms/types';

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Bytes that start like the type they claim (the server sniffs by content) and are unique per seed. */
export function fileBytes(mediaType: AttachmentMediaType, seed: string, size = 256): Uint8Array {
  const magic = mediaType === 'image/jpeg' ? [0xff, 0xd8, 0xff, 0xe0] : mediaType === 'image/png' ? [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] : [...Buffer.from('%PDF-1.7\n')];
  const bytes = new Uint8Array(Math.max(size, magic.length + 8));
  bytes.set(magic, 0);
  const fill = createHash('sha256').update(seed).digest();
  for (let i = magic.length; i < bytes.length; i += 1) bytes[i] = fill[i % fill.length] ?? 0;
  return bytes;
}

export interface AttachmentSpec {
  name: string;
  mediaType?: AttachmentMediaType;
  caption?: string;
  bytes?: Uint8Array;
  size?: number;
}

/** The attachments of the letter `identificatie`, in order, with identificaties B01, B02, … */
export function attachmentsOf(identificatie: string, specs: readonly AttachmentSpec[]): DeliveryAttachment[] {
  return specs.map((spec, i) => {
    const mediaType = spec.mediaType ?? 'image/jpeg';
    const bytes = spec.bytes ?? fileBytes(mediaType, `${identificatie}/${i}/${spec.name}`, spec.size);
    return {
      id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      name: spec.name,
      mediaType,
      size: bytes.byteLength,
      sha256: sha256(bytes),
      caption: spec.caption ?? '',
      bytes,
      identificatie: attachmentIdentificatie(identificatie, i),
    };
  });
}

export function letterDelivery(overrides: Partial<Delivery> = {}, specs: readonly AttachmentSpec[] = []): Delivery {
  const identificatie = overrides.identificatie ?? 'KT-2026-0000042';
  const pdf = overrides.pdf ?? new TextEncoder().encode(`%PDF-1.7 ${identificatie}`);
  return {
    identificatie,
    zaak: 'ZAAK-2026-0042',
    pdf,
    pdfSha256: sha256(pdf),
    metadata: {
      title: 'Verslag huisbezoek',
      author: 'Vera Veldwerker',
      creatiedatum: '2026-03-02',
      taal: 'nld',
      documenttype: 'Brief',
      vertrouwelijkheidaanduiding: 'zaakvertrouwelijk',
    },
    submittedBy: { id: 'u-vera', representation: 'Vera Veldwerker', at: Date.UTC(2026, 2, 2, 8, 30) },
    attachments: attachmentsOf(identificatie, specs),
    ...overrides,
  };
}

/** F44: a letter with three 16 MB attachments: writing them takes long enough to be cut. */
export function crashDelivery(): Delivery {
  return letterDelivery({}, [
    { name: 'Foto keuken.jpg', size: 16 * 1024 * 1024 },
    { name: 'Foto badkamer.jpg', size: 16 * 1024 * 1024 },
    { name: 'Brief deurwaarder.pdf', mediaType: 'application/pdf', size: 16 * 1024 * 1024 },
  ]);
}
