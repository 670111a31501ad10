import { useSandbox } from '../node/sandboxAccount';
import { runNode } from '../harness/n8nEngine';
import { loadPackage } from '../harness/packages';
import type { RedisServer } from './redisServer';
import { leaseMembers, useEnv, useRedis } from './suite';

const ENV = ['NPL_CONNECTION_BUDGET', 'NPL_REDIS_URL', 'NPL_REDIS_LEASE_MS'];
const COUNT = 1_500;

const liveLeases = (redis: RedisServer) => leaseMembers(redis).length;

const until = async (what: string, condition: () => boolean, ms = 15_000) => {
	const deadline = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
};

describe('Redis restarted in the middle of a run (real Redis)', () => {
	const redis = useRedis();
	const sandboxes = useSandbox();
	useEnv(ENV);

	it('loses no item, carries on with the per-process budget, says so, and takes leases again once Redis is back', async () => {
		const sandbox = await sandboxes.start({
			maxConnections: 5,
			latency: { baseMs: 100, perNumberMs: 8 },
		});
		process.env.NPL_CONNECTION_BUDGET = 'redis';
		process.env.NPL_REDIS_URL = redis().url;
		process.env.NPL_REDIS_LEASE_MS = '3000';

		const running = runNode({
			items: Array.from({ length: COUNT }, (_, i) => ({
				phone: `447788${String(i).padStart(6, '0')}`,
			})),
			parameters: {
				operation: 'lookup',
				phoneNumber: '={{ $json.phone }}',
				options: { numbersPerRequest: 25 },
			},
			credential: { user: 'demo', password: 'demo', baseUrl: sandbox.url },
			package: 'queue-mode',
		});
		let finished = false;
		void running.finally(() => (finished = true));

		const budget = loadPackage('queue-mode').transport!.accountConnections(new URL(sandbox.url).href, 'demo');
		await until('leases in Redis', () => liveLeases(redis()) > 0);
		// A crash: Redis (no persistence) comes back empty a moment later. It stays down until the
		// budget has met it (a renewal, every third of the lease, or a lease taken): with all five
		// connections leased at the start, requests alone may never ask Redis anything.
		await redis().stop({ hard: true });
		const requestsAtCrash = sandbox.requests.length;
		await until(
			'requests sent without Redis, and the outage noticed',
			() => sandbox.requests.length >= requestsAtCrash + 5 && budget.noticesSince(0).length > 0,
		);
		await redis().start();
		await until('leases in the restarted Redis', () => liveLeases(redis()) > 0 || finished);
		const leasesAfterRestart = liveLeases(redis());
		const run = await running;

		const notices = budget.noticesSince(0);
		console.log(
			`restart: ${leasesAfterRestart} leases in the restarted Redis; notices:\n${notices.join('\n')}`,
		);

		expect(run.error).toBeUndefined();
		const items = run.outputs.flat();
		expect(items).toHaveLength(COUNT);
		expect(items.filter((item) => item.json.lookedUp !== true)).toEqual([]);
		expect(sandbox.requests.filter((record) => record.outcome === 'rate_limited')).toHaveLength(0);
		expect(sandbox.connections.peakOpenSockets('demo')).toBeLessThanOrEqual(5);
		expect(leasesAfterRestart).toBeGreaterThan(0);
		expect(notices).toHaveLength(2);
		expect(notices[0]).toMatch(
			/^Redis at redis:\/\/127\.0\.0\.1:\d+\/0 could not be used while (taking a lease|renewing leases)/,
		);
		expect(notices[1]).toMatch(
			/is reachable again: connections are counted across n8n processes again\.$/,
		);
		expect(budget.sharedAcrossProcesses).toBe(true);
	}, 90_000);
});
