import type { Dispatcher } from 'undici';

import { AccountConnections } from '../../transport/accountConnections';

/** A pool stand-in: these tests are about waiting for permits, not about sockets. */
const fakeDispatcher = () => ({ close: async () => undefined }) as unknown as Dispatcher;

const settled = async (promise: Promise<unknown>) => {
	const marker = Symbol('pending');
	const result = await Promise.race([
		promise.then(
			() => 'resolved',
			(e: Error) => e,
		),
		sleep(50).then(() => marker),
	]);
	return result === marker ? 'pending' : result;
};
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

describe('AccountConnections.acquire with an AbortSignal', () => {
	it('stops waiting at once when the signal aborts, and the aborted waiter takes no permit', async () => {
		const budget = new AccountConnections(fakeDispatcher);
		const leave = budget.join(1);
		const held = await budget.acquire();

		const controller = new AbortController();
		const waiting = budget.acquire(controller.signal);
		expect(await settled(waiting)).toBe('pending');
		controller.abort();
		const error = (await settled(waiting)) as Error;
		expect(error.name).toBe('AbortError');
		expect(budget.demand).toBe(1);

		// The permit freed next goes to the next waiter, not to the aborted one.
		const next = budget.acquire();
		held.release();
		expect(await settled(next)).toBe('resolved');
		expect(budget.openPermits).toBe(1);
		leave();
		await budget.close();
	});

	it('rejects at once for a signal that has already aborted, even with permits free', async () => {
		const budget = new AccountConnections(fakeDispatcher);
		const controller = new AbortController();
		controller.abort();
		await expect(budget.acquire(controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
		expect(budget.openPermits).toBe(0);
	});
});
