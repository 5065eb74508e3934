// What /scim/v2 answers with (C2, C7, C8): users and groups in RFC 7643 form, list responses, and
// the discovery documents (ServiceProviderConfig, ResourceTypes, Schemas) that tell an IdP
// which features exist: PATCH yes, bulk, sort, ETags and password change no, filter `eq` only.
import {
  SCIM_SCHEMA,
  type ScimGroupBody,
  type ScimListBody,
  type ScimUserBody,
} from '../../../shared/protocol/scim';
import type { ScimGroup, ScimUser } from '../../store/types';

/** Most resources one list answer holds; an IdP pages with startIndex and count. */
export const MAX_PAGE = 200;

export function userBody(base: string, { user, link }: ScimUser, groups: readonly { id: string; name: string }[]): ScimUserBody {
  return {
    schemas: [SCIM_SCHEMA.user],
    id: user.id,
    ...(link.externalId === null ? {} : { externalId: link.externalId }),
    userName: user.username,
    displayName: user.name,
    name: { formatted: user.name },
    active: !user.disabled,
    ...(user.email ? { emails: [{ value: user.email, type: 'work' as const, primary: true as const }] } : {}),
    ...(user.functionTitle ? { title: user.functionTitle } : {}),
    groups: groups.map((g) => ({ value: g.id, display: g.name, $ref: `${base}/Groups/${g.id}` })),
    meta: {
      resourceType: 'User',
      created: new Date(link.createdAt).toISOString(),
      lastModified: new Date(link.updatedAt).toISOString(),
      location: `${base}/Users/${user.id}`,
    },
  };
}

export function groupBody(base: string, { team, link, members }: ScimGroup, names: ReadonlyMap<string, string>, withMembers: boolean): ScimGroupBody {
  return {
    schemas: [SCIM_SCHEMA.group],
    id: team.id,
    ...(link.externalId === null ? {} : { externalId: link.externalId }),
    displayName: team.name,
    ...(withMembers ? { members: members.map((id) => ({ value: id, display: names.get(id) ?? id, $ref: `${base}/Users/${id}` })) } : {}),
    meta: {
      resourceType: 'Group',
      created: new Date(link.createdAt).toISOString(),
      lastModified: new Date(link.updatedAt).toISOString(),
      location: `${base}/Groups/${team.id}`,
    },
  };
}

export function listBody<T>(all: readonly T[], startIndex: number, count: number): ScimListBody<T> {
  const page = all.slice(startIndex - 1, startIndex - 1 + count);
  return { schemas: [SCIM_SCHEMA.listResponse], totalResults: all.length, startIndex, itemsPerPage: page.length, Resources: page };
}

export function serviceProviderConfig(base: string): Record<string, unknown> {
  return {
    schemas: [SCIM_SCHEMA.serviceProviderConfig],
    documentationUri: 'https://datatracker.ietf.org/doc/html/rfc7644',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      { type: 'oauthbearertoken', name: 'Bearer token', description: 'Authorization: Bearer <SCIM_TOKEN>', primary: true },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}

export function resourceTypes(base: string): Record<string, unknown>[] {
  return [
    {
      schemas: [SCIM_SCHEMA.resourceType],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      schema: SCIM_SCHEMA.user,
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
    },
    {
      schemas: [SCIM_SCHEMA.resourceType],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      schema: SCIM_SCHEMA.group,
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` },
    },
  ];
}

const attribute = (name: string, type: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name,
  type,
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...extra,
});

/** The attributes this server keeps; everything else an IdP sends is accepted and ignored (C3). */
export function schemas(base: string): Record<string, unknown>[] {
  return [
    {
      schemas: [SCIM_SCHEMA.schema],
      id: SCIM_SCHEMA.user,
      name: 'User',
      attributes: [
        attribute('userName', 'string', { required: true, uniqueness: 'server' }),
        attribute('externalId', 'string', { caseExact: true }),
        attribute('displayName', 'string'),
        attribute('name', 'complex', { subAttributes: [attribute('formatted', 'string'), attribute('givenName', 'string'), attribute('familyName', 'string')] }),
        attribute('active', 'boolean'),
        attribute('title', 'string'),
        attribute('emails', 'complex', { multiValued: true, subAttributes: [attribute('value', 'string'), attribute('type', 'string'), attribute('primary', 'boolean')] }),
        attribute('groups', 'complex', { multiValued: true, mutability: 'readOnly' }),
      ],
      meta: { resourceType: 'Schema', location: `${base}/Schemas/${SCIM_SCHEMA.user}` },
    },
    {
      schemas: [SCIM_SCHEMA.schema],
      id: SCIM_SCHEMA.group,
      name: 'Group',
      attributes: [
        attribute('displayName', 'string', { required: true, uniqueness: 'server' }),
        attribute('externalId', 'string', { caseExact: true }),
        attribute('members', 'complex', { multiValued: true, subAttributes: [attribute('value', 'string'), attribute('display', 'string')] }),
      ],
      meta: { resourceType: 'Schema', location: `${base}/Schemas/${SCIM_SCHEMA.group}` },
    },
  ];
}
