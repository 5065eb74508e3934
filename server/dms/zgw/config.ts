// Settings of the ZGW adapter (outside contract): the Documenten, Zaken and Catalogi API roots
// (and, optional, the Besluiten API's: Z24),
// the client id and secret of the Applicatie in the DMS, the municipality's RSIN, the
// default informatieobjecttype, the per-call timeout and the size above which a PDF goes up in
// bestandsdelen (O6). Read with zod; a missing or malformed setting is an error value
// naming the variable in plain words, so the server can print it and exit before it starts.
import { z } from 'zod';

export interface ZgwConfig {
  /** API roots without a trailing slash, e.g. https://openzaak.example.nl/documenten/api/v1 */
  documentenUrl: string;
  zakenUrl: string;
  catalogiUrl: string;
  clientId: string;
  secret: string;
  /** bronorganisatie of every document: nine digits, 11-proof. */
  rsin: string;
  /** URL of the INFORMATIEOBJECTTYPE (Catalogi API) documents get unless a template names one. */
  informatieobjecttype: string;
  /** Per HTTP call to the DMS. */
  timeoutMs: number;
  /** O6: a PDF larger than this many bytes is uploaded in `bestandsdelen` instead of one `inhoud`. */
  chunkThresholdBytes: number;
  /** Z24: root of the Besluiten API (ZGW_BESLUITEN_URL); absent: decisions are archived as documents only. */
  besluitenUrl?: string;
  /** Z24: URL of the BESLUITTYPE a decision template (kind besluit) gets unless it names one (ZGW_BESLUITTYPE). */
  besluittype?: string;
}

export type ZgwConfigResult = { ok: true; config: ZgwConfig } | { ok: false; error: string };

export const DEFAULT_ZGW_TIMEOUT_MS = 15_000;
/** 5 MiB: a letter is far smaller; an attachment-heavy PDF goes up in parts (O6). */
export const DEFAULT_ZGW_CHUNK_THRESHOLD_BYTES = 5 * 1024 * 1024;
/** The Documenten API promises to take 4 GiB bodies; base64 makes ~3 GiB the largest single inhoud. */
const MAX_ZGW_CHUNK_THRESHOLD_BYTES = 3 * 1024 * 1024 * 1024;

/** The 11-proof of BSN and RSIN: 9·d1 + 8·d2 + … + 2·d8 − d9 is a multiple of 11. */
export function isElfproef(digits: string): boolean {
  if (!/^[0-9]{9}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i += 1) sum += Number(digits[i]) * (9 - i);
  sum -= Number(digits[8]);
  return sum % 11 === 0;
}

const httpUrl = (name: string) =>
  z
    .string({ error: `${name} is missing: set it to the URL of the API` })
    .trim()
    .min(1, `${name} is missing: set it to the URL of the API`)
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), `${name} must be an http(s) URL`)
    .transform((v) => v.replace(/\/+$/, ''));

const required = (name: string, what: string) =>
  z.string({ error: `${name} is missing: ${what}` }).trim().min(1, `${name} is missing: ${what}`);

