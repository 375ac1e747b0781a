// The computed `meta` attribute shared by groups and the data sources: its schema and its value from SCIM meta.
import type { AttributeSchema, ObjectValue } from '../plugin/provider-definition';
import type { ScimMeta } from '../client';

const str = (description: string): AttributeSchema => ({ type: 'string', computed: true, description });

export function metaSchema(what: string): AttributeSchema {
  return {
    computed: true,
    description: `SCIM metadata of the ${what}, as reported by the server.`,
    nested: {
      nesting: 'single',
      attributes: {
        resource_type: str('SCIM resource type (`User` or `Group`).'),
        created: str('When the server created the resource (RFC 3339 timestamp).'),
        last_modified: str('When the server last changed the resource (RFC 3339 timestamp).'),
        version: str('The server\'s version (ETag) of the resource, when it reports one.'),
        location: str('Canonical URL of the resource on the server.'),
      },
    },
  };
}

export function metaValue(meta: ScimMeta | undefined): ObjectValue {
  return {
    resource_type: meta?.resourceType ?? null,
    created: meta?.created ?? null,
    last_modified: meta?.lastModified ?? null,
    version: meta?.version ?? null,
    location: meta?.location ?? null,
  };
}
