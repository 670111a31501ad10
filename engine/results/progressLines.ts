import type { Clock, ProgressLog } from '../ports';
import type { LookupRunProgress } from '../scheduling/lookupRun';

/** How far a run has got, items read included. */
export interface RunProgress extends LookupRunProgress {
	itemsRead: number;
	items: number;
}

/**
 * A long run writes a line to the host's log at a steady pace (numbers done / numbers to look up
 * so far, items read, requests, credits), so an operator can follow it: n8n has no live progress
 * channel to the editor. No timer: the run calls tick() as it goes (each request settled, each
 * slice of items read), and a line is written when `intervalMs` has passed since the last one
 * (the first after one interval: runs shorter than that write nothing).
 */
export class ProgressLines {
	private readonly startedAt: number;
	private lastLine: number;

	constructor(
		private readonly log: ProgressLog | undefined,
		private readonly label: string,
		private readonly intervalMs: number,
		private readonly clock: Clock,
		private readonly progress: () => RunProgress,
	) {
		this.startedAt = clock.now();
		this.lastLine = this.startedAt;
	}

	tick(): void {
		if (!this.log) return;
		const now = this.clock.now();
		if (now - this.lastLine < this.intervalMs) return;
		this.lastLine = now;
		const { done, total, itemsRead, items, requests, creditsSpent } = this.progress();
		const elapsed = Math.round((now - this.startedAt) / 1000);
		const n = (value: number) => value.toLocaleString('en-US');
		this.log.info(
			`${this.label}: ${n(done)} / ${n(total)} numbers done, ` +
				`${n(itemsRead)} / ${n(items)} items read, ${n(requests)} requests, ` +
				`${n(creditsSpent)} credits, ${elapsed} s`,
			{ done, total, itemsRead, items, requests, creditsSpent },
		);
	}
}
