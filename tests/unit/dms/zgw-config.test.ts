// ZGW settings (outside contract): every missing or malformed variable is named in the error the
// server prints before exiting; the RSIN must pass the 11-proof; DMS_ADAPTER=zgw builds the adapter.
import { describe, expect, it } from 'vitest';
import { readDmsConfig } from '../../../server/dms/config';
import { isElfproef, readZgwConfig } from '../../../server/dms/zgw/config';

const good = {
  ZGW_DOCUMENTEN_URL: 'https://openzaak.example.nl/documenten/api/v1/',
  ZGW_ZAKEN_URL: 'https://openzaak.example.nl/zaken/api/v1',
  ZGW_CATALOGI_URL: 'https://openzaak.example.nl/catalogi/api/v1',
  ZGW_CLIENT_ID: 'keukentafel',
  ZGW_SECRET: 's3cret-s3cret-s3cret',
  ZGW_RSIN: '002220647',
  ZGW_INFORMATIEOBJECTTYPE: 'https://openzaak.example.nl/catalogi/api/v1/informatieobjecttypen/7f5b0a3e-0000-4000-8000-000000000001',
};

describe('ZGW configuration', () => {
  it('reads a complete configuration, trimming the trailing slash of API roots, with a default timeout', () => {
    expect(readZgwConfig(good)).toEqual({
      ok: true,
      config: {
        documentenUrl: 'https://openzaak.example.nl/documenten/api/v1',
        zakenUrl: 'https://openzaak.example.nl/zaken/api/v1',
        catalogiUrl: 'https://openzaak.example.nl/catalogi/api/v1',
        clientId: 'keukentafel',
        secret: 's3cret-s3cret-s3cret',
        rsin: '002220647',
        informatieobjecttype: good.ZGW_INFORMATIEOBJECTTYPE,
        timeoutMs: 15_000,
        chunkThresholdBytes: 5 * 1024 * 1024,
      },
    });
    expect(readZgwConfig({ ...good, ZGW_TIMEOUT_MS: '2500' })).toMatchObject({ ok: true, config: { timeoutMs: 2500 } });
    expect(readZgwConfig({ ...good, ZGW_CHUNK_THRESHOLD_BYTES: '1048576' })).toMatchObject({ ok: true, config: { chunkThresholdBytes: 1_048_576 } });
  });

  it.each(Object.keys(good))('names %s when it is missing or empty', (name) => {
    for (const value of [undefined, '', '   ']) {
      const result = readZgwConfig({ ...good, [name]: value });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toContain(`${name} is missing`);
    }
  });

  it('names malformed settings in plain words', () => {
    const error = (env: Record<string, string>): string => {
      const r = readZgwConfig({ ...good, ...env });
      return r.ok ? 'ok' : r.error;
    };
    expect(error({ ZGW_DOCUMENTEN_URL: 'openzaak.example.nl' })).toContain('ZGW_DOCUMENTEN_URL must be an http(s) URL');
    expect(error({ ZGW_ZAKEN_URL: 'ftp://openzaak.example.nl/zaken' })).toContain('ZGW_ZAKEN_URL must be an http(s) URL');
    expect(error({ ZGW_RSIN: '12345678' })).toContain('ZGW_RSIN must be nine digits');
    expect(error({ ZGW_RSIN: '002220648' })).toContain('ZGW_RSIN is not a valid RSIN (it fails the 11-proof)');
    expect(error({ ZGW_INFORMATIEOBJECTTYPE: 'Brief' })).toContain('ZGW_INFORMATIEOBJECTTYPE must be an http(s) URL');
    expect(error({ ZGW_INFORMATIEOBJECTTYPE: 'https://elders.example.nl/catalogi/api/v1/informatieobjecttypen/1' })).toContain('ZGW_INFORMATIEOBJECTTYPE must be a URL under ZGW_CATALOGI_URL');
    expect(error({ ZGW_TIMEOUT_MS: 'soon' })).toContain('ZGW_TIMEOUT_MS must be a number of milliseconds');
    // O6
    expect(error({ ZGW_CHUNK_THRESHOLD_BYTES: '5MiB' })).toContain('ZGW_CHUNK_THRESHOLD_BYTES must be a number of bytes between 1 and');
    expect(error({ ZGW_CHUNK_THRESHOLD_BYTES: '0' })).toContain('ZGW_CHUNK_THRESHOLD_BYTES must be a number of bytes');
  });

  it('11-proof of RSINs', () => {
    expect(isElfproef('002220647')).toBe(true);
    expect(isElfproef('111222333')).toBe(true);
    expect(isElfproef('123456789')).toBe(false);
    expect(isElfproef('00222064')).toBe(false);
  });

  it('DMS_ADAPTER=zgw builds the ZGW adapter, or refuses with the missing setting named', () => {
    const result = readDmsConfig({ DMS_ADAPTER: 'zgw', ...good }, '/data');
    expect(result.ok).toBe(true);
    if (result.ok && result.config.adapter === 'zgw') {
      expect(result.config.bronorganisatie).toBe('002220647');
      expect(result.config.createAdapter().name).toBe('zgw');
    } else {
      expect.fail('expected a zgw configuration');
    }
    expect(readDmsConfig({ DMS_ADAPTER: 'zgw', ...good, ZGW_SECRET: '' }, '/data')).toEqual({ ok: false, error: expect.stringContaining('ZGW_SECRET is missing') as string });
  });
});
