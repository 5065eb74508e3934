// SCIM 2.0 bodies (RFC 7643/7644) as this server reads and writes them at /scim/v2 (C1–C9). The
// IdP's provisioning client (Entra ID, Keycloak …) is the only sender; the schemas are lenient
// where Entra is known to differ from the RFC (string booleans, capitalised op names) and let
// attributes we do not keep pass, so an IdP mapping with extra attributes still provisions.
import { z } from 'zod';

export const SCIM_SCHEMA = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

export const SCIM_CONTENT_TYPE = 'application/scim+json';

/** RFC 7644 §3.12 `scimType` values this server answers with. */
export type ScimType = 'invalidFilter' | 'uniqueness' | 'invalidSyntax' | 'invalidPath' | 'invalidValue' | 'mutability' | 'noTarget' | 'tooMany';

export interface ScimErrorBody {
  schemas: [typeof SCIM_SCHEMA.error];
  /** The HTTP status, as a string (RFC 7644 §3.12). */
  status: string;
  scimType?: ScimType;
  detail: string;
}

/** Entra ID sends booleans as "True"/"False" strings in PATCH values (C3). */
export const ScimBoolean = z.union([
  z.boolean(),
  z
    .string()
    .regex(/^(true|false)$/i)
    .transform((s) => s.toLowerCase() === 'true'),
]);

const Text = (max: number) => z.string().trim().min(1).max(max);

export const ScimEmail = z.looseObject({
  value: z.string().trim().max(254),
  type: z.string().max(40).optional(),
  primary: ScimBoolean.optional(),
});

export const ScimName = z.looseObject({
  formatted: z.string().max(200).nullish(),
  givenName: z.string().max(200).nullish(),
  familyName: z.string().max(200).nullish(),
});

/** POST and PUT /Users. */
export const ScimUserInput = z.looseObject({
  schemas: z.array(z.string()).optional(),
  userName: Text(200),
  externalId: z.string().trim().min(1).max(256).nullish(),
  active: ScimBoolean.optional(),
  displayName: z.string().trim().max(200).nullish(),
  name: ScimName.nullish(),
  emails: z.array(ScimEmail).max(20).nullish(),
  title: z.string().trim().max(120).nullish(),
});
export type ScimUserInput = z.infer<typeof ScimUserInput>;

export const ScimMemberRef = z.looseObject({ value: z.string().min(1).max(256), display: z.string().optional() });

/** POST and PUT /Groups. */
export const ScimGroupInput = z.looseObject({
  schemas: z.array(z.string()).optional(),
  displayName: Text(120),
  externalId: z.string().trim().min(1).max(256).nullish(),
  members: z.array(ScimMemberRef).max(10_000).nullish(),
});
export type ScimGroupInput = z.infer<typeof ScimGroupInput>;

export const ScimPatchOperation = z.looseObject({
  // Entra writes "Replace", "Add", "Remove"; RFC 7644 lower case. Checked case-insensitively.
  op: z.string().max(20),
  path: z.string().max(500).optional(),
  value: z.unknown().optional(),
});
export type ScimPatchOperation = z.infer<typeof ScimPatchOperation>;

export const ScimPatchRequest = z.looseObject({
  schemas: z.array(z.string()).optional(),
  Operations: z.array(ScimPatchOperation).min(1).max(1000),
});

export interface ScimMeta {
  resourceType: 'User' | 'Group';
  created: string;
  lastModified: string;
  location: string;
}

export interface ScimUserBody {
  schemas: string[];
  id: string;
  externalId?: string;
  userName: string;
  displayName: string;
  name: { formatted: string };
  active: boolean;
  emails?: { value: string; type: 'work'; primary: true }[];
  title?: string;
  groups: { value: string; display: string; $ref: string }[];
  meta: ScimMeta;
}

export interface ScimGroupBody {
  schemas: string[];
  id: string;
  externalId?: string;
  displayName: string;
  members?: { value: string; display: string; $ref: string }[];
  meta: ScimMeta;
}

export interface ScimListBody<T> {
  schemas: [typeof SCIM_SCHEMA.listResponse];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: T[];
}
