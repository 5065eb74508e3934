// E10: whether a document link may be opened on this device. A document the device holds, made,
// or sees in a list opens (offline too); any other id is asked of the server first, so that a
// mistyped or foreign link creates nothing: no local copy, no row on the server.
import { teamIndexRoom, userIndexRoom } from '../../../shared/protocol/rooms';
import { apiUrl } from '../../sync/auth-client';
import type { Session } from '../../sync/session';

/** `known`: open it; `unknown`: the server says it does not exist for this user; `unreachable`: ask again later. */
export type DocumentKnowledge = 'known' | 'unknown' | 'unreachable';

export async function knowDocument(session: Session, serverUrl: string, docId: string, fetchImpl: typeof fetch = fetch): Promise<DocumentKnowledge> {
  if (session.sync.createdHere(docId)) return 'known';
  try {
    if ((await session.store.listDocIds()).includes(docId)) return 'known';
  } catch {
    // An unreadable store: the server's answer decides.
  }
  if (await listed(session, docId)) return 'known';
  return askServer(session, serverUrl, docId, fetchImpl);
}

async function listed(session: Session, docId: string): Promise<boolean> {
  // The lists the screens already keep: the own list, and the team's for the office (a field
  // worker's device does not hold the team list, and opening it here would cost a socket).
  const rooms = [userIndexRoom(session.user.id)];
  if (session.user.roles.includes('office')) rooms.push(teamIndexRoom(session.user.teamId));
  for (const room of rooms) {
    try {
      const feed = await session.sync.openIndex(room);
      if (feed.entries().some((e) => e.id === docId)) return true;
    } catch {
      // No list on the device: ask the server.
    }
  }
  return false;
}

async function askServer(session: Session, serverUrl: string, docId: string, fetchImpl: typeof fetch): Promise<DocumentKnowledge> {
  const ask = (): Promise<Response> =>
    fetchImpl(apiUrl(serverUrl, `/api/documents/${encodeURIComponent(docId)}`), {
      headers: { authorization: `Bearer ${session.auth.accessToken() ?? ''}` },
      cache: 'no-store',
    });
  try {
    let res = await ask();
    if (res.status === 401 && (await session.auth.refresh()) === 'ok') res = await ask();
    if (res.ok) return 'known';
    // The same 404 for an unknown id and another team's document (the server does not say which).
    if (res.status === 404 || res.status === 403) return 'unknown';
    return 'unreachable';
  } catch {
    return 'unreachable';
  }
}
