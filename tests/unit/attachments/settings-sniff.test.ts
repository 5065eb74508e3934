// F3 and F10 without a server: the sniff decides by the first bytes only, and the ATTACHMENT_*
// settings are read, bounded and related at start with a message naming the variable.
import { describe, expect, it } from 'vitest';
import { defaultAttachmentSettings, readAttachmentSettings } from '../../../server/attachments/settings';
import { sniffMediaType } from '../../../server/attachments/sniff';
import { UploadQuota } from '../../../server/limits/upload-quota';

describe('attachment settings and sniffing', () => {
  it('[F3] JPEG, PNG and PDF are known by their first bytes; anything else (HEIC, HTML, a truncated start) is not', () => {
    expect(sniffMediaType(Uint8Array.of(0xff, 0xd8, 0xff, 0xe1, 0, 0))).toBe('image/jpeg');
    expect(sniffMediaType(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png');
    expect(sniffMediaType(new TextEncoder().encode('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffMediaType(Uint8Array.of(0x89, 0x50, 0x4e, 0x47))).toBeNull();
    expect(sniffMediaType(Uint8Array.of(0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63))).toBeNull();
    expect(sniffMediaType(new TextEncoder().encode('<html><script>'))).toBeNull();
    expect(sniffMediaType(new TextEncoder().encode(' %PDF-1.7'))).toBeNull();
    expect(sniffMediaType(new Uint8Array(0))).toBeNull();
  });

  it('[F10] ATTACHMENT_* are read with their defaults (20 MB, 20, 1 MB, 2000 px); a wrong value names the variable', () => {
    expect(readAttachmentSettings({})).toEqual({ ok: true, settings: defaultAttachmentSettings });
    expect(defaultAttachmentSettings).toMatchObject({ maxBytes: 20 * 1024 * 1024, maxPerDocument: 20, chunkBytes: 1024 * 1024, imageLongSide: 2000 });
    expect(readAttachmentSettings({ ATTACHMENT_MAX_BYTES: '10485760', ATTACHMENT_MAX_PER_DOCUMENT: ' 5 ', ATTACHMENT_IMAGE_LONG_SIDE: '' })).toEqual({
      ok: true,
      settings: { ...defaultAttachmentSettings, maxBytes: 10485760, maxPerDocument: 5 },
    });
    for (const [env, value] of [['ATTACHMENT_MAX_BYTES', '20MB'], ['ATTACHMENT_MAX_PER_DOCUMENT', '0'], ['ATTACHMENT_CHUNK_BYTES', '-1'], ['ATTACHMENT_IMAGE_LONG_SIDE', '1e4']] as const) {
      const result = readAttachmentSettings({ [env]: value });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toContain(env);
    }
    const related = readAttachmentSettings({ ATTACHMENT_MAX_BYTES: String(100 * 1024 * 1024), ATTACHMENT_DAILY_BYTES_PER_USER: String(50 * 1024 * 1024) });
    expect(related).toMatchObject({ ok: false, error: expect.stringContaining('ATTACHMENT_DAILY_BYTES_PER_USER') as string });
  });

  it('[F11] the daily quota takes bytes until the day is spent and refills over 24 hours; a refused chunk takes nothing', () => {
    let now = 0;
    const quota = new UploadQuota(1000, () => now);
    expect(quota.take('u', 600)).toBe(true);
    expect(quota.take('u', 600)).toBe(false);
    expect(quota.take('u', 400)).toBe(true);
    expect(quota.take('u', 1)).toBe(false);
    expect(quota.take('other', 1000)).toBe(true);
    now += 12 * 3600 * 1000;
    expect(quota.take('u', 500)).toBe(true);
    expect(quota.take('u', 10)).toBe(false);
  });
});
