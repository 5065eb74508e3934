// V1: which documents take content edits, and V9: an incremental update is seen as a write.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { updateAddsNothing } from '../../../server/sync/read-only';
import { EditGate, SUBMIT_HOLD_LEASE_MS } from '../../../server/sync/edit-gate';
import { WorkflowStatus } from '../../../shared/model/index-entry';

describe('edit gate (V1)', () => {
  it('[V1] only a concept takes edits; a submit in progress holds the gate closed until released', () => {
    const gate = new EditGate();
    gate.setStatus('d', WorkflowStatus.concept);
    expect(gate.refusal('d')).toBeNull();
    const release = gate.hold('d');
    expect(gate.refusal('d')).toBe('submit-in-progress');
    gate.setStatus('d', WorkflowStatus.awaitingApproval);
    release();
    release();
    expect(gate.refusal('d')).toBe('document-frozen');
    for (const status of [WorkflowStatus.submitted, WorkflowStatus.archived, WorkflowStatus.deliveryFailed]) {
      gate.setStatus('d', status);
      expect(gate.refusal('d')).toBe('document-frozen');
    }
    gate.setStatus('d', WorkflowStatus.concept);
    expect(gate.refusal('d')).toBeNull();
  });
});

describe('holds of submits on other processes (CL29)', () => {
  it('[CL29] a submit on another process holds the gate until its release; a frozen status still wins', () => {
    const gate = new EditGate(() => 1_000);
    gate.setStatus('d', WorkflowStatus.concept);
    gate.holdFromElsewhere('d', 'h1');
    gate.holdFromElsewhere('d', 'h2');
    expect(gate.refusal('d')).toBe('submit-in-progress');
    expect(gate.refusal('other')).toBeNull();
    gate.releaseFromElsewhere('d', 'h1');
    expect(gate.refusal('d')).toBe('submit-in-progress');
    gate.releaseFromElsewhere('d', 'h2');
    expect(gate.refusal('d')).toBeNull();
    gate.holdFromElsewhere('d', 'h3');
    gate.setStatus('d', WorkflowStatus.awaitingApproval);
    expect(gate.refusal('d')).toBe('document-frozen');
  });

  it('[CL29] a hold from elsewhere ends with its lease (its process may have died); a late copy of a released hold holds nothing', () => {
    let clock = 0;
    const gate = new EditGate(() => clock);
    gate.holdFromElsewhere('d', 'h1');
    clock = SUBMIT_HOLD_LEASE_MS - 1;
    expect(gate.refusal('d')).toBe('submit-in-progress');
    clock = SUBMIT_HOLD_LEASE_MS;
    expect(gate.refusal('d')).toBeNull();

    // Release first, then the hold (a publish retried after a timeout that had got through).
    gate.releaseFromElsewhere('d', 'h2');
    gate.holdFromElsewhere('d', 'h2');
    expect(gate.refusal('d')).toBeNull();
  });
});

describe('what counts as a write (V9)', () => {
  it('[V9] one keystroke after earlier edits is a write; a repeat of known state is not', () => {
    const server = new Y.Doc();
    const device = new Y.Doc();
    device.getText('t').insert(0, 'eerste');
    Y.applyUpdate(server, Y.encodeStateAsUpdate(device));
    const before = Y.encodeStateVector(device);
    device.getText('t').insert(0, 'x');
    const keystroke = Y.encodeStateAsUpdate(device, before);
    expect(updateAddsNothing(server, keystroke)).toBe(false);
    expect(updateAddsNothing(server, Y.encodeStateAsUpdate(device, Y.encodeStateVector(device)))).toBe(true);
    Y.applyUpdate(server, keystroke);
    expect(updateAddsNothing(server, Y.encodeStateAsUpdate(device))).toBe(true);
    // A deletion alone is a write too.
    const sv = Y.encodeStateVector(device);
    device.getText('t').delete(0, 1);
    expect(updateAddsNothing(server, Y.encodeStateAsUpdate(device, sv))).toBe(false);
  });
});
