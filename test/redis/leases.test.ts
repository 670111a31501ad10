import { createHash } from 'node:crypto';

import type { startSandbox } from '../../sandbox';
import { useSandbox } from '../node/sandboxAccount';
import type { SandboxOptionsInput } from '../../sandbox/options';
import { runNode } from '../harness/n8nEngine';
import { loadPackage } from '../harness/packages';
import type { RedisAccountConnections } from '../../transport/redisAccountConnections';
import { ServiceClient } from '../../engine/protocol/serviceClient';
import { nodeClock } from '../../transport/nodeClock';
import { connectProxy, countingRelay, freePort } from './redisServer';
import { useEnv, useRedis } from './suite';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const BUDGET_ENV = [
	'NPL_CONNECTION_BUDGET',
	'NPL_REDIS_URL',
	'NPL_REDIS_KEY_PREFIX',
	'EXECUTIONS_MODE',
	'QUEUE_BULL_REDIS_HOST',
	'QUEUE_BULL_REDIS_PORT',
	'HTTP_PROXY',
	'NO_PROXY',
];
const PASSWORD = 'pw-s3cret-redis';

/** The queue-mode package's transport (its bundle's own module): the one with the Redis budget. */
const { accountConnections, closeAllAccountConnections, openServiceLink } = loadPackage('queue-mode').transport!;

const lookupRun = async (sandbox: Sandbox, count: number, first = 0) =>
	await runNode({
		items: Array.from({ length: count }, (_, i) => ({
			phone: `447788${String(first + i).padStart(6, '0')}`,
		})),
		parameters: {
			operation: 'lookup',
			phoneNumber: '={{ $json.phone }}',
			options: { numbersPerRequest: 25 },
		},
		credential: { user: 'demo', password: PASSWORD, baseUrl: sandbox.url },
		package: 'queue-mode',
	});

const lookedUp = (run: Awaited<ReturnType<typeof lookupRun>>) =>
	run.outputs.flat().filter((item) => item.json.lookedUp === true).length;

const clientFor = (sandbox: Sandbox) =>
	new ServiceClient(
		openServiceLink(undefined, { url: new URL(sandbox.url), user: 'demo', password: PASSWORD }, nodeClock),
		{ includeMsc: false, timeoutMs: 10_000, secrets: [PASSWORD] },
	);

/** The Redis budget of the sandbox's account, for its lease counts. */
const budgetOf = (sandbox: Sandbox) =>
	accountConnections(new URL(sandbox.url).href, 'demo') as RedisAccountConnections;

/** The account's lease key as the contract fixes it: prefix + sha256(normalised base URL + NUL + user). */
const leaseKey = (prefix: string, sandbox: Sandbox) =>
	`${prefix}leases:${createHash('sha256')
		.update(`${new URL(sandbox.url).href}\u0000demo`)
		.digest('hex')}`;

