// The user attributes SCIM may set, and PATCH on them (C3), pure. Entra ID's forms are accepted:
// capitalised op names, "True"/"False" strings, `path`-less replace with a value object whose
// keys are attribute paths ("name.givenName") or nested objects, `emails[type eq "work"].value`.
// Attributes this server does not keep (department, addresses …) are ignored and reported.
import { ScimBoolean, type ScimPatchOperation, type ScimUserInput } from '../../../shared/protocol/scim';
import { fail, ok, type ScimResult } from './errors';
import { stripCoreUrn } from './filter';

export interface ScimUserState {
  userName: string;
  externalId: string | null;
  active: boolean;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  formatted: string | null;
  email: string | null;
  title: string | null;
}

export interface PatchOutcome<S> {
  state: S;
  /** Paths that were accepted but name nothing this server keeps. */
  ignored: string[];
}

/** The display name a user gets: displayName, else name.formatted, else given + family name, else userName. */
export function displayNameOf(state: ScimUserState): string {
  const joined = [state.givenName, state.familyName].filter((s): s is string => Boolean(s?.trim())).join(' ');
  return (state.displayName?.trim() || state.formatted?.trim() || joined || state.userName).slice(0, 200);
}

/** POST/PUT body → state. `active` absent keeps `current` (PUT never silently re-enables), else true. */
export function stateFromInput(input: ScimUserInput, current: ScimUserState | null): ScimUserState {
  return {
    userName: input.userName,
    externalId: input.externalId ?? null,
    active: input.active ?? current?.active ?? true,
    displayName: input.displayName ?? null,
    givenName: input.name?.givenName ?? null,
    familyName: input.name?.familyName ?? null,
    formatted: input.name?.formatted ?? null,
    email: pickEmail(input.emails ?? []),
    title: input.title?.trim() || null,
  };
}

function pickEmail(emails: readonly { value: string; type?: string | undefined; primary?: boolean | undefined }[]): string | null {
  const chosen = emails.find((e) => e.primary === true) ?? emails.find((e) => e.type?.toLowerCase() === 'work') ?? emails[0];
  return chosen?.value.trim() || null;
}

type Op = 'add' | 'replace' | 'remove';

export function applyUserPatch(start: ScimUserState, operations: readonly ScimPatchOperation[]): ScimResult<PatchOutcome<ScimUserState>> {
  const state = { ...start };
  const ignored: string[] = [];
  for (const operation of operations) {
    const op = operation.op.toLowerCase();
    if (op !== 'add' && op !== 'replace' && op !== 'remove') return fail(400, `unknown op "${operation.op}"`, 'invalidSyntax');
    if (operation.path === undefined || operation.path === '') {
      if (op === 'remove') return fail(400, 'remove needs a path', 'noTarget');
      if (!isObject(operation.value)) return fail(400, `${operation.op} without path needs an object value`, 'invalidValue');
      for (const [key, value] of Object.entries(operation.value)) {
        const applied = setPath(state, op, key, value, ignored);
        if (!applied.ok) return applied;
      }
    } else {
      const applied = setPath(state, op, operation.path, operation.value, ignored);
      if (!applied.ok) return applied;
    }
  }
  if (state.userName.trim() === '') return fail(400, 'userName may not be empty', 'invalidValue');
  return ok({ state, ignored });
}

function setPath(state: ScimUserState, op: Op, rawPath: string, value: unknown, ignored: string[]): ScimResult<null> {
  const path = stripCoreUrn(rawPath).toLowerCase();
  if (path === 'name' && op !== 'remove') {
    if (!isObject(value)) return fail(400, 'name needs an object value', 'invalidValue');
    for (const [key, sub] of Object.entries(value)) {
      const applied = setPath(state, op, `name.${key}`, sub, ignored);
      if (!applied.ok) return applied;
    }
    return ok(null);
  }
  const text = (max: number): ScimResult<string | null> => {
    if (op === 'remove' || value === null) return ok(null);
    if (typeof value !== 'string' || value.length > max) return fail(400, `${rawPath} needs a string of at most ${max} characters`, 'invalidValue');
    return ok(value.trim() || null);
  };
  const assign = <K extends keyof ScimUserState>(key: K, result: ScimResult<ScimUserState[K]>): ScimResult<null> => {
    if (!result.ok) return result;
    state[key] = result.value;
    return ok(null);
  };
  switch (path) {
    case 'active': {
      if (op === 'remove') return fail(400, 'active cannot be removed', 'mutability');
      const parsed = ScimBoolean.safeParse(value);
      return parsed.success ? assign('active', ok(parsed.data)) : fail(400, 'active needs a boolean ("True"/"False" accepted)', 'invalidValue');
    }
    case 'username': {
      const next = text(200);
      if (!next.ok) return next;
      if (next.value === null) return fail(400, 'userName is required', 'mutability');
      state.userName = next.value;
      return ok(null);
    }
    case 'externalid':
      return assign('externalId', text(256));
    case 'displayname':
      return assign('displayName', text(200));
    case 'name.givenname':
      return assign('givenName', text(200));
    case 'name.familyname':
      return assign('familyName', text(200));
    case 'name.formatted':
      return assign('formatted', text(200));
    case 'title':
      return assign('title', text(120));
    case 'emails[type eq "work"].value':
    case 'emails[primary eq true].value':
      return assign('email', text(254));
    case 'emails': {
      if (op === 'remove' || value === null) return assign('email', ok(null));
      const list = Array.isArray(value) ? value : [value];
      const emails = list.filter(isObject).map((e) => ({
        value: typeof e.value === 'string' ? e.value : '',
        type: typeof e.type === 'string' ? e.type : undefined,
        primary: ScimBoolean.safeParse(e.primary).data,
      }));
      if (emails.some((e) => e.value.length > 254)) return fail(400, 'an email address is too long', 'invalidValue');
      return assign('email', ok(pickEmail(emails)));
    }
    default:
      ignored.push(rawPath);
      return ok(null);
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
