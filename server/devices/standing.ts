// K23, K24: where a device stands after the admin's or SCIM's choice, as one pure function of its
// row and the clock, so the status route, refresh and token checks cannot disagree.
import type { DeviceRow, DeviceWipe } from '../store/types';

export type DeviceStanding =
  | { kind: 'active' }
  /** Revoked with send-then-wipe, within the drain period: may still send its own unsent work (K24). */
  | { kind: 'draining'; until: number }
  /**
   * Revoked. `chosen`: an admin or SCIM chose the wipe mode (or the drain ran out); false for a
   * revocation that chose nothing (sign-out, IdP refusal, deactivation, password reset, a reused
   * refresh token): the device then keeps its unsent work until its user signs in again (D1), so
   * the status route answers `send-then-wipe`, which never destroys what has not been sent.
   */
  | { kind: 'revoked'; wipe: DeviceWipe; chosen: boolean };

export const DAY_MS = 24 * 60 * 60 * 1000;

export function deviceStanding(device: Pick<DeviceRow, 'revokedAt' | 'wipe'>, now: number, drainDays: number): DeviceStanding {
  if (device.revokedAt === null) return { kind: 'active' };
  const wipe = device.wipe ?? null;
  if (wipe === 'send-then-wipe') {
    const until = device.revokedAt + drainDays * DAY_MS;
    return now < until ? { kind: 'draining', until } : { kind: 'revoked', wipe: 'wipe-now', chosen: true };
  }
  if (wipe === 'wipe-now') return { kind: 'revoked', wipe: 'wipe-now', chosen: true };
  return { kind: 'revoked', wipe: 'send-then-wipe', chosen: false };
}
