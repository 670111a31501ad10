import type { Clock } from '../../engine/ports';
import type { LookupRunProgress } from '../../engine/scheduling/lookupRun';
import { ReadPacer } from '../../engine/scheduling/readPacer';

/** A clock the test moves by hand; each turn may start requests (what an answer does). */
function handClock(minimumSliceMs: number, duringTurn: () => void = () => undefined) {
	const state = { time: 0, turns: 0 };
	const clock: Clock = {
		now: () => state.time,
		sleep: async () => undefined,
		yieldTurn: async () => {
			state.turns++;
			duringTurn();
		},
		minimumSliceMs,
	};
	return Object.assign(state, { clock });
}

const settings = { numbersPerRequest: 100, maxConnections: 5 };
const progressWith = (unsent: number, requests = 0): LookupRunProgress => ({
	done: 0,
	total: unsent,
	requests,
	creditsSpent: 0,
	unsent,
});

describe('ReadPacer', () => {
	it("reads in the host's minimum slice while the run waits for numbers, in 1 ms slices once two rounds are queued", () => {
		const clock = handClock(4);
		let unsent = 999;
		const pacer = new ReadPacer(() => progressWith(unsent), settings, clock.clock);
		clock.time = 1;
		expect(pacer.due()).toBe(false);
		unsent = 1_000;
		expect(pacer.due()).toBe(true);
		unsent = 0;
		clock.time = 4;
		expect(pacer.due()).toBe(true);
	});

	it('gives more turns while requests keep starting and reading is ahead (at most three), none when behind', async () => {
		let requests = 0;
		let unsent = 2_000;
		const clock = handClock(4, () => requests++);
		const pacer = new ReadPacer(() => progressWith(unsent, requests), settings, clock.clock);
		await pacer.yield();
		expect(clock.turns).toBe(4);

		clock.turns = 0;
		unsent = 10;
		await pacer.yield();
		expect(clock.turns).toBe(1);
	});

	it('starts a new slice after a yield', async () => {
		const clock = handClock(4);
		const pacer = new ReadPacer(() => progressWith(0), settings, clock.clock);
		clock.time = 10;
		expect(pacer.due()).toBe(true);
		await pacer.yield();
		expect(pacer.due()).toBe(false);
	});
});
