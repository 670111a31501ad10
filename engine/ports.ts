/**
 * What the engine needs from its host, and nothing more: a way to reach the service (the
 * account's link), a clock, and a log. Each host plugs in its own: n8n's HTTP helpers and
 * n8n-workflow's sleep in the verified n8n package; undici, Node's timers and (in queue mode)
 * Redis in the queue-mode and Node-RED packages. The engine itself imports no host, no HTTP
 * client and no `node:` module, and owns no timer.
 */

/** One answer of the service, as it arrives: the body is read piece by piece. */
export interface ServiceResponse {
	status: number;
	/** A response header (name in lower case); undefined when absent. */
	header(name: string): string | undefined;
	body: AsyncIterable<Uint8Array>;
	/** Stops reading and frees the connection; harmless once the body has ended. */
	discard(): void;
}

/** What went wrong below HTTP, in the engine's words. */
export type NetworkFault =
	/** The connection could not be made or broke; `code` is the system code, e.g. ECONNREFUSED. */
	| { kind: 'network'; code: string; message: string }
	| { kind: 'timeout'; message: string };

/** The right to send one request on the account: the budget counts it until released. */
export interface LinkPermit {
	/**
	 * Sends one form POST to the account's base URL: `fields` (never the user or password: the
	 * link adds the account's credentials itself, in the body). Resolves once the answer's
	 * headers are in. `signal` aborts the request, in flight or reading.
	 */
	post(
		fields: Readonly<Record<string, string>>,
		options: { signal?: AbortSignal; timeoutMs: number },
	): Promise<ServiceResponse>;
	release(): void;
}

/**
 * One run's way to the service for one account: the account's connection budget (shared by
 * every run of the process that uses the account, and across processes where the host can),
 * and the HTTP client under it.
 */
export interface ServiceLink {
	/**
	 * Waits for the budget to allow one more request. Rejects when `signal` aborts (nothing was
	 * sent), or with an error for classify().
	 */
	acquire(signal?: AbortSignal): Promise<LinkPermit>;
	/** The link's own errors (from acquire, post or reading a body) as a network fault. */
	classify(error: unknown): NetworkFault;
	/** Registers a run's Max Connections with the account's budget; returns the leave function. */
	join(maxConnections: number): () => void;
	reportRateLimited(): void;
	reportCleanAnswer(): void;
	/**
	 * What happened to the budget's coordination while this link was in use (Redis unreachable,
	 * and back): one user-facing sentence each, no secrets. Empty where there is none.
	 */
	coordinationNotices(): string[];
	/** Whether any request of this link was counted across processes (Redis). */
	countedAcrossProcesses(): boolean;
}

/** Time, for back-off waits, retry deadlines and sharing the event loop. */
export interface Clock {
	now(): number;
	/** Waits `ms`; resolves early (never rejects) when `signal` aborts. */
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
	/** Lets everything waiting on the event loop run (I/O included), then resolves. */
	yieldTurn(): Promise<void>;
	/**
	 * The shortest slice of work worth a turn: a turn on a timer costs a millisecond or more
	 * (the event loop idles in it when nothing waits), one on setImmediate almost nothing.
	 */
	readonly minimumSliceMs: number;
}

/** Where progress lines go (n8n's logger, Node-RED's node log). */
export interface ProgressLog {
	info(message: string, meta?: Record<string, unknown>): void;
}
