// The transport loads undici's Pool and `request` from their own modules (providers/scim/client/undici-pool.ts):
// they must be the very ones undici's index exports, or an undici upgrade has moved them.
import * as undici from 'undici';
import { createPool } from '../../providers/scim/client/undici-pool';

test("createPool makes undici's Pool, and the request module is the request method undici gives every pool", async () => {
  const pool = createPool('http://127.0.0.1:9', { connections: 1 });
  expect(pool).toBeInstanceOf(undici.Pool);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  expect(require('undici/lib/api/api-request')).toBe(pool.request);
  await pool.close();
});
