// T3 on the device: a draft finds the exact template version it was started on (cache first,
// then the built-ins), new documents see only the newest version, and what the server sends
// (explicit nulls) parses.
import { describe, expect, it } from 'vitest';
import { findTemplate, newestTemplates, parseTemplates } from '../../../client/app/session/templates';
import { briefTemplate } from '../../../shared/templates/builtin/brief';

const v2 = { ...briefTemplate, version: 2, title: 'Brief (nieuw)' };

describe('template versions on the device', () => {
  it('[T3] a draft on version 1 keeps version 1 after version 2 arrives; unknown versions fall back to the newest', () => {
    expect(findTemplate([v2], 'brief', 1)).toBe(briefTemplate);
    expect(findTemplate([v2, briefTemplate], 'brief', 2)).toBe(v2);
    expect(findTemplate([v2], 'brief', 7)).toBe(v2);
    expect(findTemplate([v2], 'onbekend', 1)).toBeNull();
    expect(findTemplate([v2], null, null)).toBeNull();
  });

  it('[T3] new documents start on the newest version', () => {
    expect(newestTemplates([briefTemplate, v2]).map((t) => t.version)).toEqual([2]);
  });

  it('[T1] the server’s wire shape parses; an invalid template is left out', () => {
    const wire = { ...briefTemplate, description: null, rules: [], approval: 'never', dms: null };
    const broken = { ...briefTemplate, id: 'kapot', fields: [{ key: 'x', type: 'choice', label: 'X', required: true }] };
    expect(parseTemplates([wire, broken]).map((t) => t.id)).toEqual(['brief']);
  });
});
