// GET /api/municipality: what the letterhead prints about the municipality besides its logo (P6):
// visiting address, postal address when it differs, telephone and website. The server reads it
// from its settings at start (server/pdf/municipality.ts); the device keeps a copy for offline
// previews. zod/mini: the preview's chunk validates what it fetched or cached.
import { z } from 'zod/mini';

const line = z.string().check(z.minLength(1), z.maxLength(120));

export const MunicipalityContact = z.object({
  /** Visiting address, one entry per printed line ("Raadhuisplein 1", "1234 AB Voorbeeld"). */
  address: z.optional(z.array(line).check(z.maxLength(4))),
  /** Postal address when it differs from the visiting address ("Postbus 100", …). */
  postalAddress: z.optional(z.array(line).check(z.maxLength(4))),
  phone: z.optional(line),
  /** As printed, without the scheme: "www.voorbeeld.nl". */
  website: z.optional(line),
});
export type MunicipalityContact = z.infer<typeof MunicipalityContact>;

export const MunicipalityInfo = z.object({
  name: line,
  contact: MunicipalityContact,
});
export type MunicipalityInfo = z.infer<typeof MunicipalityInfo>;

export const MUNICIPALITY_INFO_PATH = '/api/municipality';
