import type { Dispatcher } from 'undici';

import { AccountConnections } from '../../nodes/NumberPortabilityLookup/transport/accountConnections';

/** A pool stand-in that counts the pools made: a share must not cost a new pool. */
const pools: number[] = [];
const countingDispatcher = (connections: number) => {
	pools.push(connections);
	return { close: async () => undefined } as unknown as Dispatcher;
};
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));
const isPending = async (promise: Promise<unknown>) =>
	await Promise.race([promise.then(() => false), sleep(30).then(() => true)]);

describe('AccountConnections.shareFor: this process keeps its share while others wait', () => {
	it('caps the requests in flight below the limit for a while, then lets the limit back, on one pool', async () => {
		pools.length = 0;
		const budget = new AccountConnections(countingDispatcher);
		const leave = budget.join(5);
		budget.shareFor(2, 150);
		const first = await Promise.all([budget.acquire(), budget.acquire()]);
		const third = budget.acquire();
		expect(await isPending(third)).toBe(true);
		expect(budget.openPermits).toBe(2);

		// A freed permit goes to the waiter, still within the share.
		first[0].release();
		const granted = await third;
		expect(budget.openPermits).toBe(2);

		// Once the share lapses (no news for 150 ms), the limit of 5 is back.
		const more = [budget.acquire(), budget.acquire(), budget.acquire()];
		expect(await isPending(Promise.all(more))).toBe(true);
		const afterLapse = await Promise.all(more);
		expect(budget.openPermits).toBe(5);
		expect(pools).toEqual([5]);

		for (const permit of [first[1], granted, ...afterLapse]) permit.release();
		leave();
		await budget.close();
	});
});
