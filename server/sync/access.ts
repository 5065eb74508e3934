// Who may enter which room: a document belongs to its team (the first authenticated
// connection to an unknown `doc:<uuid>` creates it in the user's team, but only when the device
// says it created the document, E9), a discarded concept to nobody until restored (E4), a team index to the
// team's members, a user index to that user. Documents and team lists need a document role (B9).
// Everything else is 4403.
import { WorkflowStatus } from '../../shared/model/index-entry';
import { worksOnDocuments } from '../../shared/model/roles';
import { CloseCode, CloseReason } from '../../shared/protocol/messages';
import type { Room } from '../../shared/protocol/rooms';
import { isDiscarded } from '../store/drafts';
import type { DocumentRow, DocumentStore } from '../store/types';

export interface RoomUser {
  userId: string;
  teamId: string;
  /** B9: documents and the team list are for the document roles only. */
  roles: readonly string[];
  /** K24: a draining device (revoked with send-then-wipe); `deviceId` names it. */
  draining?: boolean;
  deviceId?: string;
}

/** K24: whether this device ever sent an update to this document (the server's update history). */
export type DeviceWrote = (docId: string, deviceId: string) => Promise<boolean>;

export type AccessDecision =
  | { ok: true; created: DocumentRow | null }
  | { ok: false; code: number; reason: string };

const denied: AccessDecision = { ok: false, code: CloseCode.forbidden, reason: CloseReason.noAccess };
const discarded: AccessDecision = { ok: false, code: CloseCode.forbidden, reason: CloseReason.documentDiscarded };

export async function authorizeRoom(
  store: DocumentStore,
  user: RoomUser,
  room: Room,
  now: () => number,
  /** New-document quota (L8): null allows one more, a reason refuses with 4429. */
  takeNewDocument: () => string | null | Promise<string | null> = () => null,
  deviceWrote: DeviceWrote = () => Promise.resolve(false),
  /** E9: the device created this document itself (`?intent=create`); only then is an unknown one created. */
  createIntent = false,
): Promise<AccessDecision> {
  if (room.kind !== 'user-index' && !worksOnDocuments(user.roles)) return denied;
  // K24: a draining device gets no lists and no one else's documents: only the documents its
  // user created or it wrote to before, whatever team they are in now, and new ones (made offline).
  if (user.draining === true) {
    if (room.kind !== 'doc') return denied;
    const existing = await store.getDocument(room.docId);
    if (existing !== null) {
      const own = existing.createdBy === user.userId || (user.deviceId !== undefined && (await deviceWrote(room.docId, user.deviceId)));
      if (!own) return denied;
      return isDiscarded(existing) ? discarded : { ok: true, created: null };
    }
  }
  switch (room.kind) {
    case 'team-index':
      return room.teamId === user.teamId ? { ok: true, created: null } : denied;
    case 'user-index':
      return room.userId === user.userId ? { ok: true, created: null } : denied;
    case 'doc': {
      const existing = await store.getDocument(room.docId);
      if (existing !== null) {
        if (existing.teamId !== user.teamId) return denied;
        return isDiscarded(existing) ? discarded : { ok: true, created: null };
      }
      // E9: a link to an unknown id creates nothing; the same answer as another team's document.
      if (!createIntent) return denied;
      const overQuota = await takeNewDocument();
      if (overQuota !== null) return { ok: false, code: CloseCode.tooManyMessages, reason: overQuota };
      const at = now();
      const row = await store.createDocument({
        id: room.docId,
        teamId: user.teamId,
        createdBy: user.userId,
        createdAt: at,
        updatedAt: at,
        title: '',
        templateId: null,
        kind: null,
        zaak: null,
        status: WorkflowStatus.concept,
      });
      // Two first connections may race; the store keeps the first row.
      if (row.teamId !== user.teamId) return denied;
      return { ok: true, created: row.createdAt === at && row.createdBy === user.userId ? row : null };
    }
  }
}
