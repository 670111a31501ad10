import type { Clock } from '../ports';

/**
 * Long loops of synchronous work (reading 100,000 item parameters, building 100,000 results)
 * give the event loop a turn every few milliseconds: one thread serves the host's editor, its
 * webhooks, every other execution, and the answers this run is waiting for.
 *
 *   const slices = new TimeSlices(5, clock);
 *   for (...) { work(); if (slices.due()) await slices.yield(); }
 */
/**
 * A slice for building results and output messages. Short, because other work does wait on it:
 * in Node-RED one batch's messages are built while the next batches' answers arrive, and with
 * slices of 5 ms every fifth request in the Node-RED benchmark left 7-14 ms late. A turn on
 * setImmediate costs microseconds; hosts whose turns cost more raise it (Clock.minimumSliceMs).
 */
export const WORK_SLICE_MS = 1;

export class TimeSlices {
	private sliceStart: number;
	private readonly sliceMs: number;

	constructor(
		sliceMs: number,
		private readonly clock: Clock,
	) {
		this.sliceMs = Math.max(sliceMs, clock.minimumSliceMs);
		this.sliceStart = clock.now();
	}

	/** Whether this slice has run its time. A clock read: cheap enough to ask every item. */
	due(): boolean {
		return this.clock.now() - this.sliceStart >= this.sliceMs;
	}

	/** Lets everything waiting on the event loop run, then starts a new slice. */
	async yield(): Promise<void> {
		await this.clock.yieldTurn();
		this.sliceStart = this.clock.now();
	}
}
