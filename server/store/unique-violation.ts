// One signal, in every engine, for "this would take a name or id that another row holds": the
// SCIM service answers 409 `uniqueness` on it (RFC 7644 §3.3) instead of recognising a taken
// username by one database's error wording. Each store turns its engine's own error into this,
// keeping that error as the cause for the log.
export class UniqueViolation extends Error {
  override readonly name = 'UniqueViolation';

  constructor(
    /** The constraint or column that holds the value, e.g. `users.username_key`. */
    readonly constraint: string,
    options?: { cause?: unknown },
  ) {
    super(`UNIQUE constraint failed: ${constraint}`, options);
  }
}
