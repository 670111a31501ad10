import fc from 'fast-check';

import {
	readBalanceWatchState,
	watchBalance,
	type BalanceWatchState,
} from '../../engine/alerts/balanceWatch';

/** Runs a sequence of polls through watchBalance, carrying the state: what fired at each. */
function fired(balances: number[], threshold = 100, remindEveryPolls = 0) {
	let state: BalanceWatchState | undefined;
	return balances.map((balance) => {
		const decision = watchBalance(state, balance, { threshold, remindEveryPolls });
		state = decision.next;
		return decision.fire;
	});
}

describe('watchBalance', () => {
	it('fires once on the way down and once more after the balance came back (the issue)', () => {
		expect(fired([500, 400, 90, 80, 120, 70])).toEqual([
			null,
			null,
			'crossed',
			null,
			null,
			'crossed',
		]);
	});

	it('at the threshold is not below it: it re-arms the alert', () => {
		expect(fired([100, 99, 100, 99.99])).toEqual([null, 'crossed', null, 'crossed']);
	});

	it('fires on the first poll when the balance is already low, then stays quiet', () => {
		expect(fired([50, 40, 30])).toEqual(['crossed', null, null]);
	});

	it('reminds every N polls while the balance stays low, and counts again after each', () => {
		expect(fired([90, 80, 70, 60, 50, 40, 30], 100, 3)).toEqual([
			'crossed',
			null,
			null,
			'reminder',
			null,
			null,
			'reminder',
		]);
		expect(fired([90, 80, 70, 150, 70, 60, 50], 100, 2)).toEqual([
			'crossed',
			null,
			'reminder',
			null,
			'crossed',
			null,
			'reminder',
		]);
		expect(fired([90, 80, 70], 100, 1)).toEqual(['crossed', 'reminder', 'reminder']);
	});

	it("gives the previous poll's balance, null on the first", () => {
		const first = watchBalance(undefined, 500, { threshold: 100, remindEveryPolls: 0 });
		expect(first.previousBalance).toBeNull();
		const second = watchBalance(first.next, 90, { threshold: 100, remindEveryPolls: 0 });
		expect(second).toEqual({
			fire: 'crossed',
			previousBalance: 500,
			next: { lastBalance: 90, below: true, pollsSinceAlert: 0 },
		});
	});

	it('a lowered threshold re-arms, a raised one fires: nothing is remembered of the old one', () => {
		const low = watchBalance(undefined, 150, { threshold: 200, remindEveryPolls: 0 });
		expect(low.fire).toBe('crossed');
		const lowered = watchBalance(low.next, 150, { threshold: 100, remindEveryPolls: 0 });
		expect(lowered.fire).toBeNull();
		expect(watchBalance(lowered.next, 150, { threshold: 200, remindEveryPolls: 0 }).fire).toBe(
			'crossed',
		);
	});

	it('without reminders, fires exactly once per run of polls below the threshold', () => {
		fc.assert(
			fc.property(fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 60 }), (balances) => {
				const fires = fired(balances).filter((fire) => fire !== null).length;
				let runsBelow = 0;
				balances.forEach((balance, i) => {
					if (balance < 100 && (i === 0 || balances[i - 1] >= 100)) runsBelow += 1;
				});
				expect(fires).toBe(runsBelow);
			}),
		);
	});
});

describe('readBalanceWatchState', () => {
	it('reads what watchBalance stored, through JSON', () => {
		const { next } = watchBalance(undefined, 90, { threshold: 100, remindEveryPolls: 0 });
		expect(readBalanceWatchState(JSON.parse(JSON.stringify(next)))).toEqual(next);
	});

	it.each([
		undefined,
		null,
		'x',
		{},
		{ lastBalance: '90', below: true },
		{ lastBalance: 90 },
		{ lastBalance: NaN, below: false },
	])('treats %j as no state', (stored) => {
		expect(readBalanceWatchState(stored)).toBeUndefined();
	});

	it('a missing or odd poll count is 0', () => {
		expect(readBalanceWatchState({ lastBalance: 90, below: true, pollsSinceAlert: -2 })).toEqual({
			lastBalance: 90,
			below: true,
			pollsSinceAlert: 0,
		});
	});
});
