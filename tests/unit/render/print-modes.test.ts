// P5 and P6 in the model: every field says whether and how it prints (a BSN masked, an internal
// choice never, unless the template says otherwise), the schema guards it, and the municipality's
// contact settings are checked at start and become the letterhead's contact block.
import { describe, expect, it } from 'vitest';
import { readMunicipalityContact } from '../../../server/pdf/municipality';
import { contactGroups } from '../../../shared/render/letter';
import { builtinTemplates } from '../../../shared/templates/builtin/index';
import { briefTemplate } from '../../../shared/templates/builtin/brief';
import { maskPrinted, printedValue, printModeOf } from '../../../shared/templates/print';
import { Template } from '../../../shared/templates/schema';

describe('print modes (P5)', () => {
  it('[P5] a field without a print mode prints safely by its type: a BSN masked, a choice never, text as typed', () => {
    expect(printModeOf({ type: 'bsn' })).toBe('masked');
    expect(printModeOf({ type: 'choice' })).toBe('never');
    for (const type of ['text', 'multiline', 'date', 'address', 'zaaknummer'] as const) expect(printModeOf({ type })).toBe('always');
    expect(printModeOf({ type: 'choice', print: 'always' })).toBe('always');
    expect(printModeOf({ type: 'text', print: 'never' })).toBe('never');
    expect(maskPrinted('123456782')).toBe('*****6782');
    expect(maskPrinted('1234.56.782')).toBe('*****6782');
    expect(maskPrinted('12')).toBe('****');
    expect(printedValue({ type: 'choice' }, 'ja')).toBeNull();
    expect(printedValue({ type: 'bsn' }, '123456782')).toBe('*****6782');
  });

  it('[P5] every field of every built-in template (both versions) says how it prints; internal choices never', () => {
    expect(builtinTemplates.length).toBeGreaterThanOrEqual(16);
    for (const template of builtinTemplates) {
      for (const field of template.fields) {
        expect(field.print, `${template.id} v${template.version}: ${field.key}`).toBeDefined();
        if (field.type === 'choice') expect(field.print, `${template.id}: ${field.key}`).toBe('never');
        if (field.type === 'bsn') expect(field.print, `${template.id}: ${field.key}`).toBe('masked');
      }
      expect(Template.safeParse(template).success, template.id).toBe(true);
    }
  });

  it('[P5] the schema refuses an unknown print mode and a fixed text that prints a field marked never', () => {
    const withMode = (print: unknown) => ({ ...briefTemplate, fields: briefTemplate.fields.map((f) => (f.key === 'onderwerp' ? { ...f, print } : f)) });
    expect(Template.safeParse(withMode('sometimes')).success).toBe(false);
    expect(Template.safeParse(withMode('never')).success).toBe(true);
    const placed = {
      ...withMode('never'),
      sections: [...briefTemplate.sections, { key: 'slot', kind: 'fixed', label: 'Slot', required: true, text: 'Over {onderwerp}.' }],
    };
    const result = Template.safeParse(placed);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('plaatshouder {onderwerp}');
    // uwKenmerk is a text field, at most one.
    const uw = { ...briefTemplate, fields: briefTemplate.fields.map((f) => (f.key === 'uwKenmerk' ? { ...f, type: 'date' } : f)) };
    expect(Template.safeParse(uw).success).toBe(false);
  });
});

describe('municipality settings (P6)', () => {
  it('[P6] reads address, postal address, telephone and website; absent ones are left out', () => {
    expect(readMunicipalityContact({})).toEqual({ ok: true, contact: {} });
    expect(
      readMunicipalityContact({
        MUNICIPALITY_ADDRESS: 'Raadhuisplein 1, 1234AB Voorbeeld',
        MUNICIPALITY_POSTAL_ADDRESS: 'Postbus 100; 1230 AA  Voorbeeld',
        MUNICIPALITY_PHONE: '14 0123',
        MUNICIPALITY_WEBSITE: 'https://www.voorbeeld.nl/',
      }),
    ).toEqual({
      ok: true,
      contact: {
        address: ['Raadhuisplein 1', '1234 AB Voorbeeld'],
        postalAddress: ['Postbus 100', '1230 AA Voorbeeld'],
        phone: '14 0123',
        website: 'www.voorbeeld.nl',
      },
    });
  });

  it('[P6] a malformed setting is refused with its name, so the start stops', () => {
    const refused = (env: Record<string, string>): string => {
      const result = readMunicipalityContact(env);
      return result.ok ? '' : result.error;
    };
    expect(refused({ MUNICIPALITY_ADDRESS: 'Raadhuisplein 1' })).toMatch(/^MUNICIPALITY_ADDRESS must be/);
    expect(refused({ MUNICIPALITY_ADDRESS: 'Raadhuisplein 1, Voorbeeld' })).toMatch(/^MUNICIPALITY_ADDRESS must be/);
    expect(refused({ MUNICIPALITY_POSTAL_ADDRESS: 'Postbus, 12 AB X' })).toMatch(/^MUNICIPALITY_POSTAL_ADDRESS must be/);
    expect(refused({ MUNICIPALITY_PHONE: 'bel ons' })).toMatch(/^MUNICIPALITY_PHONE must be/);
    expect(refused({ MUNICIPALITY_PHONE: '12' })).toMatch(/^MUNICIPALITY_PHONE must be/);
    expect(refused({ MUNICIPALITY_WEBSITE: 'ftp://voorbeeld.nl' })).toMatch(/^MUNICIPALITY_WEBSITE must be/);
    expect(refused({ MUNICIPALITY_WEBSITE: 'voorbeeld' })).toMatch(/^MUNICIPALITY_WEBSITE must be/);
  });

  it('[P6] the contact block: a postal address only when it differs, then how to reach us, then the official', () => {
    expect(contactGroups({})).toEqual([]);
    const address = ['Raadhuisplein 1', '1234 AB Voorbeeld'];
    expect(contactGroups({ contact: { address, postalAddress: address, phone: '14 0123' } })).toEqual([
      { heading: 'Adres', lines: address },
      { heading: 'Contact', lines: ['Telefoon 14 0123'] },
    ]);
    expect(
      contactGroups({
        contact: { address, postalAddress: ['Postbus 100', '1230 AA Voorbeeld'], website: 'www.voorbeeld.nl' },
        official: { name: 'Vera Veldwerker', email: 'v.veldwerker@voorbeeld.nl' },
      }),
    ).toEqual([
      { heading: 'Bezoekadres', lines: address },
      { heading: 'Postadres', lines: ['Postbus 100', '1230 AA Voorbeeld'] },
      { heading: 'Contact', lines: ['www.voorbeeld.nl'] },
      { heading: 'Contactpersoon', lines: ['Vera Veldwerker', 'v.veldwerker@voorbeeld.nl'] },
    ]);
  });
});
