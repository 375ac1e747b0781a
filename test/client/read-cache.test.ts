// The read cache's bookkeeping: one shared listing for concurrent first readers, writes win over the
// listing, invalidated entries are re-read, a refused listing switches the cache off.
import { ScimClientError } from '../../providers/scim/client';
import { ReadCache } from '../../providers/scim/client/read-cache';

type Item = { id?: string; name: string };
const keys = (i: Item) => [`name:${i.name.toLowerCase()}`];

describe('ReadCache', () => {
  it('lets concurrent first readers share one listing', async () => {
    let loads = 0;
    let release!: (items: Item[]) => void;
    const cache = new ReadCache<Item>(() => {
      loads++;
      return new Promise((r) => (release = r));
    }, keys);
    const waiting = Promise.all([cache.ensure(), cache.ensure(), cache.ensure()]);
    release([{ id: '1', name: 'Ann' }]);
    expect(await waiting).toEqual([true, true, true]);
    expect(loads).toBe(1);
    expect(cache.get('1')).toEqual({ hit: true, value: { id: '1', name: 'Ann' } });
    expect(cache.get('404')).toEqual({ hit: true, value: undefined });
    expect(cache.findByKey('name:ann')).toEqual({ hit: true, value: { id: '1', name: 'Ann' } });
  });

  it('keeps writes made while the listing was in flight', async () => {
    let release!: (items: Item[]) => void;
    const cache = new ReadCache<Item>(() => new Promise((r) => (release = r)), keys);
    const ready = cache.ensure();
    cache.put({ id: '1', name: 'New' });
    release([{ id: '1', name: 'Old' }]);
    await ready;
    expect(cache.get('1')).toEqual({ hit: true, value: { id: '1', name: 'New' } });
    expect(cache.findByKey('name:old')).toEqual({ hit: true, value: undefined });
  });

  it('sends invalidated entries back to the server until re-read', async () => {
    const cache = new ReadCache<Item>(async () => [{ id: '1', name: 'A' }], keys);
    await cache.ensure();
    cache.invalidate('1');
    expect(cache.get('1')).toEqual({ hit: false });
    expect(cache.findByKey('name:a')).toEqual({ hit: false });
    cache.put({ id: '1', name: 'A2' });
    expect(cache.get('1').hit).toBe(true);
    cache.remove('1');
    expect(cache.get('1')).toEqual({ hit: true, value: undefined });
  });

  it('switches itself off when the listing is refused, but rethrows credential errors', async () => {
    const refused = new ReadCache<Item>(async () => {
      throw new ScimClientError('SCIM_UNSUPPORTED', 'GET /Users failed: 501');
    }, keys);
    expect(await refused.ensure()).toBe(false);
    expect(refused.get('1')).toEqual({ hit: false });

    const unauthorized = new ReadCache<Item>(async () => {
      throw new ScimClientError('SCIM_UNAUTHORIZED', 'GET /Users failed: 401');
    }, keys);
    await expect(unauthorized.ensure()).rejects.toMatchObject({ code: 'SCIM_UNAUTHORIZED' });
  });

  it('finds by several keys: the first entry found, "absent" only when every key was answered', async () => {
    type Acc = { id?: string; name: string; ext?: string };
    const accKeys = (a: Acc) => [`name:${a.name}`, ...(a.ext ? [`ext:${a.ext}`] : [])];
    const cache = new ReadCache<Acc>(async () => [{ id: '1', name: 'ann', ext: 'E1' }], accKeys);
    await cache.ensure();
    expect(cache.findByKeys([undefined, 'name:nobody', 'ext:E1'])).toEqual({ hit: true, value: { id: '1', name: 'ann', ext: 'E1' } });
    expect(cache.findByKeys(['name:nobody', 'ext:E9'])).toEqual({ hit: true, value: undefined });
    cache.invalidate('1');
    // An entry whose cached value is unknown answers nothing: the caller asks the server.
    expect(cache.findByKeys(['name:nobody', 'ext:E1'])).toEqual({ hit: false });
  });
});
