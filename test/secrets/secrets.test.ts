/**
 * Issue 6, secrets: the password must appear in no output item, error message or description,
 * n8n run data, log line (n8n's own logger at debug level, console, stdout/stderr), sandbox
 * request URL or sandbox log line, whatever fails. It legitimately travels only in request bodies.
 * The fault, load and fuzz suites watch the same things with the same password (test/faults/
 * support.ts, SecretWatch); this suite adds n8n's real logger at debug level, services that echo
 * the request (a proxy's error page, a debug dump), Get Balance, the credential test, and base
 * URLs that must be refused before anything is sent.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { INodeParameters } from 'n8n-workflow';

import { testCredential } from '../harness/credentialTest';
import {
	AWKWARD_PASSWORD,
	credentialFor,
	expectNoLeaks,
	expectOnePerInput,
	expectRightRoutes,
	expectWithin,
	gbNumbers,
	LOOKUP,
	PASSWORD,
	phoneItems,
	resultsOf,
	textOf,
	USER,
	useFaultKit,
	WRONG_PASSWORD,
} from '../faults/support';

const kit = useFaultKit('secrets');

/** n8n's own Logger (n8n-core's copy) at debug level, console output, behind the watch. */
beforeAll(async () => {
	const paths = { paths: [require.resolve('n8n-core')] };
	const { Container } = await import(require.resolve('@n8n/di', paths));
	const { GlobalConfig } = await import(require.resolve('@n8n/config', paths));
	const { Logger } = await import(require.resolve('@n8n/backend-common', paths));
	process.env.N8N_LOG_LEVEL = 'debug';
	const config = Container.get(GlobalConfig) as { logging: { level: string; outputs: string[] } };
	config.logging.level = 'debug';
	config.logging.outputs = ['console'];
	const logger = Container.get(Logger) as { level: string };
	expect(logger.level).toBe('debug');
	kit.watch.wrapLogger();
});

// ---------------------------------------------------------------------------------------------
// A service (or a proxy in front of it) that echoes what it was sent

type EchoStatus = 200 | 500 | 502;
type EchoShape = 'text' | 'html' | 'brokenJson';

interface EchoServer {
	url: string;
	hits: number;
	close: () => Promise<void>;
}

/**
 * Answers every request with its own body in it: `raw` as it arrived (form-encoded), or `decoded`
 * (the parameters as text, the password as typed), as text, an HTML page or broken JSON.
 */
