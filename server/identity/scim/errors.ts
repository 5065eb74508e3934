// RFC 7644 §3.12 error answers (C8): every refusal at /scim/v2 has the Error schema, the HTTP
// status as a string and, where the RFC names one, a `scimType`, so the IdP's provisioning log
// says what was wrong. `detail` is English: operators read it in the IdP's logs, not citizens.
import { SCIM_SCHEMA, type ScimErrorBody, type ScimType } from '../../../shared/protocol/scim';

export interface ScimProblem {
  status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 500 | 501;
  scimType?: ScimType;
  detail: string;
}

export type ScimResult<T> = { ok: true; value: T } | { ok: false; problem: ScimProblem };

export const ok = <T>(value: T): ScimResult<T> => ({ ok: true, value });

export const fail = (status: ScimProblem['status'], detail: string, scimType?: ScimType): { ok: false; problem: ScimProblem } => ({
  ok: false,
  problem: { status, detail, ...(scimType === undefined ? {} : { scimType }) },
});

export function scimErrorBody(problem: ScimProblem): ScimErrorBody {
  return {
    schemas: [SCIM_SCHEMA.error],
    status: String(problem.status),
    ...(problem.scimType === undefined ? {} : { scimType: problem.scimType }),
    detail: problem.detail,
  };
}
