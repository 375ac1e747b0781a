// The transport loads undici's Pool and `request` from their own modules (providers/scim/client/undici-pool.ts):
// they must be the very ones undici's index exports, or an undici upgrade has moved them.
import * as undici from 'undici';
import { Pool, poolRequest } from '../../providers/scim/client/undici-pool';

test('the Pool is undici\'s, and poolRequest is the request method undici gives every pool', () => {
  expect(Pool).toBe(undici.Pool);
  const pool = new undici.Pool('http://127.0.0.1:9');
  // poolRequest calls the function undici's index puts on Dispatcher.prototype as `request`.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  expect(require('undici/lib/api/api-request')).toBe(pool.request);
  void pool.close();
});
