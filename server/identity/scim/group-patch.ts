// PATCH on a group (C7), pure: rename, externalId, and members added, removed (by value list or
// by a `members[value eq "…"]` path) or replaced, in the forms Entra ID sends.
import type { ScimPatchOperation } from '../../../shared/protocol/scim';
import { fail, ok, type ScimResult } from './errors';
import { stripCoreUrn } from './filter';
import { isObject, type PatchOutcome } from './user-patch';

export interface ScimGroupState {
  displayName: string;
  externalId: string | null;
  /** Member user ids in order. */
  members: string[];
}

const MEMBER_PATH = /^members\[value eq "((?:[^"\\]|\\.)+)"\]$/i;

export function applyGroupPatch(start: ScimGroupState, operations: readonly ScimPatchOperation[]): ScimResult<PatchOutcome<ScimGroupState>> {
  const state: ScimGroupState = { ...start, members: [...start.members] };
  const ignored: string[] = [];
  for (const operation of operations) {
    const op = operation.op.toLowerCase();
    if (op !== 'add' && op !== 'replace' && op !== 'remove') return fail(400, `unknown op "${operation.op}"`, 'invalidSyntax');
    const entries: [string, unknown][] =
      operation.path === undefined || operation.path === ''
        ? isObject(operation.value)
          ? Object.entries(operation.value)
          : []
        : [[operation.path, operation.value]];
    if (entries.length === 0) return fail(400, `${operation.op} without path needs an object value`, op === 'remove' ? 'noTarget' : 'invalidValue');
    for (const [rawPath, value] of entries) {
      const path = stripCoreUrn(rawPath);
      const one = MEMBER_PATH.exec(path);
      if (one && op === 'remove') {
        const id = JSON.parse(`"${one[1] ?? ''}"`) as string;
        state.members = state.members.filter((m) => m !== id);
        continue;
      }
      switch (path.toLowerCase()) {
        case 'members': {
          const ids = memberIds(value);
          if (ids === null) {
            if (op === 'remove' && (value === undefined || value === null)) {
              state.members = [];
              continue;
            }
            return fail(400, 'members needs a list of {"value": "<user id>"}', 'invalidValue');
          }
          if (op === 'add') state.members = [...state.members, ...ids.filter((id) => !state.members.includes(id))];
          else if (op === 'remove') state.members = state.members.filter((m) => !ids.includes(m));
          else state.members = [...new Set(ids)];
          continue;
        }
        case 'displayname': {
          if (op === 'remove') return fail(400, 'displayName is required', 'mutability');
          if (typeof value !== 'string' || value.trim() === '' || value.length > 120) {
            return fail(400, 'displayName needs a string of 1 to 120 characters', 'invalidValue');
          }
          state.displayName = value.trim();
          continue;
        }
        case 'externalid': {
          if (op === 'remove' || value === null) state.externalId = null;
          else if (typeof value !== 'string' || value.length > 256) return fail(400, 'externalId needs a string', 'invalidValue');
          else state.externalId = value.trim() || null;
          continue;
        }
        default:
          ignored.push(rawPath);
      }
    }
  }
  return ok({ state, ignored });
}

function memberIds(value: unknown): string[] | null {
  const list = Array.isArray(value) ? value : isObject(value) ? [value] : null;
  if (list === null) return null;
  const ids: string[] = [];
  for (const item of list) {
    if (!isObject(item) || typeof item.value !== 'string' || item.value === '' || item.value.length > 256) return null;
    ids.push(item.value);
  }
  return ids;
}
