/**
 * `npm run bench`: throughput, overhead and memory of the node inside n8n's engine against the
 * sandbox (see BENCHMARKS.md). `--quick` runs a subset in under a minute; `--json` prints one
 * JSON object instead of the tables. Not part of the tests: it measures, it fails nothing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Before n8n-core loads: its config goes to a temporary folder, its logger stays quiet, and a
// proxy from the environment must not capture loopback traffic.
process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(tmpdir(), 'npl-bench-n8n-'));
process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.NO_PROXY = [process.env.NO_PROXY, 'localhost,127.0.0.1,::1'].filter(Boolean).join(',');

import('./bench')
	.then(async ({ main }) => await main(process.argv.slice(2)))
	.catch((error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	});
