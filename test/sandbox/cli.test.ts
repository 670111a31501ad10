import { fork } from 'node:child_process';
import { join } from 'node:path';

import { request } from 'undici';

import { CLI_USAGE, parseCliArgs } from '../../sandbox/cliArgs';
import { resolveOptions } from '../../sandbox';

const ROOT = join(__dirname, '..', '..');

describe('CLI flags', () => {
	test('defaults: port 8085, the demo account, nothing else', () => {
		const { options, help, quiet } = parseCliArgs([]);
		expect(help).toBe(false);
		expect(quiet).toBe(false);
		expect(options).toEqual({
			port: 8085,
			accounts: [{ user: 'demo', pass: 'demo', credit: 10000 }],
		});
		expect(() => resolveOptions(options)).not.toThrow();
	});

	test('every flag reaches its option', () => {
		const { options } = parseCliArgs([
			'--port',
			'0',
			'--host',
			'::1',
			'--max-per-request',
			'10',
			'--max-connections',
			'1',
			'--latency-ms',
			'200',
			'--per-number-ms',
			'30',
			'--jitter-ms',
			'50',
			'--seed',
			'42',
			'--buffered',
			'--balance-format',
			'json',
			'--error-status',
			'http',
			'--retry-after',
			'3',
			'--max-body-bytes',
			'4096',
			'--keep-alive-ms',
			'1000',
			'--ported-share',
			'0.5',
			'--error-share',
			'0',
			'--admin',
			'--user',
			'alice',
			'--pass',
			'pw',
			'--credit',
			'12.5',
			'--drop-after',
			'3',
			'--drop-rate',
			'0.2',
			'--http-error-rate',
			'0.1',
			'--http-error-statuses',
			'502,503',
			'--malformed-rate',
			'0.05',
			'--slow-headers-ms',
			'5000',
			'--slow-headers-rate',
			'0.3',
			'--rate-limit-rate=0.4',
		]);
		expect(options).toEqual({
			port: 0,
			host: '::1',
			maxPerRequest: 10,
			maxConnections: 1,
			latency: { baseMs: 200, perNumberMs: 30, jitterMs: 50 },
			seed: 42,
			streaming: false,
			balanceFormat: 'json',
			textErrorStatus: 'http',
			retryAfterSeconds: 3,
			maxBodyBytes: 4096,
			keepAliveTimeoutMs: 1000,
			portedShare: 0.5,
			errorShare: 0,
			admin: true,
			accounts: [{ user: 'alice', pass: 'pw', credit: 12.5 }],
			faults: {
				drop: { afterObjects: 3, rate: 0.2 },
				httpError: { rate: 0.1, statuses: [502, 503] },
				malformed: { rate: 0.05 },
				slowHeaders: { delayMs: 5000, rate: 0.3 },
				rateLimit: { rate: 0.4 },
			},
		});
		expect(() => resolveOptions(options)).not.toThrow();
	});

	test('--account adds accounts; --help and --quiet', () => {
		const parsed = parseCliArgs([
			'--account',
			'a:p:q:5',
			'--account',
			'b:x:1',
			'--quiet',
			'--help',
		]);
		expect(parsed.options.accounts).toEqual([
			{ user: 'a', pass: 'p:q', credit: 5 },
			{ user: 'b', pass: 'x', credit: 1 },
		]);
		expect(parsed.help && parsed.quiet).toBe(true);
	});

	test.each([
		[['--nope']],
		[['--port']],
		[['--port', 'x']],
		[['--port', '70000']],
		[['--drop-rate', '1.5']],
		[['--balance-format', 'xml']],
		[['--error-status', 'sometimes']],
		[['--http-error-statuses', '404']],
		[['--account', 'nocredit']],
		[['--max-per-request', '0']],
	])('rejects %j', (argv) => {
		expect(() => parseCliArgs(argv)).toThrow(/--help/);
	});

	test('--help lists every flag the parser knows', () => {
		const source = parseCliArgs.toString();
		const flags = [...source.matchAll(/case '(--[a-z-]+)'/g)].map((m) => m[1]);
		expect(flags.length).toBeGreaterThan(30);
		for (const flag of flags) expect(CLI_USAGE).toContain(flag);
	});
});

describe('npm run sandbox (tsx sandbox/cli.ts)', () => {
	test('prints the URL and credentials, answers, stops on Ctrl-C', async () => {
		// fork with tsx's loader: what `npm run sandbox` runs (tsx sandbox/cli.ts), with pipes to read.
		const child = fork(
			join(ROOT, 'sandbox', 'cli.ts'),
			[
				'--port',
				'0',
				'--user',
				'cli',
				'--pass',
				'secret',
				'--credit',
				'3',
				'--balance-format',
				'ok',
			],
			{ cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
		);
		let out = '';
		child.stdout?.on('data', (chunk) => (out += chunk.toString()));
		child.stderr?.on('data', (chunk) => (out += chunk.toString()));
		const exited = new Promise<number | null>((resolve) =>
			child.once('exit', (code) => resolve(code)),
		);
		try {
			const url = await new Promise<string>((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`no URL printed:\n${out}`)), 15_000);
				child.stdout?.on('data', () => {
					const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/npl)/.exec(out);
					if (match && out.includes('Ctrl-C')) {
						clearTimeout(timer);
						resolve(match[1]);
					}
				});
			});
			expect(out).toContain('user=cli pass=secret credit=3');
			const res = await request(`${url}?user=cli&pass=secret&query=balance`);
			expect(await res.body.text()).toBe('OK 3.00');
			await new Promise((resolve) => setTimeout(resolve, 100));
			expect(out).toMatch(/#1 GET \/npl user=cli n=0 -> ok 200/);
			expect(out).not.toMatch(/#1 .*secret/);
		} finally {
			child.kill('SIGINT');
		}
		expect(await exited).toBe(0);
	}, 30_000);
});
