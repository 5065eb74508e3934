// E1, E5, E6: discarded concepts in SQLite: the office's list, the purge candidates, and the
// purge itself, one transaction that re-checks the marks and the absence of submissions.
/* eslint-disable @typescript-eslint/require-await -- async like every store method: a throw becomes a rejection. */
import type Database from 'better-sqlite3';
import { docRoom } from '../../../shared/protocol/rooms';
import { documentFromSql, type DocumentSql } from './rows';
import type { DraftStore, PurgeResult } from '../types';

export function createSqliteDrafts(db: Database.Database): DraftStore {
  const stmt = {
    listDiscarded: db.prepare<[string], DocumentSql>(
      'SELECT * FROM documents WHERE team_id = ? AND discarded_at IS NOT NULL ORDER BY discarded_at DESC, id',
    ),
    listPurgeable: db.prepare<[number, number], DocumentSql>(
      'SELECT * FROM documents WHERE discarded_at IS NOT NULL AND discarded_at <= ? ORDER BY discarded_at, id LIMIT ?',
    ),
    purgeable: db.prepare<[string, number], { n: number }>(
      `SELECT count(*) AS n FROM documents d
       WHERE d.id = ? AND d.discarded_at IS NOT NULL AND d.discarded_at <= ?
         AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.doc_id = d.id)`,
    ),
    deleteUpdates: db.prepare<[string]>('DELETE FROM doc_updates WHERE doc_id = ?'),
    deleteSnapshot: db.prepare<[string]>('DELETE FROM doc_snapshots WHERE doc_id = ?'),
    deleteHistory: db.prepare<[string]>('DELETE FROM doc_update_history WHERE doc_id = ?'),
    deleteDocument: db.prepare<[string]>('DELETE FROM documents WHERE id = ?'),
  };

  const purgeTx = db.transaction((docId: string, discardedBefore: number): PurgeResult => {
    if ((stmt.purgeable.get(docId, discardedBefore)?.n ?? 0) === 0) return 'kept';
    // Updates are kept under the room's name (`doc:<id>`).
    const room = docRoom(docId);
    stmt.deleteUpdates.run(room);
    stmt.deleteSnapshot.run(room);
    stmt.deleteHistory.run(room);
    stmt.deleteDocument.run(docId);
    return 'purged';
  });

  return {
    async listDiscarded(teamId) {
      return stmt.listDiscarded.all(teamId).map(documentFromSql);
    },
    async listPurgeable(discardedBefore, limit) {
      return stmt.listPurgeable.all(discardedBefore, Math.max(0, limit)).map(documentFromSql);
    },
    async purgeDocument(docId, discardedBefore) {
      return purgeTx.immediate(docId, discardedBefore);
    },
  };
}
