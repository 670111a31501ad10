import { monitorEventLoopDelay } from 'node:perf_hooks';

/** A timer tick this often; a gap longer than it is the event loop being held. */
const TICK_MS = 2;

export interface Stalls {
	/** Longest time the event loop was held, ms. */
	maxMs: number;
	/** 99th percentile of perf_hooks' event-loop delay, ms. */
	p99Ms: number;
}

/**
 * The longest event-loop stall over a stretch of time. perf_hooks.monitorEventLoopDelay gives
 * the distribution, but records a stall only once a later tick runs: one that lasts until
 * stop() (a node's synchronous loop right up to its return) would be missed. So a tick of its
 * own is timed too, and the gap still open at stop() counts.
 */
export class StallMonitor {
	private readonly histogram = monitorEventLoopDelay({ resolution: 10 });
	private timer: NodeJS.Timeout | null = null;
	private lastTick = 0;
	private maxGap = 0;

	start(): void {
		this.histogram.enable();
		this.lastTick = performance.now();
		this.timer = setInterval(() => this.tick(), TICK_MS);
	}

	stop(): Stalls {
		this.tick();
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
		this.histogram.disable();
		return {
			maxMs: Math.max(this.maxGap, this.histogram.max / 1e6),
			p99Ms: this.histogram.count > 0 ? this.histogram.percentile(99) / 1e6 : 0,
		};
	}

	private tick(): void {
		const now = performance.now();
		this.maxGap = Math.max(this.maxGap, now - this.lastTick - TICK_MS);
		this.lastTick = now;
	}
}
