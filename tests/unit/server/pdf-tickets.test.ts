import { describe, expect, it } from 'vitest';
import { createPdfTickets } from '../../../server/http/pdf-tickets';

describe('PDF tickets', () => {
  const target = { docId: 'd1', version: 1 };

  it('[N8] a ticket is good once, for its own PDF, within its lifetime', () => {
    const clock = { now: 1_000 };
    const tickets = createPdfTickets({ now: () => clock.now, ttlMs: 60_000 });
    const t = tickets.issue('token-a', target);
    expect(tickets.redeem(t, target)).toBe('token-a');
    expect(tickets.redeem(t, target)).toBeNull();

    const other = tickets.issue('token-a', target);
    expect(tickets.redeem(other, { docId: 'd1', version: 2 })).toBeNull();
    expect(tickets.redeem(other, target)).toBeNull();

    const late = tickets.issue('token-a', target);
    clock.now += 60_000;
    expect(tickets.redeem(late, target)).toBeNull();
  });

  it('[N8] minting cannot grow memory without bound: the oldest ticket goes first', () => {
    let n = 0;
    const tickets = createPdfTickets({ now: () => 0, max: 3, random: () => `t${n++}` });
    const issued = [0, 1, 2, 3].map(() => tickets.issue('tok', target));
    expect(tickets.redeem(issued[0]!, target)).toBeNull();
    expect(tickets.redeem(issued[3]!, target)).toBe('tok');
  });
});
