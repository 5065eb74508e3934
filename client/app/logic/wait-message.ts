// The sign-in screen's words for a login refused as too many attempts (G1): how long to wait,
// in whole minutes (rounded up) from a minute on, in seconds below it. Pure.

export function waitMessage(retryAfterSeconds: number): string {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  const wait = seconds < 60 ? count(seconds, 'seconde', 'seconden') : count(Math.ceil(seconds / 60), 'minuut', 'minuten');
  return `Te veel pogingen. Probeer het over ${wait} opnieuw.`;
}

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
