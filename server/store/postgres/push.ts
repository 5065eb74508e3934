// Web Push subscriptions and the pushed-notice keys in PostgreSQL (Y9, Y11, Y13); same
// semantics as sqlite/push.ts.
import type { PushStore, PushSubscriptionRow } from '../types';
import { inTransaction, type Pool } from './pool';

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

export function createPostgresPush(pool: Pool): PushStore {
  return {
    async savePushSubscription(row) {
      await inTransaction(pool, async (client) => {
        // A browser endpoint belongs to one device at a time: another device row holding it is stale.
        await client.query('DELETE FROM push_subscriptions WHERE endpoint = $1 AND device_id <> $2', [row.endpoint, row.deviceId]);
        await client.query(
          `INSERT INTO push_subscriptions (device_id, user_id, endpoint, p256dh, auth, created_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (device_id) DO UPDATE SET user_id = excluded.user_id, endpoint = excluded.endpoint,
             p256dh = excluded.p256dh, auth = excluded.auth, created_at = excluded.created_at`,
          [row.deviceId, row.userId, row.endpoint, row.p256dh, row.auth, row.createdAt],
        );
      });
    },
    async deletePushSubscription(deviceId) {
      return ((await pool.query('DELETE FROM push_subscriptions WHERE device_id = $1', [deviceId])).rowCount ?? 0) > 0;
    },
    async deletePushEndpoint(endpoint) {
      await pool.query('DELETE FROM push_subscriptions WHERE endpoint = $1', [endpoint]);
    },
    async getPushSubscription(deviceId) {
      const { rows } = await pool.query<SubscriptionSql>('SELECT * FROM push_subscriptions WHERE device_id = $1', [deviceId]);
      return rows[0] === undefined ? null : fromSql(rows[0]);
    },
    async listPushSubscriptions(userIds) {
      const ids = [...new Set(userIds)];
      if (ids.length === 0) return [];
      const { rows } = await pool.query<SubscriptionSql>('SELECT * FROM push_subscriptions WHERE user_id = ANY($1::text[])', [ids]);
      // In the order the ids were asked, then by device, as the SQLite store answers.
      const order = new Map(ids.map((id, i) => [id, i]));
      return rows
        .sort((a, b) => (order.get(a.user_id) ?? 0) - (order.get(b.user_id) ?? 0) || (a.device_id < b.device_id ? -1 : a.device_id > b.device_id ? 1 : 0))
        .map(fromSql);
    },
    async claimPushNotice(key, at) {
      return ((await pool.query('INSERT INTO push_notices (key, at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, at])).rowCount ?? 0) > 0;
    },
  };
}
