/**
 * The sandbox as the end-to-end test and `npm run n8n` use it: the repo's sandbox (startSandbox)
 * on a free loopback port, one account, the admin view on, ordinary numbers all answering
 * errorcode 0 (errorShare 0, so the CRM example's expected outputs follow from the sandbox's
 * documented test numbers alone). Writes what it listens on to --info as JSON, then runs until
 * SIGTERM / SIGINT.
 *
 *   node --import tsx e2e/sandbox.ts --info <file> [--port 0] [--user e2e] [--password …]
 *     [--credit 600] [--latency-ms 20] [--max-connections 5] [--account user:password:credit ...]
 *
 * --account adds accounts beside --user (the queue-mode cluster test gives each scenario its own,
 * so the sandbox's per-account counts and the cross-process budget's keys stay apart).
 */
import { writeFileSync, renameSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { startSandbox } from '../sandbox';

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			info: { type: 'string' },
			port: { type: 'string', default: '0' },
			user: { type: 'string', default: 'e2e' },
			password: { type: 'string', default: 'e2e-sandbox-password' },
			credit: { type: 'string', default: '600' },
			'latency-ms': { type: 'string', default: '20' },
			'max-connections': { type: 'string', default: '5' },
			account: { type: 'string', multiple: true, default: [] },
		},
	});
	if (!values.info) throw new Error('--info <file> is required');
	const user = values.user ?? 'e2e';
	const password = values.password ?? '';
	const credit = Number(values.credit);
	const extraAccounts = (values.account ?? []).map((spec) => {
		const match = /^([^:]+):(.*):([^:]+)$/.exec(spec);
		if (!match) throw new Error(`--account "${spec}" is not user:password:credit`);
		return { user: match[1], pass: match[2], credit: Number(match[3]) };
	});

	const sandbox = await startSandbox({
		port: Number(values.port),
		host: '127.0.0.1',
		admin: true,
		accounts: [{ user, pass: password, credit }, ...extraAccounts],
		maxConnections: Number(values['max-connections']),
		errorShare: 0,
		latency: { baseMs: Number(values['latency-ms']), perNumberMs: 0, jitterMs: 0 },
		log: (line) => console.log(line),
	});
	const info = {
		url: sandbox.url,
		origin: sandbox.origin,
		adminUrl: `${sandbox.origin}/__admin`,
		port: sandbox.port,
		user,
		password,
		credit,
	};
	// Written whole, then renamed: whoever polls for the file never reads half of it.
	writeFileSync(`${values.info}.tmp`, JSON.stringify(info, null, 2));
	renameSync(`${values.info}.tmp`, values.info);
	console.log(
		`sandbox listening on ${sandbox.url} (admin ${info.adminUrl}), account ${user}, ${credit} credits`,
	);

	const stop = () => {
		void sandbox.close().then(() => process.exit(0));
	};
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
