// Web Push subscriptions and the pushed-notice keys in SQLite (Y9, Y11, Y13).
/* eslint-disable @typescript-eslint/require-await -- async so a throw is a rejected promise, as in the other stores */
import type Database from 'better-sqlite3';
import type { PushStore, PushSubscriptionRow } from '../types';

interface SubscriptionSql {
  device_id: string;
  user_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  created_at: number;
}

const fromSql = (r: SubscriptionSql): PushSubscriptionRow => ({
  deviceId: r.device_id,
  userId: r.user_id,
  endpoint: r.endpoint,
  p256dh: r.p256dh,
  auth: r.auth,
  createdAt: r.created_at,
});

export function createSqlitePush(db: Database.Database): PushStore {
  const stmt = {
    save: db.prepare<[string, string, string, string, string, number]>(
      `INSERT INTO push_subscriptions (device_id, user_id, endpoint, p256dh, auth, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (device_id) DO UPDATE SET user_id = excluded.user_id, endpoint = excluded.endpoint,
         p256dh = excluded.p256dh, auth = excluded.auth, created_at = excluded.created_at`,
    ),
    // A browser endpoint belongs to one device at a time: another device row holding it is stale.
    dropEndpointElsewhere: db.prepare<[string, string]>('DELETE FROM push_subscriptions WHERE endpoint = ? AND device_id <> ?'),
    delete: db.prepare<[string]>('DELETE FROM push_subscriptions WHERE device_id = ?'),
    deleteEndpoint: db.prepare<[string]>('DELETE FROM push_subscriptions WHERE endpoint = ?'),
    get: db.prepare<[string], SubscriptionSql>('SELECT * FROM push_subscriptions WHERE device_id = ?'),
    listForUser: db.prepare<[string], SubscriptionSql>('SELECT * FROM push_subscriptions WHERE user_id = ? ORDER BY device_id'),
    claim: db.prepare<[string, number]>('INSERT INTO push_notices (key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
  };
  const saveTx = db.transaction((row: PushSubscriptionRow) => {
    stmt.dropEndpointElsewhere.run(row.endpoint, row.deviceId);
    stmt.save.run(row.deviceId, row.userId, row.endpoint, row.p256dh, row.auth, row.createdAt);
  });
  return {
    async savePushSubscription(row) {
      saveTx.immediate(row);
    },
    async deletePushSubscription(deviceId) {
      return stmt.delete.run(deviceId).changes > 0;
    },
    async deletePushEndpoint(endpoint) {
      stmt.deleteEndpoint.run(endpoint);
    },
    async getPushSubscription(deviceId) {
      const row = stmt.get.get(deviceId);
      return row === undefined ? null : fromSql(row);
    },
    async listPushSubscriptions(userIds) {
      return [...new Set(userIds)].flatMap((id) => stmt.listForUser.all(id).map(fromSql));
    },
    async claimPushNotice(key, at) {
      return stmt.claim.run(key, at).changes > 0;
    },
  };
}
