// The peers the outbox is compared with: the same PDFs written to a drop folder by a bare loop
// (temp folder, write + fsync both files, fsync the folder, rename into place, fsync the parent:
// the filesystem adapter's durability without its look-up and without the outbox), and the same
// ZGW create and zaak link posted straight to the API (no look-ups, no outbox). The peer uses the
// adapter's own write-and-fsync helpers, so the ratio is the outbox's cost, not a different fsync.
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { syncDir, writeDurably as writeSynced } from '../../server/dms/filesystem';
import { documentBody } from '../../server/dms/zgw/adapter';
import type { ZgwConfig } from '../../server/dms/zgw/config';
import { zgwToken } from '../../server/dms/zgw/jwt';
import type { Delivery } from '../../server/dms/types';

/** One document into `<root>/<zaak>/<identificatie>/` as durably as the adapter does it. */
export async function bareFolderWrite(root: string, delivery: Delivery): Promise<void> {
  const tmp = join(root, '.tmp', `${delivery.identificatie}-${randomUUID()}`);
  await mkdir(tmp, { recursive: true });
  await writeSynced(join(tmp, 'document.pdf'), delivery.pdf);
  await writeSynced(join(tmp, 'metadata.json'), Buffer.from(`${JSON.stringify({ identificatie: delivery.identificatie, zaak: delivery.zaak, ...delivery.metadata, sha256: delivery.pdfSha256 }, null, 2)}\n`));
  await syncDir(tmp);
  const parent = join(root, delivery.zaak);
  await mkdir(parent, { recursive: true });
  await rename(tmp, join(parent, delivery.identificatie));
  await syncDir(parent);
}

/** The two writes a ZGW delivery needs, posted directly: the document, then its link to the zaak. */
export async function bareZgwPost(config: ZgwConfig, delivery: Delivery, zaakUrl: string): Promise<void> {
  const user = delivery.submittedBy ?? { id: 'bench', representation: 'Bench' };
  const post = async (url: string, body: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${await zgwToken(config.clientId, config.secret, user)}`,
        'Content-Type': 'application/json',
        'Accept-Crs': 'EPSG:4326',
        'Content-Crs': 'EPSG:4326',
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`POST ${url}: ${response.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  const created = await post(`${config.documentenUrl}/enkelvoudiginformatieobjecten`, documentBody(delivery, config));
  await post(`${config.zakenUrl}/zaakinformatieobjecten`, { zaak: zaakUrl, informatieobject: created.url });
}
