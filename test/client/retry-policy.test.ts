// Retry timing rules: Retry-After in seconds or as an HTTP date (capped), jittered exponential backoff.
import { backoffDelay, isRetryableStatus, MAX_BACKOFF_MS, MAX_RETRY_AFTER_MS, parseRetryAfter } from '../../providers/scim/client/retry-policy';
import { eqFilter, escapeFilterValue, resourcePath } from '../../providers/scim/client/filter';

describe('Retry-After', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it.each([
    ['2', 2000],
    ['0', 0],
    [' 1.5 ', 1500],
    ['Wed, 01 Jan 2025 00:00:05 GMT', 5000],
    ['Tue, 31 Dec 2024 23:59:00 GMT', 0],
    ['100000', MAX_RETRY_AFTER_MS],
    ['soon', undefined],
    ['', undefined],
  ])('%p → %p ms', (header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms);
  });
});

describe('backoff', () => {
  it('doubles per attempt with jitter in [ceiling/2, ceiling] and caps', () => {
    expect(backoffDelay(1, 200, () => 0)).toBe(100);
    expect(backoffDelay(1, 200, () => 1)).toBe(200);
    expect(backoffDelay(3, 200, () => 1)).toBe(800);
    expect(backoffDelay(30, 200, () => 1)).toBe(MAX_BACKOFF_MS);
  });

  it('retries throttling and server errors but not client errors or 501', () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 404, 409, 501].some(isRetryableStatus)).toBe(false);
  });
});

describe('filters and paths', () => {
  it('escapes quotes, backslashes and control characters in filter values (as JSON strings)', () => {
    expect(escapeFilterValue('a"b\\c')).toBe('a\\"b\\\\c');
    expect(escapeFilterValue('tab\there\nnew\u0001\u007f')).toBe('tab\\there\\nnew\\u0001\\u007f');
    expect(eqFilter('userName', 'o"brien@x.com')).toBe('userName eq "o\\"brien@x.com"');
  });

  it('percent-encodes ids in paths', () => {
    expect(resourcePath('/Users', 'a/b c?d')).toBe('/Users/a%2Fb%20c%3Fd');
  });
});