describe('leases in a real Redis, in one process', () => {
	const redis = useRedis();
	const sandboxes = useSandbox();
	/** `count` leases of "another process", alive for a minute, in the account's set; returns its key. */
	const occupy = (sandbox: Sandbox, count: number) => {
		const key = leaseKey('n8n-nodes-npl:', sandbox);
		const expiry = String(Number(redis().cli('TIME').split('\n')[0]) * 1000 + 60_000);
		for (let i = 1; i <= count; i++) redis().cli('ZADD', key, expiry, `other-process:${i}`);
		return key;
	};
	/** A sandbox whose account has a password that no key, notice or member may show. */
	const startAccount = async (options: SandboxOptionsInput = {}) =>
		await sandboxes.start({
			accounts: [{ user: 'demo', pass: PASSWORD, credit: 10_000 }],
			...options,
		});
	useEnv(BUDGET_ENV);

	it('takes a lease per open socket under the account key, and gives them back once idle', async () => {
		const sandbox = await startAccount({ latency: { baseMs: 30, perNumberMs: 1 } });
		process.env.NPL_CONNECTION_BUDGET = 'redis';
		process.env.NPL_REDIS_URL = redis().url;
		process.env.NPL_REDIS_KEY_PREFIX = 'npl-test:';
		const key = leaseKey('npl-test:', sandbox);

		let peakLeases = 0;
		let sampling = true;
		const sampler = (async () => {
			while (sampling) {
				peakLeases = Math.max(peakLeases, Number(redis().cli('ZCARD', key)));
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
		})();
		const run = await lookupRun(sandbox, 500);
		sampling = false;
		await sampler;

		expect(run.error).toBeUndefined();
		expect(lookedUp(run)).toBe(500);
		expect(peakLeases).toBeGreaterThanOrEqual(1);
		expect(peakLeases).toBeLessThanOrEqual(5);
		// Every key is the account's, and no key or member names the password or the user.
		const keys = redis().cli('KEYS', '*').split('\n').filter(Boolean);
		expect(keys.every((name) => name === key)).toBe(true);
		expect(redis().cli('ZRANGE', key, '0', '-1')).not.toMatch(new RegExp(`${PASSWORD}|demo`));

		// No request is waiting or in flight: the idle sockets close and their leases go back.
		const deadline = Date.now() + 2_000;
		while (Number(redis().cli('ZCARD', key)) > 0 && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		expect(Number(redis().cli('ZCARD', key))).toBe(0);
		expect(sandbox.connections.openSockets('demo')).toBe(0);
	});

	it('takes a lease per tunnel through an HTTP proxy from the environment', async () => {
		const sandbox = await startAccount({ latency: { baseMs: 30, perNumberMs: 1 } });
		const proxy = await connectProxy();
		try {
			process.env.NPL_CONNECTION_BUDGET = 'redis';
			process.env.NPL_REDIS_URL = redis().url;
			process.env.HTTP_PROXY = `http://127.0.0.1:${proxy.port}`;
			process.env.NO_PROXY = '';
			const key = leaseKey('n8n-nodes-npl:', sandbox);
			let peakLeases = 0;
			let peakBound = 0;
			const running = lookupRun(sandbox, 200);
			let done = false;
			void running.finally(() => (done = true));
			while (!done) {
				peakLeases = Math.max(peakLeases, Number(redis().cli('ZCARD', key)));
				// Leases held by open sockets (tunnels), not only by requests waiting for one.
				peakBound = Math.max(peakBound, budgetOf(sandbox).leaseCounts.bound);
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
			const run = await running;
			expect(lookedUp(run)).toBe(200);
			expect(proxy.count()).toBeGreaterThan(0);
			expect(peakLeases).toBeGreaterThanOrEqual(1);
			expect(peakLeases).toBeLessThanOrEqual(5);
			expect(peakBound).toBeGreaterThanOrEqual(1);
			expect(sandbox.connections.peakOpenSockets('demo')).toBeLessThanOrEqual(5);
		} finally {
			await closeAllAccountConnections();
			await proxy.close();
		}
	});

	it('opens no Redis connection in regular mode (auto), and does in queue mode', async () => {
		const sandbox = await startAccount();
		const relay = await countingRelay(redis().port);
		try {
			process.env.QUEUE_BULL_REDIS_HOST = '127.0.0.1';
			process.env.QUEUE_BULL_REDIS_PORT = String(relay.port);

			const regular = await lookupRun(sandbox, 60);
			expect(lookedUp(regular)).toBe(60);
			expect(accountConnections(new URL(sandbox.url).href, 'demo').sharedAcrossProcesses).toBe(
				false,
			);
			await closeAllAccountConnections();
			expect(relay.count()).toBe(0);

			// The same settings in queue mode: n8n's own Redis settings are used.
			process.env.EXECUTIONS_MODE = 'queue';
			const queue = await lookupRun(sandbox, 60, 1_000);
			expect(lookedUp(queue)).toBe(60);
			expect(accountConnections(new URL(sandbox.url).href, 'demo').sharedAcrossProcesses).toBe(
				true,
			);
			expect(relay.count()).toBeGreaterThan(0);
		} finally {
			await closeAllAccountConnections();
			await relay.close();
		}
	});

	it('falls back to the per-process budget when Redis cannot be reached: no hang, every item, one notice', async () => {
		const sandbox = await startAccount();
		process.env.NPL_CONNECTION_BUDGET = 'redis';
		process.env.NPL_REDIS_URL = `redis://:${PASSWORD}@127.0.0.1:${await freePort()}/0`;

		const started = Date.now();
		const run = await lookupRun(sandbox, 300);
		expect(run.error).toBeUndefined();
		expect(lookedUp(run)).toBe(300);
		expect(Date.now() - started).toBeLessThan(15_000);
		expect(sandbox.connections.peakOpenSockets('demo')).toBeLessThanOrEqual(5);

		const client = clientFor(sandbox);
		expect(await client.balance()).toBeGreaterThan(0);
		expect(client.usedRedis()).toBe(false);
		const notices = client.coordinationNotices();
		expect(notices).toHaveLength(1);
		expect(notices[0]).toMatch(
			/^Redis at redis:\/\/127\.0\.0\.1:\d+\/0 could not be used .* counted the account's connections on its own/,
		);
		expect(notices[0]).not.toContain(PASSWORD);
	});

	it('counts a client as using Redis, without notices, when Redis is there', async () => {
		const sandbox = await startAccount();
		process.env.NPL_CONNECTION_BUDGET = 'redis';
		process.env.NPL_REDIS_URL = redis().url;
		const client = clientFor(sandbox);
		expect(await client.balance()).toBeGreaterThan(0);
		expect(client.usedRedis()).toBe(true);
		expect(client.coordinationNotices()).toEqual([]);
	});

	it('lets Get Balance (outside a run) have a connection while other processes hold some, below the limit', async () => {
		const sandbox = await startAccount();
		process.env.NPL_CONNECTION_BUDGET = 'redis';
		process.env.NPL_REDIS_URL = redis().url;
		const key = occupy(sandbox, 3);
		try {
			const client = clientFor(sandbox);
			const balance = client.balance();
			const outcome = await Promise.race([
				balance.then(() => 'answered'),
				new Promise((resolve) => setTimeout(() => resolve('still waiting'), 3_000)),
			]);
			expect(outcome).toBe('answered');
		} finally {
			redis().cli('DEL', key);
		}
	});

	it('stops waiting for a lease at once when the signal aborts (account full in Redis)', async () => {
		const sandbox = await startAccount();
		process.env.NPL_CONNECTION_BUDGET = 'redis';
		process.env.NPL_REDIS_URL = redis().url;
		// Five leases of "another process": the account is full.
		const key = occupy(sandbox, 5);

		const budget = accountConnections(new URL(sandbox.url).href, 'demo');
		const leave = budget.join(5);
		const controller = new AbortController();
		const waiting = budget.acquire(controller.signal);
		const outcome = await Promise.race([
			waiting.then(
				() => 'granted',
				() => 'rejected',
			),
			new Promise((resolve) => setTimeout(() => resolve('waiting'), 400)),
		]);
		expect(outcome).toBe('waiting');
		const abortedAt = Date.now();
		controller.abort();
		await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
		expect(Date.now() - abortedAt).toBeLessThan(100);
		expect(Number(redis().cli('ZCARD', key))).toBe(5);
		leave();
		redis().cli('DEL', key);
	});
});
