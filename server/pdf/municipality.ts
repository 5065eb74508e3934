// The municipality's contact details for the letterhead (P6), read from the environment once at
// start: MUNICIPALITY_ADDRESS, MUNICIPALITY_POSTAL_ADDRESS, MUNICIPALITY_PHONE and
// MUNICIPALITY_WEBSITE. A malformed value stops the start with a message naming the setting,
// as MUNICIPALITY_LOGO does, instead of printing a wrong address on every letter.
import type { MunicipalityContact } from '../../shared/protocol/municipality';

export type ContactResult = { ok: true; contact: MunicipalityContact } | { ok: false; error: string };

/** A Dutch postcode and place: "1234 AB Voorbeeld". */
const POSTCODE_LINE = /^[1-9]\d{3} ?[A-Z]{2}\s+\S/;
const MAX_LINE = 120;

/** "Raadhuisplein 1, 1234 AB Voorbeeld" → two lines; the last one must be postcode and place. */
function addressLines(setting: string, value: string): { ok: true; lines: string[] } | { ok: false; error: string } {
  const lines = value
    .split(/\s*[,;\n]\s*/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const last = lines.at(-1) ?? '';
  if (lines.length < 2 || lines.length > 4 || !POSTCODE_LINE.test(last) || lines.some((l) => l.length > MAX_LINE)) {
    return {
      ok: false,
      error: `${setting} must be 2–4 lines separated by commas, the last one postcode and place (e.g. "Raadhuisplein 1, 1234 AB Voorbeeld"), got "${value}"`,
    };
  }
  return { ok: true, lines: lines.map((l) => l.replace(/^([1-9]\d{3}) ?([A-Z]{2})\s+/, '$1 $2 ')) };
}

/** Reads the four settings; absent ones are left out, a malformed one is an error naming it. */
export function readMunicipalityContact(env: Record<string, string | undefined>): ContactResult {
  const contact: MunicipalityContact = {};
  const address = env.MUNICIPALITY_ADDRESS?.trim();
  if (address) {
    const lines = addressLines('MUNICIPALITY_ADDRESS', address);
    if (!lines.ok) return lines;
    contact.address = lines.lines;
  }
  const postal = env.MUNICIPALITY_POSTAL_ADDRESS?.trim();
  if (postal) {
    const lines = addressLines('MUNICIPALITY_POSTAL_ADDRESS', postal);
    if (!lines.ok) return lines;
    contact.postalAddress = lines.lines;
  }
  const phone = env.MUNICIPALITY_PHONE?.trim();
  if (phone) {
    const digits = phone.replace(/\D/g, '').length;
    if (!/^\+?[0-9][0-9 ()-]*$/.test(phone) || digits < 3 || digits > 15) {
      return { ok: false, error: `MUNICIPALITY_PHONE must be a telephone number (digits, spaces, +, -, parentheses; e.g. "14 0123" or "+31 20 123 4567"), got "${phone}"` };
    }
    contact.phone = phone;
  }
  const website = env.MUNICIPALITY_WEBSITE?.trim();
  if (website) {
    const shown = printedWebsite(website);
    if (shown === null) return { ok: false, error: `MUNICIPALITY_WEBSITE must be a web address such as "www.voorbeeld.nl", got "${website}"` };
    contact.website = shown;
  }
  return { ok: true, contact };
}

/** "https://www.voorbeeld.nl/" → "www.voorbeeld.nl"; null when it is not an http(s) address with a dot in its host. */
function printedWebsite(value: string): string | null {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`);
  } catch {
    return null;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname.includes('.') || url.username !== '' || url.search !== '') return null;
  const shown = `${url.hostname}${url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '')}`;
  return shown.length > MAX_LINE ? null : shown;
}
