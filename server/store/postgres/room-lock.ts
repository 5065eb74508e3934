// DB2: the per-room advisory lock that makes compaction safe beside concurrent appends. An
// append holds it shared for its transaction, a compaction (and a purge) exclusive: while a
// compaction runs no append of that room is between taking its seq and committing, so every
// row it reads with seq <= N is all there will ever be, and nothing it deletes is unread.
import type { Queryable } from './pool';

/** Two-key advisory locks: this first key is the room namespace (hashtext(room) the second). */
const ROOM_LOCK_SPACE = 7_246_002;

export async function lockRoom(client: Queryable, room: string, mode: 'shared' | 'exclusive'): Promise<void> {
  const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await client.query(`SELECT ${fn}($1, hashtext($2))`, [ROOM_LOCK_SPACE, room]);
}
