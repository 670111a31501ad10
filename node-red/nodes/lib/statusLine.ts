import type { Node, NodeStatus } from './red';

/** Node-RED's advice: a node's status changes at most about once a second. */
export const STATUS_INTERVAL_MS = 1_000;

/**
 * A node's status, shown at most once per interval: a change that comes sooner is held and
 * shown when the interval is up (the latest one wins), so the editor always ends on the truth.
 */
export class StatusLine {
	private shownAt = -Infinity;
	private pending: NodeStatus | null = null;
	private timer: NodeJS.Timeout | null = null;

	constructor(
		private readonly node: Pick<Node, 'status'>,
		private readonly intervalMs = STATUS_INTERVAL_MS,
	) {}

	set(status: NodeStatus): void {
		this.pending = status;
		const wait = this.shownAt + this.intervalMs - Date.now();
		if (wait <= 0) this.flush();
		else this.timer ??= setTimeout(() => this.flush(), wait);
	}

	/** On close: nothing more is shown. */
	stop(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.pending = null;
	}

	private flush(): void {
		this.timer = null;
		if (!this.pending) return;
		this.node.status(this.pending);
		this.pending = null;
		this.shownAt = Date.now();
	}
}
