// Unusable client options fail at construction with SCIM_INVALID_CONFIG naming the option's value.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getProfile, ScimClient, type ScimClientOptions } from '../../providers/scim/client';

const make = (extra: Partial<ScimClientOptions>) => new ScimClient({ endpoint: 'http://127.0.0.1:9/scim/v2', auth: { kind: 'bearer', token: 'secret-token-value' }, profile: getProfile('generic'), ...extra });

test.each([
  [{ endpoint: 'not a url' }, /endpoint "not a url" is not a valid URL/],
  [{ endpoint: 'ftp://host/scim' }, /must use http or https/],
  [{ caFile: '/nonexistent/ca.pem' }, /cannot read CA file \/nonexistent\/ca\.pem/],
])('%p is refused', (extra, message) => {
  expect(() => make(extra)).toThrow(expect.objectContaining({ code: 'SCIM_INVALID_CONFIG', message: expect.stringMatching(message) }));
});

test('a log file that cannot be opened is named', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-client-opts-'));
  try {
    const file = path.join(dir, 'a-directory');
    fs.mkdirSync(file);
    expect(() => make({ provisioningLogFile: file })).toThrow(expect.objectContaining({ code: 'SCIM_INVALID_CONFIG', message: expect.stringContaining(`provisioning log file ${file}`) }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
