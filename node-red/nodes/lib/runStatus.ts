import type { LookupInputsReport } from '../../../engine/lookupSession';
import type { RouteName } from '../../../engine/types';
import type { NodeStatus } from './red';

/** Batches that follow each other closer than this are one run in the status. */
const RUN_GAP_MS = 1_000;

const count = (n: number) => n.toLocaleString('en-US');

/**
 * What npl-lookup's status says: progress while batches run, then the outcome of the last run
 * (the batches that followed each other without a pause): messages per output, as counts.
 */
export class RunStatus {
	private routes = new Map<RouteName, number>();
	private notLookedUp = false;
	private lastEnded = -Infinity;
	/** What stopped the last run's messages (shown until a new run starts). */
	private failure: string | null = null;

	constructor(private readonly routeNames: readonly RouteName[]) {}

	/** A batch begins: after a pause, a new run with its own counts. */
	batchStarted(): void {
		if (Date.now() - this.lastEnded > RUN_GAP_MS) {
			this.routes = new Map();
			this.notLookedUp = false;
			this.failure = null;
		}
	}

	/** A batch's messages went to Catch (the account refused): the status says why, in red. */
	batchFailed(text: string): void {
		this.lastEnded = Date.now();
		this.failure = text;
	}

	batchFinished(report: LookupInputsReport): void {
		this.lastEnded = Date.now();
		for (const [route, n] of Object.entries(report.routes) as Array<[RouteName, number]>) {
			this.routes.set(route, (this.routes.get(route) ?? 0) + n);
		}
		if (Object.values(report.notLookedUp).some((n) => (n ?? 0) > 0)) this.notLookedUp = true;
	}

	progress(p: { done: number; total: number; requests: number }): NodeStatus {
		return {
			fill: 'blue',
			shape: 'dot',
			text: `${count(p.done)} / ${count(p.total)} numbers · ${count(p.requests)} requests`,
		};
	}

	/** Outputs that got messages, in output order; yellow when a number could not be looked up. */
	outcome(): NodeStatus {
		if (this.failure) return { fill: 'red', shape: 'ring', text: this.failure };
		const parts = this.routeNames
			.filter((route) => (this.routes.get(route) ?? 0) > 0)
			.map((route) => `${route} ${count(this.routes.get(route) ?? 0)}`);
		return {
			fill: this.notLookedUp ? 'yellow' : 'green',
			shape: 'dot',
			text: parts.join(' · ') || 'no numbers',
		};
	}
}
