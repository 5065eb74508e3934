// Photos on a phone (F30–F37): two photos taken offline (the camera's file input with JPEGs made
// in the browser, one with a GPS location in its EXIF), kept on the device through a reload,
// resized and sent once online, acknowledged, submitted and filed beside the letter in the DMS
// folder. And a chunk whose answer is lost mid-upload: the upload resumes at the server's offset.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentListPage } from './pages/document-list-page';
import { EditorPage } from './pages/editor-page';
import { InboxPage } from './pages/inbox-page';
import { reloadAndUnlock } from './pages/lock-page';
import { signedIn, startWorld, type E2EWorld } from './support/fixture';
import { setNetwork } from './support/network-cut';
import { readOriginStorage } from './support/origin-storage';
import { E2E_SCREENSHOTS } from './support/paths';

let world: E2EWorld;
let dmsDir: string;
const CHUNK = 64 * 1024;

beforeAll(async () => {
  dmsDir = mkdtempSync(join(tmpdir(), 'kt-e2e-attach-'));
  world = await startWorld({ dmsDir, outbox: { pollMs: 100 }, attachments: { chunkBytes: CHUNK } });
});

afterAll(async () => {
  await world?.close();
  rmSync(dmsDir, { recursive: true, force: true });
});

const GPS_MARK = 'GPSLatitude=52.090737;GPSLongitude=5.121420';

/**
 * A JPEG as a phone camera writes it: `width`×`height` pixels of a gradient with noise (so it does
 * not compress to nothing), made by the browser's own encoder, with an APP1 Exif segment carrying
 * a location marker inserted after the start-of-image marker.
 */
async function cameraJpeg(page: Page, width: number, height: number, seed: number): Promise<Buffer> {
  const base64 = await page.evaluate(
    async ({ width, height, seed }) => {
      const canvas = new OffscreenCanvas(width, height);
      const ctx = canvas.getContext('2d')!;
      const image = ctx.createImageData(width, height);
      let x = seed;
      for (let i = 0; i < image.data.length; i += 4) {
        x = (x * 1103515245 + 12345) >>> 0;
        const p = i / 4;
        image.data[i] = ((p % width) * 255) / width;
        image.data[i + 1] = (Math.floor(p / width) * 255) / height;
        image.data[i + 2] = x >>> 24;
        image.data[i + 3] = 255;
      }
      ctx.putImageData(image, 0, 0);
      const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (const b of bytes) s += String.fromCharCode(b);
      return btoa(s);
    },
    { width, height, seed },
  );
  const jpeg = Buffer.from(base64, 'base64');
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), Buffer.from(GPS_MARK, 'latin1')]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload]);
  return Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
}

/** Width and height from a JPEG's start-of-frame marker. */
function jpegSize(bytes: Uint8Array): { width: number; height: number } {
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) throw new Error('not a JPEG segment');
    const marker = bytes[i + 1]!;
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: (bytes[i + 5]! << 8) | bytes[i + 6]!, width: (bytes[i + 7]! << 8) | bytes[i + 8]! };
    }
    i += 2 + length;
  }
  throw new Error('no frame');
}

function deliveries(): { path: string; files: string[] }[] {
  const found: { path: string; files: string[] }[] = [];
  if (!existsSync(dmsDir)) return found;
  for (const zaak of readdirSync(dmsDir, { withFileTypes: true })) {
    if (!zaak.isDirectory() || zaak.name.startsWith('.')) continue;
    for (const id of readdirSync(join(dmsDir, zaak.name), { withFileTypes: true })) {
      if (id.isDirectory()) found.push({ path: join(dmsDir, zaak.name, id.name), files: readdirSync(join(dmsDir, zaak.name, id.name)).sort() });
    }
  }
  return found;
}

