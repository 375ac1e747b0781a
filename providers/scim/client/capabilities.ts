// ServiceProviderConfig (RFC 7643 §5) parsed leniently into the capabilities the client acts on; an
// absent document yields defaults with discovered=false.
import { isRecord, looseBoolean, looseNumber, pickCaseInsensitive as pick } from './model';

export interface ServiceProviderCapabilities {
  patch: boolean;
  bulk: { supported: boolean; maxOperations?: number };
  filter: { supported: boolean; maxResults?: number };
  changePassword: boolean;
  sort: boolean;
  etag: boolean;
  authenticationSchemes: { type: string; name?: string; description?: string }[];
  /** false when /ServiceProviderConfig is absent or refused. */
  discovered: boolean;
}

const supported = (doc: Record<string, unknown>, key: string): { supported: boolean; block: Record<string, unknown> } => {
  const block = pick(doc, key);
  const b = isRecord(block) ? block : {};
  return { supported: looseBoolean(pick(b, 'supported')) === true, block: b };
};

/** Defaults used when the server publishes no ServiceProviderConfig: PATCH assumed (most servers have it). */
export function undiscoveredCapabilities(patch: boolean): ServiceProviderCapabilities {
  return {
    patch,
    bulk: { supported: false },
    filter: { supported: true },
    changePassword: false,
    sort: false,
    etag: false,
    authenticationSchemes: [],
    discovered: false,
  };
}

export function parseServiceProviderConfig(body: unknown): ServiceProviderCapabilities {
  const doc = isRecord(body) ? body : {};
  const bulk = supported(doc, 'bulk');
  const filter = supported(doc, 'filter');
  const schemes = pick(doc, 'authenticationSchemes');
  const caps: ServiceProviderCapabilities = {
    patch: supported(doc, 'patch').supported,
    bulk: { supported: bulk.supported },
    filter: { supported: filter.supported },
    changePassword: supported(doc, 'changePassword').supported,
    sort: supported(doc, 'sort').supported,
    etag: supported(doc, 'etag').supported,
    authenticationSchemes: (Array.isArray(schemes) ? schemes : []).filter(isRecord).map((s) => {
      const out: { type: string; name?: string; description?: string } = { type: String(pick(s, 'type') ?? '') };
      const name = pick(s, 'name');
      if (typeof name === 'string') out.name = name;
      const description = pick(s, 'description');
      if (typeof description === 'string') out.description = description;
      return out;
    }),
    discovered: true,
  };
  const maxOperations = looseNumber(pick(bulk.block, 'maxOperations'));
  if (maxOperations !== undefined) caps.bulk.maxOperations = maxOperations;
  const maxResults = looseNumber(pick(filter.block, 'maxResults'));
  if (maxResults !== undefined) caps.filter.maxResults = maxResults;
  return caps;
}