const schema = z.object({
  ZGW_DOCUMENTEN_URL: httpUrl('ZGW_DOCUMENTEN_URL'),
  ZGW_ZAKEN_URL: httpUrl('ZGW_ZAKEN_URL'),
  ZGW_CATALOGI_URL: httpUrl('ZGW_CATALOGI_URL'),
  ZGW_CLIENT_ID: required('ZGW_CLIENT_ID', 'the client id of the Applicatie in the DMS'),
  ZGW_SECRET: required('ZGW_SECRET', 'the secret of the Applicatie in the DMS'),
  ZGW_RSIN: required('ZGW_RSIN', "the municipality's RSIN (nine digits)")
    .refine((v) => /^[0-9]{9}$/.test(v), 'ZGW_RSIN must be nine digits')
    .refine(isElfproef, 'ZGW_RSIN is not a valid RSIN (it fails the 11-proof)'),
  ZGW_INFORMATIEOBJECTTYPE: required('ZGW_INFORMATIEOBJECTTYPE', 'the URL of the informatieobjecttype in the Catalogi API').refine(
    (v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol),
    'ZGW_INFORMATIEOBJECTTYPE must be an http(s) URL (an informatieobjecttype in the Catalogi API)',
  ),
  ZGW_BESLUITEN_URL: httpUrl('ZGW_BESLUITEN_URL').optional(),
  ZGW_BESLUITTYPE: httpUrl('ZGW_BESLUITTYPE').optional(),
  ZGW_TIMEOUT_MS: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === undefined || v === '' ? String(DEFAULT_ZGW_TIMEOUT_MS) : v))
    .refine((v) => /^[0-9]+$/.test(v) && Number(v) >= 100 && Number(v) <= 600_000, 'ZGW_TIMEOUT_MS must be a number of milliseconds between 100 and 600000')
    .transform(Number),
  ZGW_CHUNK_THRESHOLD_BYTES: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === undefined || v === '' ? String(DEFAULT_ZGW_CHUNK_THRESHOLD_BYTES) : v))
    .refine(
      (v) => /^[0-9]+$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_ZGW_CHUNK_THRESHOLD_BYTES,
      `ZGW_CHUNK_THRESHOLD_BYTES must be a number of bytes between 1 and ${MAX_ZGW_CHUNK_THRESHOLD_BYTES}`,
    )
    .transform(Number),
});

export function readZgwConfig(env: Record<string, string | undefined>): ZgwConfigResult {
  // Empty strings count as missing, like everywhere else in the environment.
  const cleaned = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, env[k]?.trim() ? env[k] : undefined]));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const messages = parsed.error.issues.map((i) => i.message);
    return { ok: false, error: `DMS_ADAPTER=zgw: ${messages.join('; ')}` };
  }
  const v = parsed.data;
  if (v.ZGW_BESLUITTYPE !== undefined && !v.ZGW_BESLUITTYPE.startsWith(`${v.ZGW_CATALOGI_URL}/`)) {
    return { ok: false, error: 'DMS_ADAPTER=zgw: ZGW_BESLUITTYPE must be a URL under ZGW_CATALOGI_URL' };
  }
  if (v.ZGW_BESLUITTYPE !== undefined && v.ZGW_BESLUITEN_URL === undefined) {
    return { ok: false, error: 'DMS_ADAPTER=zgw: ZGW_BESLUITTYPE needs ZGW_BESLUITEN_URL (the Besluiten API the besluit is registered in)' };
  }
  if (!v.ZGW_INFORMATIEOBJECTTYPE.startsWith(`${v.ZGW_CATALOGI_URL}/`)) {
    return { ok: false, error: 'DMS_ADAPTER=zgw: ZGW_INFORMATIEOBJECTTYPE must be a URL under ZGW_CATALOGI_URL' };
  }
  return {
    ok: true,
    config: {
      documentenUrl: v.ZGW_DOCUMENTEN_URL,
      zakenUrl: v.ZGW_ZAKEN_URL,
      catalogiUrl: v.ZGW_CATALOGI_URL,
      clientId: v.ZGW_CLIENT_ID,
      secret: v.ZGW_SECRET,
      rsin: v.ZGW_RSIN,
      informatieobjecttype: v.ZGW_INFORMATIEOBJECTTYPE,
      timeoutMs: v.ZGW_TIMEOUT_MS,
      chunkThresholdBytes: v.ZGW_CHUNK_THRESHOLD_BYTES,
      ...(v.ZGW_BESLUITEN_URL === undefined ? {} : { besluitenUrl: v.ZGW_BESLUITEN_URL }),
      ...(v.ZGW_BESLUITTYPE === undefined ? {} : { besluittype: v.ZGW_BESLUITTYPE }),
    },
  };
}