async function startEcho(status: EchoStatus, shape: EchoShape, echo: 'raw' | 'decoded'): Promise<EchoServer> {
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			state.hits++;
			const body = Buffer.concat(chunks).toString('utf8');
			const echoed = echo === 'raw' ? body : [...new URLSearchParams(body)].map(([k, v]) => `${k}: ${v}`).join('; ');
			const text =
				shape === 'html'
					? `<html><body><h1>Bad Gateway</h1><pre>${echoed}</pre></body></html>`
					: shape === 'brokenJson'
						? `[{"request": ${JSON.stringify(echoed).slice(0, -1)} ,}]`
						: `Unexpected request -- ${echoed}`;
			res.writeHead(status, { 'content-type': shape === 'brokenJson' ? 'application/json' : 'text/plain' });
			res.end(text);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const state: EchoServer = {
		url: `http://127.0.0.1:${port}/npl`,
		hits: 0,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
	return state;
}

const echoCases: Array<[EchoStatus, EchoShape, 'raw' | 'decoded']> = [
	[500, 'text', 'raw'],
	[500, 'text', 'decoded'],
	[502, 'html', 'raw'],
	[200, 'text', 'raw'],
	[200, 'text', 'decoded'],
	[200, 'html', 'decoded'],
	[200, 'brokenJson', 'raw'],
	[200, 'brokenJson', 'decoded'],
];

describe('secrets: the password shows nowhere, whatever fails', () => {
	it('an echoing service or proxy: quoted answers are redacted (lookups, both passwords, every shape)', async () => {
		const startedAt = Date.now();
		const runs = await Promise.all(
			echoCases.flatMap(([status, shape, echo]) =>
				[PASSWORD, AWKWARD_PASSWORD].map(async (password) => {
					const server = await startEcho(status, shape, echo);
					const label = `echo ${status} ${shape} ${echo} (${password === PASSWORD ? 'password' : 'awkward password'})`;
					const items = phoneItems(gbNumbers(2));
					const run = await kit.run(label, {
						items,
						parameters: LOOKUP,
						credential: { user: USER, password, baseUrl: server.url },
						onError: 'continueRegularOutput',
					});
					await server.close();
					return { label, run, items, hits: server.hits };
				}),
			),
		);
		for (const { label, run, items, hits } of runs) {
			expect([label, run.error]).toEqual([label, undefined]);
			expect(hits).toBeGreaterThan(0);
			const results = resultsOf(run.outputs);
			expectOnePerInput(results, items.length, (index) => [items[index].phone]);
			expectRightRoutes(results, ['protocol_error', 'service_unavailable', 'network_error']);
			expect(results.every((r) => !r.json.lookedUp)).toBe(true);
			// The echo was quoted, and the password in it replaced.
			const quoted = results.filter((r) => String(r.json.reasonText).includes('***'));
			if (!label.includes('brokenJson')) expect([label, quoted.length]).toEqual([label, results.length]);
		}
		expectWithin('an echoing service, 16 runs at once', Date.now() - startedAt, 20_000);
	}, 60_000);

	it('an echoing service: the execution error (no continue on fail) is redacted too', async () => {
		for (const [status, shape] of [[500, 'text'], [200, 'text']] as const) {
			const server = await startEcho(status, shape, 'raw');
			const run = await kit.run(`echo ${status} ${shape}, error`, {
				items: phoneItems(gbNumbers(1)),
				parameters: LOOKUP,
				credential: { user: USER, password: AWKWARD_PASSWORD, baseUrl: server.url },
			});
			await server.close();
			expect(run.error?.message).toMatch(/could not be used/);
			expect(run.error?.description).toContain('***');
		}
	}, 30_000);

	it('Get Balance and the credential test: wrong password, and an echoing service', async () => {
		const sandbox = await kit.start();

		const wrong = await kit.run('Get Balance, wrong password', {
			items: [{}],
			parameters: { operation: 'getBalance' },
			credential: credentialFor(sandbox, WRONG_PASSWORD),
		});
		expect(wrong.error?.description).toMatch(/FAIL Invalid password/);
		const tested = await testCredential(credentialFor(sandbox, WRONG_PASSWORD));
		kit.watch.record('credential test, wrong password', tested);
		expect(tested).toMatchObject({ status: 'Error' });
		expect(tested.message).toMatch(/Invalid password/);

		for (const [status, shape, echo] of echoCases) {
			for (const password of [PASSWORD, AWKWARD_PASSWORD]) {
				const server = await startEcho(status, shape, echo);
				const credential = { user: USER, password, baseUrl: server.url };
				const balance = await kit.run(`Get Balance, echo ${status} ${shape} ${echo}`, {
					items: [{}],
					parameters: { operation: 'getBalance' },
					credential,
				});
				expect(balance.error).toBeDefined();
				const continued = await kit.run(`Get Balance, echo ${status} ${shape} ${echo}, continue`, {
					items: [{}],
					parameters: { operation: 'getBalance' },
					credential,
					onError: 'continueRegularOutput',
				});
				expect(continued.outputs[0]?.[0]?.json.error).toEqual(expect.any(String));
				const result = await testCredential(credential);
				kit.watch.record(`credential test, echo ${status} ${shape} ${echo}`, result);
				// n8n's declarative test fails any status but 2xx, and a web page by its rule; a 200
				// text echo is not one of the service's errors, which is all its rules can tell.
				if (status !== 200 || shape === 'html') expect(result.status).toBe('Error');
				await server.close();
			}
		}
	}, 60_000);

	it('failures against the sandbox, with n8n logging at debug level', async () => {
		const items = phoneItems([...gbNumbers(20), 'not a number']);
		const sandboxRuns: Array<[string, Parameters<typeof kit.start>[0], INodeParameters, string]> = [
			['503 on every request', { faults: { httpError: { rate: 1, statuses: [503] } } }, {}, PASSWORD],
			['garbage on every request', { faults: { malformed: { rate: 1 } } }, {}, PASSWORD],
			['dropped connections', { faults: { drop: { rate: 0.5, afterObjects: 1 } } }, { numbersPerRequest: 5 }, PASSWORD],
			['rate limits', { faults: { rateLimit: { rate: 0.5 } } }, { numbersPerRequest: 5 }, PASSWORD],
			['no credit', { credit: 5 }, {}, PASSWORD],
			['the awkward password, dropped connections', { password: AWKWARD_PASSWORD, faults: { drop: { rate: 0.5, afterObjects: 2 } } }, { numbersPerRequest: 5 }, AWKWARD_PASSWORD],
			['a wrong password', {}, {}, WRONG_PASSWORD],
		];
		for (const [label, sandboxOptions, options, password] of sandboxRuns) {
			const sandbox = await kit.start(sandboxOptions);
			for (const onError of [undefined, 'continueRegularOutput'] as const) {
				const run = await kit.run(`${label}${onError ? ', continue' : ''}`, {
					items,
					parameters: { ...LOOKUP, options },
					credential: credentialFor(sandbox, password),
					...(onError ? { onError } : {}),
				});
				if (onError) expect(run.error).toBeUndefined();
			}
			expect(sandbox.requests.every((r) => !r.passwordInUrl && r.url === '/npl')).toBe(true);
		}

		const closed = await kit.start();
		await closed.close();
		await kit.run('a closed port', { items, parameters: LOOKUP, credential: credentialFor(closed) });
		await kit.run('an unresolvable host', {
			items,
			parameters: LOOKUP,
			credential: { user: USER, password: PASSWORD, baseUrl: 'https://npl.invalid/npl' },
		});

		// n8n logged at debug level, and the watch saw it.
		expect(kit.watch.loggedLines).toBeGreaterThan(10);
	}, 90_000);
});

describe('secrets: base URLs that must be refused before anything is sent', () => {
	const refused: Array<[string, (port: number) => string, RegExp]> = [
		['plain http to a private address', () => 'http://10.0.0.1/npl', /must use https/],
		['plain http to a name that starts with localhost', () => 'http://localhost.evil.com/npl', /must use https/],
		['plain http to a name that starts with 127.0.0.1', () => 'http://127.0.0.1.evil.com/npl', /must use https/],
		['plain http to the public endpoint', () => 'http://api.numberportabilitylookup.com/npl', /must use https/],
		['plain http to 0.0.0.0', (port) => `http://0.0.0.0:${port}/npl`, /must use https/],
		['plain http to an IPv4-mapped private address', () => 'http://[::ffff:10.0.0.1]/npl', /must use https/],
		['a backslash trick', () => 'http://evil.com\\@127.0.0.1/npl', /must use https/],
		['ftp to loopback', (port) => `ftp://127.0.0.1:${port}/npl`, /must use https/],
		['ftp to the endpoint', () => 'ftp://api.numberportabilitylookup.com/npl', /must use https/],
		['file:', () => 'file:///etc/passwd', /must use https/],
		['javascript:', () => 'javascript:alert(1)', /must use https/],
		['user:password@ over https', () => `https://${USER}:${PASSWORD}@api.numberportabilitylookup.com/npl`, /must not contain a user or password/],
		['user:password@ to loopback', (port) => `http://${USER}:${PASSWORD}@127.0.0.1:${port}/npl`, /must not contain a user or password/],
		['loopback as the user of another host', () => 'http://127.0.0.1@evil.com/npl', /must not contain a user or password/],
		['user:password@ that is not a URL', () => `https://${USER}:${PASSWORD}@api numberportabilitylookup.com/npl`, /is not a URL/],
		['the awkward password in a user:password@', () => `https://${USER}:${AWKWARD_PASSWORD}@api numberportabilitylookup.com/npl`, /must not contain a user or password|is not a URL/],
		['the password in the query string', () => `https://api.numberportabilitylookup.com/npl?user=${USER}&pass=${encodeURIComponent(PASSWORD)}`, /must not contain a user or password/],
		['the password in the query string to loopback', (port) => `http://127.0.0.1:${port}/npl?Pass=${encodeURIComponent(PASSWORD)}`, /must not contain a user or password/],
	];

	it.each(refused)('%s', async (_name, urlFor, message) => {
		const sandbox = await kit.start();
		const baseUrl = urlFor(sandbox.port);
		const before = kit.guard.blocked.length;
		for (const onError of [undefined, 'continueRegularOutput'] as const) {
			const run = await kit.run(`base URL ${baseUrl}`, {
				items: phoneItems(gbNumbers(2)),
				parameters: LOOKUP,
				credential: { user: USER, password: PASSWORD, baseUrl },
				...(onError ? { onError } : {}),
			});
			// With continue on fail n8n passes the items on and keeps the error in the run data.
			const error = onError ? textOf(run.run.data.resultData.runData) : `${run.error?.message} ${run.error?.description ?? ''}`;
			expect(error).toMatch(message);
			expect(run.outputs.flat().every((item) => item.json.lookedUp !== true)).toBe(true);
		}
		const balance = await kit.run(`Get Balance, base URL ${baseUrl}`, {
			items: [{}],
			parameters: { operation: 'getBalance' },
			credential: { user: USER, password: PASSWORD, baseUrl },
		});
		expect(`${balance.error?.message} ${balance.error?.description ?? ''}`).toMatch(message);
		// Nothing was sent anywhere: not to the sandbox, not off the machine.
		expect(sandbox.requests).toEqual([]);
		expect(kit.sent.all).toEqual([]);
		expect(kit.guard.blocked.slice(before)).toEqual([]);
	}, 20_000);

	it.each([
		['localhost', (port: number) => `http://localhost:${port}/npl`],
		['127.0.0.1', (port: number) => `http://127.0.0.1:${port}/npl`],
		['upper case', (port: number) => `HTTP://LOCALHOST:${port}/npl`],
	])('plain http to loopback (%s) is allowed', async (_name, urlFor) => {
		const sandbox = await kit.start();
		const run = await kit.run('loopback', {
			items: phoneItems(gbNumbers(3)),
			parameters: LOOKUP,
			credential: { user: USER, password: PASSWORD, baseUrl: urlFor(sandbox.port) },
		});
		expect(run.error).toBeUndefined();
		expect(run.outputs.flat().filter((item) => item.json.lookedUp)).toHaveLength(3);
	}, 20_000);
});

describe('secrets suite', () => {
	it('never showed the password anywhere, and reached nothing but loopback', () => {
		expect(kit.guard.blocked.filter((attempt) => attempt.host !== 'npl.invalid')).toEqual([]);
		expectNoLeaks(kit.watch);
	});
});
