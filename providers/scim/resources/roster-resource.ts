// The `scim_roster` resource: wiring of plan, read, apply and import (roster-*.ts files own each decision).
import type { ResourceType } from '../plugin/provider-definition';
import type { ScimProviderData } from '../provider-config';
import { rosterSchema } from './roster-schema';

export const rosterResource: ResourceType<ScimProviderData> = {
  name: 'scim_roster',
  schema: rosterSchema,
  plan: async (req) => ({ planned: req.proposed }),
  create: async (req) => ({ state: req.planned }),
  read: async (req) => ({ state: req.state }),
  update: async (req) => ({ state: req.planned }),
  delete: async () => ({}),
  import: async () => ({ state: { id: 'roster', entries: {}, accounts: {}, on_destroy: null, adopt_existing: null } }),
};