const docIdOf = (page: Page): string => /\/document\/([^/?#]+)/.exec(page.url())?.[1] ?? '';

async function badges(page: Page): Promise<string[]> {
  return page.getByTestId('attachment-badge').allTextContents();
}

describe('attachments on the phone', () => {
  it('[F30] [F32] [F33] [F34] [F35] two photos taken offline survive a reload, are sent once online, resized without their location, and land beside the PDF', async () => {
    const context = await world.newPhone();
    const page = await signedIn(context, world.field.url, 'veldwerker');
    await new DocumentListPage(page).createDocument();
    const editor = new EditorPage(page);
    await editor.fillLetter({ zaak: 'ZAAK-2026-0142', naam: 'Mevrouw J. de Vries', adres: 'Dorpsstraat 12\n1234 AB Voorbeeld', onderwerp: 'Vocht in de woning' });
    await editor.fillSection('kern', 'Bij het huisbezoek zagen wij schimmel in de slaapkamer. Zie de foto’s.');
    await editor.waitForBadge('Opgeslagen op server');
    const docId = docIdOf(page);
    const first = await cameraJpeg(page, 4000, 3000, 1);
    const second = await cameraJpeg(page, 1200, 1600, 2);

    await setNetwork(context, world.field, false);
    await page.getByTestId('attach-photo').setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: first });
    await expect.poll(() => page.getByTestId('attachment').count(), { timeout: 20_000 }).toBe(1);
    await page.getByTestId('attach-photo').setInputFiles({ name: 'IMG_0002.jpg', mimeType: 'image/jpeg', buffer: second });
    await expect.poll(() => page.getByTestId('attachment').count(), { timeout: 20_000 }).toBe(2);
    await page.getByTestId('attachment-caption').first().fill('Schimmel boven het raam');
    expect(await badges(page)).toEqual(['Op dit apparaat', 'Op dit apparaat']);

    // A reload without network: both are still here, from the device, with their thumbnails.
    await reloadAndUnlock(page);
    await expect.poll(() => page.getByTestId('attachment').count(), { timeout: 20_000 }).toBe(2);
    await expect.poll(() => badges(page)).toEqual(['Op dit apparaat', 'Op dit apparaat']);
    await expect
      .poll(() => page.locator('.kt-attachment__thumb img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth > 0)))
      .toEqual([true, true]);
    expect(await page.getByTestId('attachment-caption').first().inputValue()).toBe('Schimmel boven het raam');
    expect(await world.server.store.listAttachments(docId)).toEqual([]);
    mkdirSync(E2E_SCREENSHOTS, { recursive: true });
    await page.getByTestId('attachments').screenshot({ path: join(E2E_SCREENSHOTS, 'attachments-offline-360.png') });
    // F30: the section passes axe (labels for the file inputs and captions, contrast of the badges).
    const axe = await new AxeBuilder({ page }).include('[data-testid="attachments"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`))).toEqual([]);

    // F32: submitted while the photos are only on the phone: it says so, and the submit waits
    // for them instead of reaching the server before them (which would refuse it).
    await editor.submitButton.click();
    await expect.poll(() => editor.confirm.textContent()).toContain('zijn nog niet verzonden');
    await editor.confirmYes.click();
    await expect.poll(() => page.getByTestId('attachments-pending').textContent()).toBe('2 bijlagen zijn nog niet verzonden; indienen wacht daarop.');

    await setNetwork(context, world.field, true);
    await expect.poll(() => badges(page), { timeout: 60_000 }).toEqual(['Verzonden', 'Verzonden']);
    const rows = await world.server.store.listAttachments(docId);
    expect(rows.map((r) => r.completedAt !== null)).toEqual([true, true]);
    for (const row of rows) {
      const bytes = (await world.server.store.readAttachmentBytes(docId, row.id))!;
      // F34: resized to the long side on the device, re-encoded without the EXIF location.
      expect(Math.max(jpegSize(bytes).width, jpegSize(bytes).height)).toBeLessThanOrEqual(2000);
      expect(Buffer.from(bytes).includes(Buffer.from('GPSLatitude'))).toBe(false);
      expect(Buffer.from(bytes).includes(Buffer.from('Exif\0\0', 'latin1'))).toBe(false);
    }
    // F20: the phone keeps the photos, but only as ciphertext: no 48-byte run of either JPEG is in
    // any IndexedDB row or Cache Storage entry of the origin.
    const onDevice = await readOriginStorage(context, page);
    expect(onDevice.some((item) => item.where.includes('blobs'))).toBe(true);
    for (const row of rows) {
      const bytes = Buffer.from((await world.server.store.readAttachmentBytes(docId, row.id))!);
      for (const at of [1000, Math.floor(bytes.length / 2), bytes.length - 100]) {
        const run = bytes.subarray(at, at + 48);
        expect(onDevice.filter((item) => item.bytes.includes(run)).map((item) => item.where)).toEqual([]);
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByTestId('attachments').screenshot({ path: join(E2E_SCREENSHOTS, 'attachments-sent-1280.png') });

    // F35: the submit went once they were there; the DMS folder holds both beside the PDF.
    await editor.waitForBadge('In DMS', 90_000);
    expect(await page.getByTestId('attachment-remove').count()).toBe(0);
    const delivered = deliveries();
    expect(delivered).toHaveLength(1);
    const files = delivered[0]!.files;
    expect(files).toContain('document.pdf');
    const bijlagen = files.filter((f) => /^bijlage-0[12]-.+\.jpg$/.test(f));
    expect(bijlagen).toHaveLength(2);
    const metadata = JSON.parse(readFileSync(join(delivered[0]!.path, 'metadata.json'), 'utf8')) as { bijlagen?: { caption?: string }[] };
    expect(metadata.bijlagen?.map((b) => b.caption)).toEqual(['Schimmel boven het raam', '']);
    const filed = bijlagen.map((f) => readFileSync(join(delivered[0]!.path, f)));
    const stored = await Promise.all(rows.map(async (r) => Buffer.from((await world.server.store.readAttachmentBytes(docId, r.id))!)));
    expect(filed.map((b) => b.toString('base64')).sort()).toEqual(stored.map((b) => b.toString('base64')).sort());

    // F33: the office sees them from the server (not on its device), read-only once submitted.
    const office = await signedIn(await world.newPhone(), world.baseUrl, 'kantoor');
    const inbox = new InboxPage(office);
    await expect.poll(() => inbox.row(docId).getByTestId('badge').textContent(), { timeout: 15_000 }).toBe('In DMS');
    await inbox.row(docId).getByRole('link').click();
    await expect.poll(() => office.getByTestId('attachment').count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => badges(office), { timeout: 30_000 }).toEqual(['Verzonden', 'Verzonden']);
    await expect
      .poll(() => office.locator('.kt-attachment__thumb img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth > 0)))
      .toEqual([true, true]);
    expect(await office.getByTestId('attachment-remove').count()).toBe(0);
    expect(await office.getByTestId('attachment-caption').first().inputValue()).toBe('Schimmel boven het raam');
  });

  it('[F36] a chunk whose answer is lost mid-upload: the upload resumes at the server\'s offset, not from zero', async () => {
    const context = await world.newPhone();
    const page = await signedIn(context, world.baseUrl, 'veldwerker');
    await new DocumentListPage(page).createDocument();
    const editor = new EditorPage(page);
    await editor.field('Zaaknummer').fill('ZAAK-2026-0143');
    await editor.waitForBadge('Opgeslagen op server');
    const docId = docIdOf(page);
    const offsets: number[] = [];
    let patches = 0;
    await page.route(/\/api\/documents\/[^/]+\/attachments\/[^/]+$/, async (route) => {
      if (route.request().method() !== 'PATCH') return route.continue();
      offsets.push(Number(route.request().headers()['upload-offset']));
      patches++;
      // The third chunk reaches the server and is stored; its answer never reaches the phone.
      const response = await route.fetch();
      if (patches === 3) return route.abort('connectionreset');
      return route.fulfill({ response });
    });
    const photo = await cameraJpeg(page, 1800, 1400, 3);
    await page.getByTestId('attach-file').setInputFiles({ name: 'deurwaarder.jpg', mimeType: 'image/jpeg', buffer: photo });
    await expect.poll(() => badges(page), { timeout: 60_000 }).toEqual(['Verzonden']);
    const [row] = await world.server.store.listAttachments(docId);
    expect(row?.completedAt).not.toBeNull();
    expect(row!.size).toBeGreaterThan(4 * CHUNK);
    const expected = Array.from({ length: Math.ceil(row!.size / CHUNK) }, (_, i) => i * CHUNK);
    expect(offsets).toEqual(expected);
  });
});
