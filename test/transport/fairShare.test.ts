import {
	FairShare,
	GIVE_WAY_MS,
	TAKE_TURNS_MS,
} from '../../transport/fairShare';

describe('FairShare: the share of the account a process keeps while others wait', () => {
	it('divides the limit among the processes, rounded up, never below one', () => {
		expect(new FairShare().next(5, 1, 0)).toBe(5);
		expect(new FairShare().next(5, 2, 0)).toBe(3);
		expect(new FairShare().next(5, 3, 0)).toBe(2);
		expect(new FairShare().next(5, 4, 0)).toBe(2);
		expect(new FairShare().next(2, 7, 0)).toBe(1);
	});

	it('takes turns at the remainder: above the smaller share for TAKE_TURNS_MS, it drops to it until a socket has gone', () => {
		const share = new FairShare();
		// 5 among 3: 2, 2 and 1. This process holds 2, above the smaller share (1).
		expect(share.next(5, 3, 2, 0)).toBe(2);
		expect(share.next(5, 3, 2, TAKE_TURNS_MS - 1)).toBe(2);
		expect(share.next(5, 3, 2, TAKE_TURNS_MS)).toBe(1);
		// News that others still wait comes again before its busy socket is free: the turn holds.
		expect(share.next(5, 3, 2, TAKE_TURNS_MS + 200)).toBe(1);
		// The socket has gone: it gives way for GIVE_WAY_MS (the freed lease goes to another
		// process), then the clock starts again from the next time it holds more.
		const gone = TAKE_TURNS_MS + 400;
		expect(share.next(5, 3, 1, gone)).toBe(1);
		expect(share.next(5, 3, 1, gone + GIVE_WAY_MS - 1)).toBe(1);
		expect(share.next(5, 3, 1, gone + GIVE_WAY_MS)).toBe(2);
		const again = gone + GIVE_WAY_MS + 100;
		expect(share.next(5, 3, 2, again)).toBe(2);
		expect(share.next(5, 3, 2, again + TAKE_TURNS_MS - 1)).toBe(2);
		expect(share.next(5, 3, 2, again + TAKE_TURNS_MS)).toBe(1);
	});

	it('does not count the time a process held no more than the smaller share', () => {
		const share = new FairShare();
		expect(share.next(5, 3, 2, 0)).toBe(2);
		// Back at one socket: the clock stops.
		expect(share.next(5, 3, 1, 500)).toBe(2);
		expect(share.next(5, 3, 2, 600)).toBe(2);
		expect(share.next(5, 3, 2, 600 + TAKE_TURNS_MS - 1)).toBe(2);
		expect(share.next(5, 3, 2, 600 + TAKE_TURNS_MS)).toBe(1);
	});

	it('starts afresh once nobody waits: no giving way left over', () => {
		const share = new FairShare();
		expect(share.next(5, 3, 2, 0)).toBe(2);
		expect(share.next(5, 3, 2, TAKE_TURNS_MS)).toBe(1);
		expect(share.next(5, 3, 1, TAKE_TURNS_MS + 100)).toBe(1);
		share.reset();
		expect(share.next(5, 3, 1, TAKE_TURNS_MS + 150)).toBe(2);
	});

	it('never takes turns when the limit divides evenly (nobody is above the smaller share)', () => {
		const share = new FairShare();
		for (let t = 0; t <= 5 * TAKE_TURNS_MS; t += 250) expect(share.next(6, 3, 2, t)).toBe(2);
	});
});
