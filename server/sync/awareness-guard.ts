// Awareness speaks for the signed-in user only (L4): every state a connection publishes gets
// `user.id` and `user.name` from its access token (the device keeps its colour), and entries for
// awareness clientIDs another user's connection owns are dropped. Pure: bytes in, bytes out.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** null: the client left. */
  state: Record<string, unknown> | null;
}

export interface PresenceUser {
  id: string;
  name: string;
}

const COLOUR = /^#[0-9a-f]{6}$/i;

/** Reads y-protocols' awareness update; throws on garbage, trailing bytes or non-JSON states. */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state: unknown = JSON.parse(decoding.readVarString(decoder));
    entries.push({ clientId, clock, state: state === null ? null : asObject(state) });
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes in awareness update');
  return entries;
}

export function encodeAwarenessUpdate(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, JSON.stringify(entry.state));
  }
  return encoding.toUint8Array(encoder);
}

/** The state as others will see it: `user` is who the token says, whatever the device wrote. */
export function stampUser(state: Record<string, unknown>, user: PresenceUser): Record<string, unknown> {
  const claimed = asObject(state.user);
  const colour = typeof claimed.colour === 'string' && COLOUR.test(claimed.colour) ? { colour: claimed.colour } : {};
  return { ...state, user: { id: user.id, name: user.name, ...colour } };
}

/**
 * Keeps the entries this connection may publish and stamps them. `ownerOf` names the user whose
 * connection owns a clientID (undefined: nobody yet); the same user may take over a clientID
 * (a device reconnecting before its old socket was noticed gone), another user may not.
 */
export function admitAwareness(
  entries: readonly AwarenessEntry[],
  user: PresenceUser,
  ownerOf: (clientId: number) => string | undefined,
): AwarenessEntry[] {
  const admitted: AwarenessEntry[] = [];
  for (const entry of entries) {
    const owner = ownerOf(entry.clientId);
    if (owner !== undefined && owner !== user.id) continue;
    admitted.push({ ...entry, state: entry.state === null ? null : stampUser(entry.state, user) });
  }
  return admitted;
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
