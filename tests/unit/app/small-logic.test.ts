// Small pure pieces of the app: the device name guessed from the user agent, where a refused
// submit's problems are shown (W3), and document ids made on the device.
import { describe, expect, it } from 'vitest';
import { isUuid } from '../../../shared/protocol/rooms';
import { deviceNameFromUserAgent } from '../../../client/app/logic/device-name';
import { newDocumentId } from '../../../client/app/logic/new-id';
import { placeProblems } from '../../../client/app/logic/problems';

describe('deviceNameFromUserAgent', () => {
  it('names common phones, tablets and desktops in Dutch', () => {
    expect(deviceNameFromUserAgent('Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36')).toBe(
      'Chrome op Android',
    );
    expect(
      deviceNameFromUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 Safari/604.1'),
    ).toBe('Safari op iPhone');
    expect(deviceNameFromUserAgent('Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 CriOS/126.0 Mobile Safari/604.1')).toBe(
      'Chrome op iPad',
    );
    expect(deviceNameFromUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0')).toBe(
      'Edge op Windows',
    );
    expect(deviceNameFromUserAgent('curl/8.0')).toBe('Mijn apparaat');
  });
});

describe('placeProblems', () => {
  it('[W3] puts each problem at its field or section, the rest above the form', () => {
    const placed = placeProblems(
      [
        { section: 'kern', rule: 'required', message: 'De kern van de brief ontbreekt.' },
        { section: 'onderwerp', rule: 'required', message: 'Vul een onderwerp in.' },
        { section: null, rule: 'awb-3:45', message: 'Bezwaarclausule ontbreekt.' },
        { section: 'onbekend', rule: 'x', message: 'Iets anders.' },
      ],
      new Set(['kern', 'onderwerp']),
    );
    expect(placed.byKey.get('kern')).toEqual(['De kern van de brief ontbreekt.']);
    expect(placed.byKey.get('onderwerp')).toEqual(['Vul een onderwerp in.']);
    expect(placed.general).toEqual(['Bezwaarclausule ontbreekt.', 'Iets anders.']);
  });
});

describe('newDocumentId', () => {
  it('makes a v4 uuid with or without crypto.randomUUID', () => {
    expect(isUuid(newDocumentId())).toBe(true);
    const withoutRandomUuid: Pick<Crypto, 'getRandomValues'> = { getRandomValues: (array) => crypto.getRandomValues(array) };
    for (let i = 0; i < 20; i++) expect(isUuid(newDocumentId(withoutRandomUuid))).toBe(true);
  });
});

describe('parseTemplates', () => {
  it('accepts the server\'s wire shape (explicit nulls) and drops what the schema refuses', async () => {
    const { parseTemplates } = await import('../../../client/app/session/templates');
    const { briefTemplate } = await import('../../../shared/templates/builtin/brief');
    const wire = { ...briefTemplate, description: null, dms: null, fields: briefTemplate.fields.map((f) => ({ ...f, options: null })) };
    const parsed = parseTemplates([wire, { id: 'Kapot!' }]);
    expect(parsed.map((t) => t.id)).toEqual(['brief']);
    expect(parsed[0]?.description).toBeUndefined();
  });
});
