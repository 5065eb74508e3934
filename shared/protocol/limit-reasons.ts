// Close reasons of the sync server's traffic limits (L5–L8), sent with close code 4429 ("too
// fast / too much; come back later"), except `awareness-too-large` (4413). Kebab-case on the
// wire; clients need not tell them apart (they back off as for any 4429), operators and tests do.

export const LimitReason = {
  /** The socket does not read what the server sends (L5). */
  sendQueueFull: 'send-queue-full',
  /** Too many awareness updates on one connection (L6). */
  awarenessTooFast: 'awareness-too-fast',
  /** Too many bytes of presence changes per second across one user's sockets (L6). */
  userAwarenessTooFast: 'user-awareness-too-fast',
  /** An awareness update bigger than any presence (L6; close code 4413). */
  awarenessTooLarge: 'awareness-too-large',
  /** Too many bytes per second across one user's sockets (L6). */
  userBytesTooFast: 'user-bytes-too-fast',
  /** Open-socket quota (L7). */
  socketsPerUser: 'too-many-sockets-user',
  socketsPerDevice: 'too-many-sockets-device',
  /** Rooms-joined-at-once quota (L7). */
  roomsPerUser: 'too-many-rooms-user',
  roomsPerDevice: 'too-many-rooms-device',
  /** Sockets opened with one token faster than allowed (L10). */
  connectTooFast: 'too-many-connects',
  /** New-documents-per-hour quota (L8). */
  newDocumentsPerUser: 'too-many-new-documents-user',
  newDocumentsPerDevice: 'too-many-new-documents-device',
} as const;
export type LimitReason = (typeof LimitReason)[keyof typeof LimitReason];
