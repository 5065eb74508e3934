// A new document, made on the device: the device picks the id, opens the document, fills it from
// its template (and `fill`, for a document made from another), remembers it as created here so it
// is listed before the server knows it, and waits until it is stored locally. Offline too; the
// server learns of it when there is a network. Resolves to the new id; rejects when the device
// could not store it.
import type * as Y from 'yjs';
import { initDocument, readMeta } from '../../../shared/model/document';
import type { Template } from '../../../shared/templates/schema';
import type { Session } from '../../sync/session';
import { newDocumentId } from '../logic/new-id';
import { addLocalDoc } from './local-docs';

export async function createLocalDocument(session: Session, template: Template, fill?: (doc: Y.Doc) => void): Promise<string> {
  const id = newDocumentId();
  const createdAt = Date.now();
  // E9: before the first connection: only a document this device made may be created on the server.
  await session.sync.markCreatedHere(id);
  const doc = await session.sync.open(id);
  try {
    initDocument(doc, template, { id, teamId: session.user.teamId, createdBy: session.user.id, createdAt });
    fill?.(doc);
    await addLocalDoc(session.store, { id, templateId: template.id, title: readMeta(doc).title, createdAt });
    await session.sync.whenSavedLocally(id);
  } finally {
    session.sync.close(id);
  }
  return id;
}
