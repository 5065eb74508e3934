// Web Push subscriptions and pushed-notice keys in memory (tests), same contract as sqlite/push.ts.
/* eslint-disable @typescript-eslint/require-await -- async so a throw is a rejected promise, as in the other stores */
import type { PushStore, PushSubscriptionRow } from '../types';

export function createMemoryPush(): PushStore {
  const subscriptions = new Map<string, PushSubscriptionRow>();
  const claimed = new Set<string>();
  return {
    async savePushSubscription(row) {
      for (const [deviceId, other] of subscriptions) if (other.endpoint === row.endpoint && deviceId !== row.deviceId) subscriptions.delete(deviceId);
      subscriptions.set(row.deviceId, { ...row });
    },
    async deletePushSubscription(deviceId) {
      return subscriptions.delete(deviceId);
    },
    async deletePushEndpoint(endpoint) {
      for (const [deviceId, row] of subscriptions) if (row.endpoint === endpoint) subscriptions.delete(deviceId);
    },
    async getPushSubscription(deviceId) {
      const row = subscriptions.get(deviceId);
      return row === undefined ? null : { ...row };
    },
    async listPushSubscriptions(userIds) {
      const wanted = new Set(userIds);
      return [...subscriptions.values()]
        .filter((row) => wanted.has(row.userId))
        .sort((a, b) => a.userId.localeCompare(b.userId) || a.deviceId.localeCompare(b.deviceId))
        .map((row) => ({ ...row }));
    },
    async claimPushNotice(key) {
      if (claimed.has(key)) return false;
      claimed.add(key);
      return true;
    },
  };
}
