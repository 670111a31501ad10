const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// n8n-core writes its config under N8N_USER_FOLDER; keep tests out of the user's home.
if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'npl-n8n-'));
}
// Tests talk to loopback only; a proxy from the environment must not capture them.
process.env.NO_PROXY = [process.env.NO_PROXY, 'localhost,127.0.0.1,::1'].filter(Boolean).join(',');
// n8n's logger prints node errors to the console; the tests assert them instead.
process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL ?? 'silent';
