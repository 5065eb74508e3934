// Pure SCIM logic (C3, C7, C8): PATCH on users and groups in Entra ID's forms, and the `eq` filter.
import { describe, expect, it } from 'vitest';
import { parseEqFilter } from '../../../server/identity/scim/filter';
import { applyGroupPatch } from '../../../server/identity/scim/group-patch';
import { applyUserPatch, displayNameOf, type ScimUserState } from '../../../server/identity/scim/user-patch';

const jan: ScimUserState = {
  userName: 'jan@gemeente.nl',
  externalId: null,
  active: true,
  displayName: null,
  givenName: null,
  familyName: null,
  formatted: null,
  email: null,
  title: null,
};

describe('SCIM user PATCH', () => {
  it('[C3] takes "False"/"True", capitalised ops, path-less objects with dotted keys and nested objects', () => {
    const result = applyUserPatch(jan, [
      { op: 'Replace', path: 'active', value: 'False' },
      { op: 'replace', value: { 'name.givenName': 'Jan', name: { familyName: 'de Vries' }, 'emails[type eq "work"].value': 'j@g.nl' } },
      { op: 'Add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', value: 'X' },
    ]);
    expect(result.ok && result.value.state).toMatchObject({ active: false, givenName: 'Jan', familyName: 'de Vries', email: 'j@g.nl' });
    expect(result.ok && displayNameOf(result.value.state)).toBe('Jan de Vries');
    expect(result.ok && result.value.ignored).toEqual(['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department']);
  });

  it('[C3] a bad operation anywhere refuses the whole request; the input state is never changed', () => {
    const before = structuredClone(jan);
    const result = applyUserPatch(jan, [
      { op: 'Replace', path: 'displayName', value: 'Nieuw' },
      { op: 'Replace', path: 'active', value: 'misschien' },
    ]);
    expect(result).toMatchObject({ ok: false, problem: { status: 400, scimType: 'invalidValue' } });
    expect(jan).toEqual(before);
    expect(applyUserPatch(jan, [{ op: 'Move', path: 'active', value: true }])).toMatchObject({ ok: false, problem: { scimType: 'invalidSyntax' } });
    expect(applyUserPatch(jan, [{ op: 'Remove' }])).toMatchObject({ ok: false, problem: { scimType: 'noTarget' } });
  });
});

describe('SCIM group PATCH', () => {
  it('[C7] adds, removes by list and by members[value eq] path, replaces, renames', () => {
    const start = { displayName: 'Team', externalId: null, members: ['a'] };
    const result = applyGroupPatch(start, [
      { op: 'Add', path: 'members', value: [{ $ref: null, value: 'b' }, { value: 'a' }, { value: 'c' }] },
      { op: 'Remove', path: 'members', value: [{ value: 'a' }] },
      { op: 'Remove', path: 'members[value eq "c"]' },
      { op: 'Replace', path: 'displayName', value: 'Team Noord' },
    ]);
    expect(result.ok && result.value.state).toEqual({ displayName: 'Team Noord', externalId: null, members: ['b'] });
    const replaced = applyGroupPatch(start, [{ op: 'replace', path: 'members', value: [{ value: 'x' }, { value: 'x' }] }]);
    expect(replaced.ok && replaced.value.state.members).toEqual(['x']);
    expect(applyGroupPatch(start, [{ op: 'Add', path: 'members', value: [{ nope: 1 }] }])).toMatchObject({ ok: false, problem: { scimType: 'invalidValue' } });
  });
});

describe('SCIM filter', () => {
  it('[C8] reads attr eq "value" with escapes and any attribute case; refuses everything else with invalidFilter', () => {
    expect(parseEqFilter('userName eq "a\\"b@c.nl"', ['userName'])).toEqual({ ok: true, value: { attribute: 'userName', value: 'a"b@c.nl' } });
    expect(parseEqFilter('USERNAME Eq "x"', ['userName'])).toMatchObject({ ok: true, value: { attribute: 'userName' } });
    for (const bad of ['userName sw "x"', 'userName eq "x" or userName eq "y"', 'title eq "x"', 'userName eq x', '']) {
      expect(parseEqFilter(bad, ['userName'])).toMatchObject({ ok: false, problem: { status: 400, scimType: 'invalidFilter' } });
    }
  });
});
