import type { Dispatcher } from 'undici';

import { AccountConnections } from '../../transport/accountConnections';

/** Stand-ins for one-socket connections: which were opened, which closed. */
function connectionLog() {
	const opened: number[] = [];
	const closed: number[] = [];
	const open = () => {
		const id = opened.length + 1;
		opened.push(id);
		return {
			id,
			close: async () => {
				closed.push(id);
			},
		} as unknown as Dispatcher;
	};
	return { opened, closed, open };
}
const idOf = (dispatcher: Dispatcher) => (dispatcher as unknown as { id: number }).id;
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));
const isPending = async (promise: Promise<unknown>) =>
	await Promise.race([promise.then(() => false), sleep(30).then(() => true)]);

/** A budget with a limit of 5 and a share of 2 for `forMs`, both of the share's permits taken. */
async function sharedTwoOfFive(forMs: number) {
	const log = connectionLog();
	const budget = new AccountConnections(log.open);
	const leave = budget.join(5);
	budget.shareFor(2, forMs);
	const first = await Promise.all([budget.acquire(), budget.acquire()]);
	return { log, budget, leave, first };
}

describe('AccountConnections: the connections above the limit close, the others carry on', () => {
	it('shareFor caps requests in flight and connections for a while, then lets the limit back', async () => {
		const { log, budget, leave, first } = await sharedTwoOfFive(150);
		const third = budget.acquire();
		expect(await isPending(third)).toBe(true);
		expect(budget.openPermits).toBe(2);

		// A freed permit goes to the waiter on the same connection, still within the share.
		first[0].release();
		const granted = await third;
		expect(idOf(granted.dispatcher)).toBe(idOf(first[0].dispatcher));
		expect(budget.openConnections).toBe(2);

		// Once the share lapses (no news for 150 ms), the limit of 5 is back.
		const more = [budget.acquire(), budget.acquire(), budget.acquire()];
		expect(await isPending(Promise.all(more))).toBe(true);
		const afterLapse = await Promise.all(more);
		expect(budget.openPermits).toBe(5);
		expect(log.opened).toHaveLength(5);
		expect(log.closed).toEqual([]);

		for (const permit of [first[1], granted, ...afterLapse]) permit.release();
		leave();
		await budget.close();
	});

	it('endShare lets the limit back at once (no process waits any more), not when the share lapses', async () => {
		const { log, budget, leave, first } = await sharedTwoOfFive(60_000);
		const more = [budget.acquire(), budget.acquire(), budget.acquire()];
		expect(await isPending(Promise.all(more))).toBe(true);

		budget.endShare();
		const granted = await Promise.all(more);
		expect(budget.openPermits).toBe(5);
		expect(log.opened).toHaveLength(5);

		for (const permit of [...first, ...granted]) permit.release();
		leave();
		await budget.close();
	});

	it('a smaller share closes idle connections now and busy ones once answered, and keeps the rest', async () => {
		const log = connectionLog();
		const budget = new AccountConnections(log.open);
		const leave = budget.join(5);
		const permits = await Promise.all([1, 2, 3, 4, 5].map(async () => await budget.acquire()));
		permits[4].release(); // connection 5 is idle
		budget.shareFor(2, 1_000);
		expect(log.closed).toEqual([5]);

		// Busy ones above the share close as their answers are read, until two are left...
		permits[0].release();
		permits[1].release();
		expect(log.closed).toEqual([5, 1, 2]);
		// ...and the two left carry the next requests, with no wait for the others and no new one.
		const next = budget.acquire();
		expect(await isPending(next)).toBe(true);
		permits[2].release();
		const reused = await next;
		expect(idOf(reused.dispatcher)).toBe(3);
		expect(log.opened).toHaveLength(5);
		expect(budget.openConnections).toBe(2);

		reused.release();
		permits[3].release();
		leave();
		await budget.close();
		expect(log.closed.sort()).toEqual([1, 2, 3, 4, 5]);
	});

	it('a rate limit closes one connection, not the pool: the next request goes out on a kept one', async () => {
		const log = connectionLog();
		const budget = new AccountConnections(log.open);
		const leave = budget.join(3);
		const permits = await Promise.all([1, 2, 3].map(async () => await budget.acquire()));
		budget.reportRateLimited(); // limit 2
		permits[0].release();
		expect(log.closed).toEqual([1]);
		permits[1].release();
		expect(log.closed).toEqual([1]);

		// Connection 3 is still busy; connection 2 takes the next request at once.
		const next = await budget.acquire();
		expect(idOf(next.dispatcher)).toBe(2);
		expect(budget.openConnections).toBe(2);
		next.release();
		permits[2].release();
		leave();
		await budget.close();
	});

	it('opens no connection beside closing ones past the limit (closing sockets still count)', async () => {
		let finishClosing: () => void = () => {};
		const opened: number[] = [];
		const budget = new AccountConnections(() => {
			opened.push(opened.length + 1);
			return {
				close: async () => await new Promise<void>((resolve) => (finishClosing = resolve)),
			} as unknown as Dispatcher;
		});
		const leave = budget.join(1);
		const held = await budget.acquire();
		held.release();
		budget.closeIdleSockets(); // connection 1 is closing, slowly
		const next = budget.acquire();
		expect(await isPending(next)).toBe(true);
		expect(opened).toEqual([1]);
		finishClosing();
		(await next).release();
		expect(opened).toEqual([1, 2]);
		leave();
		const closing = budget.close();
		finishClosing();
		await closing;
	});
});
