import { useSandbox } from '../node/sandboxAccount';
import { leaseMembers, useRedis, useWorkers } from './suite';
import { startWorker } from './workers';

const LEASE_MS = 3_000;

describe('a process killed with SIGKILL while holding leases (real Redis)', () => {
	const redis = useRedis();
	const sandboxes = useSandbox();
	const workers = useWorkers();
	const victimLeases = (pid: number | undefined) =>
		leaseMembers(redis()).filter((member) => member.startsWith(`${pid}-`));

	it('its leases expire on their own and another process gets them within the expiry', async () => {
		// Slow answers: the first worker holds all 5 leases for seconds.
		const sandbox = await sandboxes.start({
			maxConnections: 5,
			latency: { baseMs: 200, perNumberMs: 20 },
		});
		const env = (first: number) => ({
			NPL_CONNECTION_BUDGET: 'redis',
			NPL_REDIS_URL: redis().url,
			NPL_REDIS_LEASE_MS: String(LEASE_MS),
			CHILD_BASE_URL: sandbox.url,
			CHILD_FIRST: String(first),
			CHILD_COUNT: '500',
			CHILD_NUMBERS_PER_REQUEST: '25',
			CHILD_WAIT_FOR_GO: '1',
		});
		const victim = startWorker(env(0));
		const survivor = startWorker(env(10_000));
		workers.push(victim, survivor);
		await Promise.all([victim.ready, survivor.ready]);

		victim.go();
		const deadline = Date.now() + 20_000;
		while (victimLeases(victim.child.pid).length < 5) {
			if (Date.now() > deadline) {
				throw new Error(`the victim never held 5 leases: ${leaseMembers(redis()).join(', ')}`);
			}
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		victim.child.kill('SIGKILL');
		const killedAt = Date.now();
		await victim.result.catch(() => undefined);
		// The process is gone, its sockets closed by the kernel; its leases are still there.
		expect(victimLeases(victim.child.pid)).toHaveLength(5);
		const requestsBefore = sandbox.requests.length;

		survivor.go();
		const result = await survivor.result;
		const survivorRequests = sandbox.requests.slice(requestsBefore);
		const firstRequestAfterKill =
			Math.min(...survivorRequests.map((record) => record.startedAt)) - killedAt;
		console.log(
			`SIGKILL: the survivor's first request ${firstRequestAfterKill} ms after the kill (lease ${LEASE_MS} ms), ` +
				`its run ${result.ms} ms`,
		);

		expect(result).toMatchObject({ status: 'success', error: null, items: 500, notLookedUp: {} });
		expect(firstRequestAfterKill).toBeLessThanOrEqual(LEASE_MS + 1_500);
		expect(sandbox.requests.filter((record) => record.outcome === 'rate_limited')).toHaveLength(0);
		expect(sandbox.connections.peakOpenSockets('demo')).toBeLessThanOrEqual(5);
		expect(leaseMembers(redis())).toEqual([]);
	}, 120_000);
});
