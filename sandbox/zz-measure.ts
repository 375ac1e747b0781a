import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Agent, request } from 'undici';
import { startSandbox } from './index';
(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sbx-measure-'));
  const sb = await startSandbox({ port: 0, dataDir, quiet: true });
  const agent = new Agent({ connections: 1, pipelining: 1 });
  const base = sb.tenants.generic.baseUrl;
  const h = { authorization: `Bearer ${sb.credentials.generic.token}`, 'content-type': 'application/scim+json' };
  const ids: string[] = [];
  let t = performance.now();
  for (let i = 0; i < 10000; i++) {
    const res = await request(`${base}/Users`, { method: 'POST', dispatcher: agent, headers: h, body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `user${i}@example.com`, externalId: `ext-${i}`, name: { givenName: `G${i}`, familyName: 'F' }, displayName: `User ${i}`, active: true, emails: [{ value: `user${i}@example.com`, type: 'work', primary: true }] }) });
    const body = await res.body.json() as any; if (res.statusCode !== 201) throw new Error(JSON.stringify(body)); ids.push(body.id);
  }
  let dt = performance.now() - t; console.log(`POST 10000 users sequential: ${(dt/1000).toFixed(2)} s = ${(10000/(dt/1000)).toFixed(0)} req/s`);
  t = performance.now();
  for (let g = 0; g < 200; g++) {
    const res = await request(`${base}/Groups`, { method: 'POST', dispatcher: agent, headers: h, body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `Group ${g}` }) });
    const gid = ((await res.body.json()) as any).id;
    const members = Array.from({ length: 50 }, (_, k) => ({ value: ids[(g * 50 + k) % 10000] }));
    const p = await request(`${base}/Groups/${gid}`, { method: 'PATCH', dispatcher: agent, headers: h, body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'members', value: members }] }) });
    await p.body.text(); if (p.statusCode !== 200) throw new Error('patch ' + p.statusCode);
  }
  dt = performance.now() - t; console.log(`200 groups x 50 members (POST+PATCH): ${(dt).toFixed(0)} ms`);
  for (let round = 0; round < 2; round++) {
    t = performance.now(); let n = 0;
    for (let s = 1; s <= 10000; s += 1000) { const r = await request(`${base}/Users?startIndex=${s}&count=1000`, { dispatcher: agent, headers: h }); const b = await r.body.json() as any; n += b.Resources.length; }
    dt = performance.now() - t; console.log(`list 10000 users in 10 pages (round ${round}): ${dt.toFixed(0)} ms (${n})`);
  }
  t = performance.now();
  for (let i = 0; i < 2000; i++) { const r = await request(`${base}/Users/${ids[(i * 7) % 10000]}`, { dispatcher: agent, headers: h }); await r.body.text(); }
  dt = performance.now() - t; console.log(`GET by id x2000: ${(2000/(dt/1000)).toFixed(0)} req/s`);
  t = performance.now();
  for (let i = 0; i < 1000; i++) { const r = await request(`${base}/Users?filter=${encodeURIComponent(`userName eq "USER${i*9}@example.com"`)}`, { dispatcher: agent, headers: h }); const b = await r.body.json() as any; if (b.totalResults !== 1) throw new Error('filter'); }
  dt = performance.now() - t; console.log(`filter userName eq x1000: ${(1000/(dt/1000)).toFixed(0)} req/s`);
  t = performance.now();
  { const r = await request(`${base}/Users?filter=${encodeURIComponent('displayName co "User 99"')}&count=1000`, { dispatcher: agent, headers: h }); const b = await r.body.json() as any; console.log('co filter full scan', b.totalResults, (performance.now()-t).toFixed(0), 'ms'); }
  t = performance.now();
  for (let s = 1; s <= 200; s += 100) { const r = await request(`${base}/Groups?startIndex=${s}&count=100`, { dispatcher: agent, headers: h }); await r.body.json(); }
  console.log('list 200 groups with members', (performance.now()-t).toFixed(0), 'ms');
  t = performance.now();
  { const r = await request(`${base}/Users?attributes=userName&count=1000`, { dispatcher: agent, headers: h }); await r.body.json(); console.log('1000 users with attributes=userName', (performance.now()-t).toFixed(0), 'ms'); }
  t = performance.now(); await agent.close(); await sb.close(); console.log('close (flush)', (performance.now()-t).toFixed(0), 'ms', 'store size', fs.statSync(path.join(dataDir,'store.json')).size);
  t = performance.now(); const sb2 = await startSandbox({ port: 0, dataDir, quiet: true }); console.log('restart load', (performance.now()-t).toFixed(0), 'ms'); await sb2.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
})();
