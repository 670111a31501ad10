import type { Clock } from '../ports';
import type { LookupRunProgress } from './lookupRun';

/** Read slice while reading is ahead of the requests: answers wait at most this long. */
const READ_SLICE_MS = 1;
/** Numbers queued for requests, in rounds (Numbers Per Request × Max Connections), that count as ahead. */
const LEAD_ROUNDS = 2;
/** Turns given after a slice during which requests started, at most. */
const MAX_EXTRA_TURNS = 3;

/**
 * Paces a host that reads its inputs synchronously (n8n evaluates item parameters, ~0.07 ms an
 * item) against the run those inputs feed. Every answer that arrives during a slice waits for
 * its end, and so does the next request on its connection; at L = 200 ms the requests sent
 * while 10,000 items were read left 10-12 ms after the answer before them, against 3-4 ms once
 * reading was done. So:
 *
 * - while the run has LEAD_ROUNDS of numbers queued, reading is ahead and its speed does not
 *   matter: slices of READ_SLICE_MS, however much a turn costs the host;
 * - otherwise the host's minimum slice (n8n's 1 ms turns: 4 ms slices keep reading at 80 %);
 * - while ahead, a request that started during the turn gets turns of its own (its connection
 *   opens, its body is written) before the next slice: up to MAX_EXTRA_TURNS while requests start.
 */
export class ReadPacer {
	private sliceStart: number;
	private readonly lead: number;
	private readonly behindSliceMs: number;

	constructor(
		private readonly progress: () => LookupRunProgress,
		settings: { numbersPerRequest: number; maxConnections: number },
		private readonly clock: Clock,
	) {
		this.lead = LEAD_ROUNDS * settings.numbersPerRequest * settings.maxConnections;
		this.behindSliceMs = Math.max(READ_SLICE_MS, clock.minimumSliceMs);
		this.sliceStart = clock.now();
	}

	/**
	 * Whether this slice has run its time: a clock read, cheap enough to ask every item (the run
	 * is asked only between the two slice lengths: its progress is an object a call, and one for
	 * each of 100,000 items took the peak RSS of a 100,000-number run from ~385 to ~425 MB).
	 */
	due(): boolean {
		const elapsed = this.clock.now() - this.sliceStart;
		if (elapsed < READ_SLICE_MS) return false;
		return elapsed >= this.behindSliceMs || this.ahead();
	}

	/**
	 * Gives the event loop a turn, and while reading is ahead more turns as long as requests
	 * keep starting; starts a new slice.
	 */
	async yield(): Promise<void> {
		let requests = this.progress().requests;
		await this.clock.yieldTurn();
		for (let extra = 0; extra < MAX_EXTRA_TURNS; extra++) {
			// One look at the run a turn: more turns only while ahead and requests keep starting.
			const now = this.progress();
			if (now.unsent < this.lead || now.requests === requests) break;
			requests = now.requests;
			await this.clock.yieldTurn();
		}
		this.sliceStart = this.clock.now();
	}

	private ahead(): boolean {
		return this.progress().unsent >= this.lead;
	}
}
