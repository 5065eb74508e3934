// The device-wide "12 van 40 verzonden" round and the Dutch badge texts the UI shows.
import { describe, expect, it } from 'vitest';
import { ProgressRound, progressLabel, statusLabel } from '../../../client/sync/sync-status';

describe('sync status', () => {
  it('counts a round until everything is sent, then starts a new one', () => {
    const round = new ProgressRound();
    expect(round.record('a', { state: 'local' })).toBe(true);
    expect(round.record('a', { state: 'local' })).toBe(false);
    round.record('b', { state: 'sending' });
    expect(round.progress()).toEqual({ pending: 2, sent: 0, total: 2 });
    round.record('a', { state: 'saved' });
    expect(progressLabel(round.progress())).toBe('1 van 2 verzonden');
    round.record('b', { state: 'saved' });
    expect(round.progress()).toEqual({ pending: 0, sent: 2, total: 2 });
    round.record('c', { state: 'local' });
    expect(round.progress()).toEqual({ pending: 1, sent: 0, total: 1 });
  });

  it('a document in error stays pending', () => {
    const round = new ProgressRound();
    round.record('a', { state: 'local' });
    round.record('a', { state: 'error', reason: 'no-access' });
    expect(round.progress()).toEqual({ pending: 1, sent: 0, total: 1 });
  });

  it('has a Dutch text for every status', () => {
    expect(statusLabel({ state: 'saved' })).toBe('Opgeslagen op de server');
    expect(statusLabel({ state: 'error', reason: 'no-access' })).toBe('Geen toegang tot dit document');
    expect(progressLabel({ pending: 0, sent: 0, total: 0 })).toBe('');
  });
});
