import { startSandbox } from './index';
(async () => { const sb = await startSandbox({ port: 0, dataDir: '/tmp/sbx/prof-data', quiet: true }); require('fs').writeFileSync('/tmp/sbx/prof-url', JSON.stringify({url: sb.tenants.generic.baseUrl, token: sb.credentials.generic.token})); process.on('SIGINT', async () => { await sb.close(); process.exit(0); }); })();
