// Room names come from untrusted URLs: parsing is strict.
import { describe, expect, it } from 'vitest';
import { parseRoom, roomName } from '../../../shared/protocol/rooms';

describe('room names', () => {
  it('[S6] accepts documents by uuid and index rooms by id', () => {
    expect(parseRoom('doc:0b8e7c1a-3f2d-4c5b-9a8e-1f2e3d4c5b6a')).toEqual({ kind: 'doc', docId: '0b8e7c1a-3f2d-4c5b-9a8e-1f2e3d4c5b6a' });
    expect(parseRoom('index:team:centrum')).toEqual({ kind: 'team-index', teamId: 'centrum' });
    expect(parseRoom('index:user:u-1')).toEqual({ kind: 'user-index', userId: 'u-1' });
  });

  it('[S6] refuses anything else', () => {
    for (const bad of ['', 'doc:', 'doc:123', 'doc:../../etc', 'index:team:', 'index:team:a/b', 'index:other:x', 'index:user:' + 'x'.repeat(65), 'DOC:0b8e7c1a-3f2d-4c5b-9a8e-1f2e3d4c5b6a']) {
      expect(parseRoom(bad), bad).toBeNull();
    }
  });

  it('names round-trip', () => {
    for (const name of ['doc:0b8e7c1a-3f2d-4c5b-9a8e-1f2e3d4c5b6a', 'index:team:centrum', 'index:user:abc']) {
      const room = parseRoom(name);
      expect(room).not.toBeNull();
      if (room !== null) expect(roomName(room)).toBe(name);
    }
  });
});
