// Room names on `/sync/<room>`: `doc:<uuid>` for a document's content, `index:team:<id>` and
// `index:user:<id>` for the read-only live lists. Parsing is strict: a room name comes from an
// untrusted URL.

export type Room =
  | { kind: 'doc'; docId: string }
  | { kind: 'team-index'; teamId: string }
  | { kind: 'user-index'; userId: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function parseRoom(name: string): Room | null {
  if (name.startsWith('doc:')) {
    const docId = name.slice(4).toLowerCase();
    return isUuid(docId) ? { kind: 'doc', docId } : null;
  }
  if (name.startsWith('index:team:')) {
    const teamId = name.slice(11);
    return ID.test(teamId) ? { kind: 'team-index', teamId } : null;
  }
  if (name.startsWith('index:user:')) {
    const userId = name.slice(11);
    return ID.test(userId) ? { kind: 'user-index', userId } : null;
  }
  return null;
}

export function roomName(room: Room): string {
  switch (room.kind) {
    case 'doc':
      return `doc:${room.docId}`;
    case 'team-index':
      return `index:team:${room.teamId}`;
    case 'user-index':
      return `index:user:${room.userId}`;
  }
}

export const docRoom = (docId: string): string => `doc:${docId}`;
export const teamIndexRoom = (teamId: string): string => `index:team:${teamId}`;
export const userIndexRoom = (userId: string): string => `index:user:${userId}`;
