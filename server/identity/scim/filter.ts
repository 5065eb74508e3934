// The SCIM filters an IdP sends to find a resource before it creates one (C7): `<attr> eq "<v>"`
// on one attribute. Anything richer is refused with `invalidFilter` rather than half-understood:
// a filter read wrongly would make Entra create a duplicate or update the wrong account.
import { fail, ok, type ScimResult } from './errors';

export interface EqFilter {
  /** The attribute as allowed by the caller, in its canonical spelling. */
  attribute: string;
  value: string;
}

// "…" with \" and \\ escapes (RFC 7644 §3.4.2.2 uses JSON string syntax).
const EQ = /^\s*([A-Za-z][\w.:-]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i;

/** Parses `attr eq "value"`; `allowed` lists the attributes (any case) that may be filtered on. */
export function parseEqFilter(filter: string, allowed: readonly string[]): ScimResult<EqFilter> {
  if (filter.length > 1000) return fail(400, 'filter too long', 'invalidFilter');
  const match = EQ.exec(filter);
  if (!match) return fail(400, 'only filters of the form <attribute> eq "<value>" are supported', 'invalidFilter');
  const [, rawAttribute = '', rawValue = ''] = match;
  const attribute = allowed.find((a) => a.toLowerCase() === stripCoreUrn(rawAttribute).toLowerCase());
  if (attribute === undefined) return fail(400, `filtering on ${rawAttribute} is not supported (only ${allowed.join(', ')})`, 'invalidFilter');
  let value: string;
  try {
    value = JSON.parse(`"${rawValue}"`) as string;
  } catch {
    return fail(400, 'the filter value is not a valid string', 'invalidFilter');
  }
  return ok({ attribute, value });
}

/** `urn:ietf:params:scim:schemas:core:2.0:User:userName` → `userName`. */
export function stripCoreUrn(path: string): string {
  return path.replace(/^urn:ietf:params:scim:schemas:core:2\.0:(User|Group):/i, '');
}
