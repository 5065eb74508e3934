// E1, E5, E6: discarded concepts in PostgreSQL: the office's list, the purge candidates, and the
// purge itself, one transaction that locks the row, re-checks the marks and the absence of
// submissions, and holds the room's lock so no compaction or append runs beside it.
import { docRoom } from '../../../shared/protocol/rooms';
import type { DraftStore, PurgeResult } from '../types';
import { inTransaction, type Pool } from './pool';
import { documentFromSql, type DocumentSql } from './rows';
import { lockRoom } from './room-lock';

export function createPostgresDrafts(pool: Pool): DraftStore {
  return {
    async listDiscarded(teamId) {
      const { rows } = await pool.query<DocumentSql>(
        'SELECT * FROM documents WHERE team_id = $1 AND discarded_at IS NOT NULL ORDER BY discarded_at DESC, id COLLATE "C"',
        [teamId],
      );
      return rows.map(documentFromSql);
    },
    async listPurgeable(discardedBefore, limit) {
      const { rows } = await pool.query<DocumentSql>(
        'SELECT * FROM documents WHERE discarded_at IS NOT NULL AND discarded_at <= $1 ORDER BY discarded_at, id COLLATE "C" LIMIT $2',
        [discardedBefore, Math.max(0, limit)],
      );
      return rows.map(documentFromSql);
    },
    async purgeDocument(docId, discardedBefore) {
      return inTransaction(pool, async (client): Promise<PurgeResult> => {
        const { rows } = await client.query<{ id: string }>(
          `SELECT d.id FROM documents d
           WHERE d.id = $1 AND d.discarded_at IS NOT NULL AND d.discarded_at <= $2
             AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.doc_id = d.id)
           FOR UPDATE`,
          [docId, discardedBefore],
        );
        if (rows.length === 0) return 'kept';
        // Updates are kept under the room's name (`doc:<id>`).
        const room = docRoom(docId);
        await lockRoom(client, room, 'exclusive');
        await client.query('DELETE FROM doc_updates WHERE room = $1', [room]);
        await client.query('DELETE FROM doc_snapshots WHERE room = $1', [room]);
        await client.query('DELETE FROM doc_update_history WHERE room = $1', [room]);
        await client.query('DELETE FROM documents WHERE id = $1', [docId]);
        return 'purged';
      });
    },
  };
}
