// Outbox settings from the environment (outside contract): OUTBOX_MAX_ATTEMPTS bounds how often
// a delivery that keeps failing is tried before it is marked failed (O4). Errors are values
// naming the variable, so main.ts can print them and exit before anything starts.
import { defaultOutboxTiming, type OutboxTiming } from './outbox-worker';

export const MAX_OUTBOX_ATTEMPTS = 10_000;

export type OutboxConfigResult = { ok: true; timing: Pick<OutboxTiming, 'maxAttempts'> } | { ok: false; error: string };

export function readOutboxConfig(env: Record<string, string | undefined>): OutboxConfigResult {
  const raw = env.OUTBOX_MAX_ATTEMPTS?.trim() ?? '';
  if (raw === '') return { ok: true, timing: { maxAttempts: defaultOutboxTiming.maxAttempts } };
  if (!/^[0-9]+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_OUTBOX_ATTEMPTS) {
    return { ok: false, error: `OUTBOX_MAX_ATTEMPTS must be a whole number of attempts between 1 and ${MAX_OUTBOX_ATTEMPTS}, got "${raw}"` };
  }
  return { ok: true, timing: { maxAttempts: Number(raw) } };
}
