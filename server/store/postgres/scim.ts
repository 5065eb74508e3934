// SCIM provisioning on PostgreSQL (C1–C9), same semantics as sqlite/scim.ts. Owner: issue 15
// (DB20–DB29). SKELETON: being written.
import type { ScimStore } from '../types';
import type { Pool } from './pool';

export function createPostgresScim(pool: Pool): ScimStore {
  void pool;
  // Construction must not throw (the store assembles itself from this); each call rejects.
  const todo = (): Promise<never> => Promise.reject(new Error('TODO(issue 15): PostgreSQL SCIM store is not written yet'));
  return {
    listScimUsers: todo,
    getScimUser: todo,
    createScimUser: todo,
    updateScimUser: todo,
    retireScimUser: todo,
    listScimGroups: todo,
    getScimGroup: todo,
    createScimGroup: todo,
    updateScimGroup: todo,
    deleteScimGroup: todo,
    changeScimMembers: todo,
    revokeUserDevices: todo,
  };
}
