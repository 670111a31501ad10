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

const USAGE = `npm run bench [-- --quick] [-- --json]

  (no flag)  the full benchmark, about 15 minutes: throughput for N = 10,000 and 100,000,
             C = 1 and 5, B = 10 and 100, L = 50 and 500 ms against the bound C·B/L; one number
             per request; CPU per 1,000 numbers against n8n's floor; peak RSS at 100,000 numbers;
             credits against unique valid numbers. Writes bench/throughput.svg.
  --quick    a subset in under a minute (N = 10,000, C = 5); writes bench/out/throughput-quick.svg
  --json     one JSON object on stdout instead of the tables (use npm run -s, or npx tsx
             bench/run.ts --json, so npm's banner stays out of it); progress goes to stderr

Results are also written to bench/out/results-<full|quick>.json. See BENCHMARKS.md.`;

const known = new Set(['--quick', '--json', '--help', '-h']);
const unknown = process.argv.slice(2).filter((arg) => !known.has(arg));
if (unknown.length > 0 || process.argv.includes('--help') || process.argv.includes('-h')) {
	if (unknown.length > 0) console.error(`unknown option: ${unknown.join(' ')}\n`);
	console.log(USAGE);
	process.exit(unknown.length > 0 ? 2 : 0);
}

import('./bench')
	.then(async ({ main }) => await main(process.argv.slice(2)))
	.catch((error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	});
