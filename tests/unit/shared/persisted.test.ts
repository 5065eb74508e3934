// The coverage test behind "saved on the server" (S2): a server snapshot covers a local one
// only when it holds every item and every deletion.
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { MessageType } from '../../../shared/protocol/messages';
import { encodePersistedMessage, readPersistedBody, snapshotCovers } from '../../../shared/protocol/persisted';

function pair(): { local: Y.Doc; server: Y.Doc; sync: () => void } {
  const local = new Y.Doc();
  const server = new Y.Doc();
  return { local, server, sync: () => Y.applyUpdate(server, Y.encodeStateAsUpdate(local)) };
}

describe('persisted-ack coverage', () => {
  it('[S2] an empty document is covered by an empty server state', () => {
    const { local, server } = pair();
    expect(snapshotCovers(Y.snapshot(server), Y.snapshot(local))).toBe(true);
  });

  it('[S2] an insert the server lacks is not covered; once applied it is', () => {
    const { local, server, sync } = pair();
    local.getText('t').insert(0, 'hallo');
    expect(snapshotCovers(Y.snapshot(server), Y.snapshot(local))).toBe(false);
    sync();
    expect(snapshotCovers(Y.snapshot(server), Y.snapshot(local))).toBe(true);
  });

  it('[S2] a deletion the server lacks is not covered although the state vectors are equal', () => {
    const { local, server, sync } = pair();
    local.getText('t').insert(0, 'hallo wereld');
    sync();
    local.getText('t').delete(0, 6);
    expect(Y.encodeStateVector(local)).toEqual(Y.encodeStateVector(server));
    expect(snapshotCovers(Y.snapshot(server), Y.snapshot(local))).toBe(false);
    sync();
    expect(snapshotCovers(Y.snapshot(server), Y.snapshot(local))).toBe(true);
  });

  it('[S2] a server that knows more than the device still covers it', () => {
    const { local, server, sync } = pair();
    local.getText('t').insert(0, 'a');
    sync();
    server.getText('t').insert(1, 'b');
    server.getText('t').delete(0, 1);
    expect(snapshotCovers(Y.snapshot(server), Y.snapshot(local))).toBe(true);
  });

  it('[S2] deletions split over several ranges must each be covered', () => {
    const { local, server, sync } = pair();
    local.getText('t').insert(0, 'abcdefghij');
    sync();
    local.getText('t').delete(1, 1);
    local.getText('t').delete(5, 1);
    const partial = Y.snapshot(server);
    expect(snapshotCovers(partial, Y.snapshot(local))).toBe(false);
    sync();
    expect(snapshotCovers(Y.snapshot(server), Y.snapshot(local))).toBe(true);
  });

  it('[S3] the persisted message round-trips through its encoding', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'x');
    doc.getText('t').delete(0, 1);
    const message = encodePersistedMessage(Y.snapshot(doc));
    const decoder = decoding.createDecoder(message);
    expect(decoding.readVarUint(decoder)).toBe(MessageType.persisted);
    const back = readPersistedBody(decoder);
    expect(Y.equalSnapshots(back, Y.snapshot(doc))).toBe(true);
  });
});
