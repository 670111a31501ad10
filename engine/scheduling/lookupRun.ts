import type { Clock } from '../ports';
import { toLookupFields } from '../results/typedFields';
import type { LookupFields, NotLookedUpReason, NumberOutcome, RawLookupObject } from '../types';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff';
import type { LookupTransport, RequestFailure } from './transportContract';

/** One lookup to make. With duplicates looked up once, `key` is the digits themselves. */
export interface LookupJob {
	key: string;
	digits: string;
}

export interface LookupRunOptions {
	transport: LookupTransport;
	/** Numbers per request, 1–100; lowered by the run when the service says "Request too long". */
	numbersPerRequest: number;
	/** Requests in flight at once; lowered by the run when the service rate-limits. */
	maxConnections: number;
	/** Credits one lookup costs (1, or 1.2 with the serving MSC). */
	costPerNumber: number;
	/** Stop before spending more than this; undefined for no cap. */
	maxCredits?: number;
	retry?: Partial<RetryPolicy>;
	/**
	 * The execution's stop (n8n's cancel signal). Once it aborts: no request starts, requests in
	 * flight are aborted, back-off waits end, and every number not yet answered gets `stopped`.
	 */
	signal?: AbortSignal;
	random?: () => number;
	/** Back-off waits (ended early by `signal`) and the retry deadline. */
	clock: Clock;
	/** Called each time a request has settled (progress lines). */
	onRequestSettled?: () => void;
}

export interface LookupRunReport {
	/** One outcome per job key. */
	outcomes: Map<string, NumberOutcome>;
	requests: number;
	/** Credits the received answers say they cost. */
	creditsSpent: number;
	/**
	 * Numbers sent whose answers never arrived (broken connection, timeout, garbage): the
	 * service may have charged for them. They were retried, so they may have been paid twice.
	 */
	unconfirmedCharges: number;
	/** Set when the account's credentials were refused; the caller turns it into one error. */
	invalidCredentials: boolean;
	/** Numbers per request the run ended with (below the setting after "Request too long"). */
	finalNumbersPerRequest: number;
	/** Requests the service refused with ERR RATE_LIMIT_EXCEEDED. */
	rateLimitedRequests: number;
	/** The fewest requests in flight the run allowed itself (below the setting after rate limits). */
	lowestConnections: number;
	/** The account's balance as the latest answer gave it (`userbalance`); null when none did. */
	lastBalance: number | null;
	/** Whether the run was stopped through its signal. */
	stopped: boolean;
	/** Jobs the service answered for. */
	numbersLookedUp: number;
	/** Jobs not looked up, by reason. */
	notLookedUp: Partial<Record<NotLookedUpReason, number>>;
}

/** How far a run has got, for progress lines. */
export interface LookupRunProgress {
	/** Jobs with an outcome. */
	done: number;
	/** Jobs added so far. */
	total: number;
	requests: number;
	creditsSpent: number;
	/** Jobs added and not yet sent (retries included). */
	unsent: number;
}

/** Jobs sent before the queue drops them (at 100,000 numbers it held every job to the end). */
const QUEUE_COMPACT_AT = 1_024;
/** Consecutive clean answers after which a concurrency lowered by a rate limit rises by one. */
const RECOVERY_STREAK = 10;
/** The older service rule ("more than ten") the first "Request too long" drops to. */
const LEGACY_MAX_PER_REQUEST = 10;

const STOPPED: StopCause = { reason: 'stopped', detail: '' };

/**
 * Looks up every job once, over bounded concurrency, surviving what the service does:
 * shrinking batches on "Request too long", backing off and narrowing on rate limits,
 * resending only the numbers whose answers were lost, and stopping cleanly when credit
 * runs out. Every job ends with exactly one outcome.
 */
export async function runLookups(
	jobs: readonly LookupJob[],
	options: LookupRunOptions,
): Promise<LookupRunReport> {
	return await new LookupRun(jobs, options, false).run();
}

/** A run whose jobs arrive while it is already sending (see startLookups). */
export interface StreamingLookupRun {
	/** Queues one more job. */
	add(job: LookupJob): void;
	/** No more jobs will come: the last, partial batch may go. */
	close(): void;
	/** Sends nothing more (requests in flight finish); unsent jobs get `reason`. Closes. */
	abort(reason: NotLookedUpReason, detail: string): void;
	/** Settles once the input is closed and every job has its outcome. */
	readonly report: Promise<LookupRunReport>;
	/**
	 * Resolves once the input is closed and every job has been sent (a retry may still follow),
	 * or when the run ends: the wait for the last answers, in which the results of the others
	 * can be built.
	 */
	readonly allSent: Promise<void>;
	/** A job's outcome, once it has one: final, it never changes. */
	outcomeOf(key: string): NumberOutcome | undefined;
	/** Drops an outcome its holder has used: the report's outcomes then lack it. */
	forget(key: string): void;
	progress(): LookupRunProgress;
}

/**
 * runLookups for jobs that are still being produced (the node reads item parameters while the
 * first requests are in flight). Until close(), only full batches are sent, so a slow producer
 * does not turn into more, smaller requests.
 */
export function startLookups(options: LookupRunOptions): StreamingLookupRun {
	const run = new LookupRun([], options, true);
	const report = run.run();
	// Awaited by whoever closes the input; a producer that fails first must not leave it unhandled.
	report.catch(() => undefined);
	return {
		add: (job) => run.add(job),
		close: () => run.closeInput(),
		abort: (reason, detail) => run.abort({ reason, detail }),
		report,
		allSent: run.allSent,
		outcomeOf: (key) => run.outcomeOf(key),
		forget: (key) => run.forget(key),
		progress: () => run.progress(),
	};
}

interface StopCause {
	reason: NotLookedUpReason;
	detail: string;
}

class LookupRun {
	private readonly policy: RetryPolicy;
	private readonly random: () => number;
	private readonly clock: Clock;
	private readonly startedAt: number;

	/** Jobs not yet sent, front first; retries go back to the front. */
	private queue: LookupJob[];
	private queueHead = 0;
	private readonly retryFront: LookupJob[] = [];

	private readonly outcomes = new Map<string, NumberOutcome>();
	/** Jobs with an outcome, forgotten ones included (progress counts them). */
	private settledJobs = 0;
	readonly allSent: Promise<void>;
	private markAllSent!: () => void;
	private readonly attempts = new Map<string, number>();
	private readonly rateLimitAttempts = new Map<string, number>();

	private batchSize: number;
	private concurrency: number;
	private successStreak = 0;
	private stop: StopCause | null = null;
	/** Whether more jobs may still be added (startLookups). */
	private inputOpen: boolean;
	/** Wakes the run loop when jobs arrive or the input closes. */
	private inputArrived: (() => void) | null = null;

	private requests = 0;
	private creditsSpent = 0;
	private creditsReserved = 0;
	private requestsInFlight = 0;
	private unconfirmedCharges = 0;
	/** What the lost answers may have cost: spent, as far as Max Credits is concerned. */
	private creditsUnconfirmed = 0;
	private invalidCredentials = false;
	private rateLimitedRequests = 0;
	private lowestConnections: number;
	private lastBalance: number | null = null;
	private jobsAdded: number;
	private stopped = false;
	/** Outcomes counted as they are set: no pass over 100,000 of them at the end. */
	private numbersLookedUp = 0;
	private readonly notLookedUp: Partial<Record<NotLookedUpReason, number>> = {};
	private readonly onStopSignal = () => this.stopNow();

	constructor(
		jobs: readonly LookupJob[],
		private readonly options: LookupRunOptions,
		inputOpen: boolean,
	) {
		this.inputOpen = inputOpen;
		this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
		this.random = options.random ?? Math.random;
		this.clock = options.clock;
		this.startedAt = this.clock.now();
		this.queue = jobs.slice();
		this.batchSize = clampInt(options.numbersPerRequest, 1, 100);
		this.concurrency = clampInt(options.maxConnections, 1, Number.MAX_SAFE_INTEGER);
		this.lowestConnections = this.concurrency;
		this.jobsAdded = jobs.length;
		this.allSent = new Promise((resolve) => (this.markAllSent = resolve));
		if (options.signal?.aborted) this.stopNow();
		else options.signal?.addEventListener('abort', this.onStopSignal, { once: true });
	}

	async run(): Promise<LookupRunReport> {
		const inFlight = new Set<Promise<void>>();
		for (;;) {
			while (!this.stop && inFlight.size < this.concurrency) {
				const batch = this.takeBatch();
				if (!batch) break;
				const request: Promise<void> = this.send(batch).finally(() => {
					inFlight.delete(request);
					this.options.onRequestSettled?.();
				});
				inFlight.add(request);
			}
			if (!this.inputOpen && !this.hasQueued()) this.markAllSent();
			if (inFlight.size === 0 && !this.inputOpen) break;
			const arrival = new Promise<void>((resolve) => (this.inputArrived = resolve));
			await Promise.race([...inFlight, arrival]);
			this.inputArrived = null;
		}
		this.options.signal?.removeEventListener('abort', this.onStopSignal);
		this.settleUnanswered();
		this.markAllSent();
		return {
			outcomes: this.outcomes,
			requests: this.requests,
			creditsSpent: roundCredits(this.creditsSpent),
			unconfirmedCharges: this.unconfirmedCharges,
			invalidCredentials: this.invalidCredentials,
			finalNumbersPerRequest: this.batchSize,
			rateLimitedRequests: this.rateLimitedRequests,
			lowestConnections: this.lowestConnections,
			lastBalance: this.lastBalance,
			stopped: this.stopped,
			numbersLookedUp: this.numbersLookedUp,
			notLookedUp: this.notLookedUp,
		};
	}

	progress(): LookupRunProgress {
		return {
			done: this.settledJobs,
			total: this.jobsAdded,
			requests: this.requests,
			creditsSpent: roundCredits(this.creditsSpent),
			unsent: this.queue.length - this.queueHead + this.retryFront.length,
		};
	}

	outcomeOf(key: string): NumberOutcome | undefined {
		return this.outcomes.get(key);
	}

	forget(key: string): void {
		this.outcomes.delete(key);
	}

	add(job: LookupJob): void {
		this.jobsAdded++;
		this.queue.push(job);
		// Wake the run loop when a full batch is ready; a stopped run waits only for close().
		if (this.inputArrived && !this.stop && this.queuedCount() >= this.batchSize) this.inputArrived();
	}

	closeInput(): void {
		this.inputOpen = false;
		this.inputArrived?.();
	}

	abort(cause: StopCause): void {
		this.stop ??= cause;
		this.closeInput();
	}

	/** The execution was stopped: whatever else stopped the run, numbers left are `stopped`. */
	private stopNow(): void {
		this.stopped = true;
		this.abort(STOPPED);
	}

	private queuedCount(): number {
		return this.retryFront.length + this.queue.length - this.queueHead;
	}

	/** The next request's numbers, within the batch size and the credit cap; null when none. */
	private takeBatch(): LookupJob[] | null {
		let size = this.batchSize;
		if (this.options.maxCredits !== undefined) {
			const left =
				this.options.maxCredits - this.creditsSpent - this.creditsUnconfirmed - this.creditsReserved;
			// A small epsilon: 1.2-credit lookups must not lose one to floating point.
			size = Math.min(size, Math.floor(left / this.options.costPerNumber + 1e-9));
			if (size <= 0) {
				if (this.hasQueued() && this.requestsInFlight === 0) {
					this.stop = {
						reason: 'credit_cap',
						detail: `Max Credits (${this.options.maxCredits}) would be passed by looking up this number.`,
					};
				}
				return null;
			}
		}
		// While jobs are still arriving, only a full batch goes: the bound C·B/L needs full ones.
		if (this.inputOpen && this.queuedCount() < size) return null;
		const batch: LookupJob[] = [];
		const inBatch = new Set<string>();
		// Skipped jobs (a second copy of a number already in this batch) keep their place.
		const skipped: LookupJob[] = [];
		while (batch.length < size) {
			const job = this.dequeue();
			if (!job) break;
			if (this.outcomes.has(job.key)) continue;
			if (inBatch.has(job.digits)) {
				skipped.push(job);
				continue;
			}
			inBatch.add(job.digits);
			batch.push(job);
		}
		for (let i = skipped.length - 1; i >= 0; i--) this.retryFront.push(skipped[i]);
		return batch.length > 0 ? batch : null;
	}

	private dequeue(): LookupJob | undefined {
		if (this.retryFront.length > 0) return this.retryFront.pop();
		if (this.queueHead >= this.queue.length) return undefined;
		const job = this.queue[this.queueHead++];
		// Jobs sent are dropped from the queue now and then (not one by one: a shift is O(n)).
		if (this.queueHead >= QUEUE_COMPACT_AT && this.queueHead * 2 >= this.queue.length) {
			this.queue = this.queue.slice(this.queueHead);
			this.queueHead = 0;
		}
		return job;
	}

	private hasQueued(): boolean {
		return this.retryFront.length > 0 || this.queueHead < this.queue.length;
	}

	private requeue(jobs: readonly LookupJob[]): void {
		for (let i = jobs.length - 1; i >= 0; i--) this.retryFront.push(jobs[i]);
	}

	private async send(batch: LookupJob[]): Promise<void> {
		const cost = batch.length * this.options.costPerNumber;
		this.creditsReserved += cost;
		this.requestsInFlight++;
		this.requests++;
		const awaiting = new Map<string, LookupJob>();
		for (const job of batch) awaiting.set(job.digits, job);

		let failure: RequestFailure | null;
		try {
			failure = await this.options.transport.lookup(
				batch.map((job) => job.digits),
				(raw) => this.accept(raw, awaiting),
				this.options.signal,
			);
		} finally {
			this.creditsReserved -= cost;
			this.requestsInFlight--;
		}

		const missing = [...awaiting.values()];
		if (missing.length === 0 && !failure) {
			this.onCleanAnswer();
			return;
		}
		await this.handleFailure(
			// The answer ended cleanly without them: not a broken connection, an answer that is wrong.
			failure ?? {
				kind: 'protocol',
				message: `The answer held ${batch.length - missing.length} of ${batch.length} numbers.`,
			},
			missing,
		);
	}

	/** Keeps one answer object the moment it is read. */
	private accept(raw: RawLookupObject, awaiting: Map<string, LookupJob>): void {
		const fields = toLookupFields(raw);
		// An object with none of the documented fields ({"error": "..."} from a gateway, {}) is
		// not anybody's result: its number stays missing and is asked again.
		if (!isLookupResult(fields)) return;
		const digits = typeof raw.msisdn === 'string' || typeof raw.msisdn === 'number'
			? String(raw.msisdn).replace(/\D/g, '')
			: '';
		let job = awaiting.get(digits);
		if (!job) {
			// The service answers in request order; an object whose msisdn we cannot match
			// (absent, or rewritten) belongs to the first number still waiting.
			const first = awaiting.values().next();
			if (first.done) return;
			job = first.value;
		}
		awaiting.delete(job.digits);
		this.creditsSpent += fields.transactioncost ?? this.options.costPerNumber;
		if (fields.userbalance !== null) this.lastBalance = fields.userbalance;
		this.outcomes.set(job.key, { lookedUp: true, fields });
		this.settledJobs++;
		this.numbersLookedUp++;
	}

	private onCleanAnswer(): void {
		if (this.concurrency < this.options.maxConnections && ++this.successStreak >= RECOVERY_STREAK) {
			this.concurrency++;
			this.successStreak = 0;
		}
	}

	private async handleFailure(failure: RequestFailure, missing: LookupJob[]): Promise<void> {
		this.successStreak = 0;
		switch (failure.kind) {
			case 'invalid_password':
				this.requeue(missing);
				this.invalidCredentials = true;
				this.stop = {
					reason: 'invalid_credentials',
					detail: 'The service refused the credential (FAIL Invalid password).',
				};
				return;
			case 'insufficient_credit':
				this.requeue(missing);
				this.stop ??= {
					reason: 'insufficient_credit',
					detail: 'The service answered FAIL Insufficient credit.',
				};
				return;
			case 'request_too_long':
				return this.shrinkBatches(missing);
			case 'no_numbers':
				return this.fail(missing, 'request_rejected', 'The service answered "No numbers specified".');
			case 'rate_limited':
				return await this.retryAfterRateLimit(missing, failure.retryAfterMs);
			case 'http_status':
				if (!isRetryableStatus(failure.status)) {
					return this.fail(missing, 'request_rejected', failure.message);
				}
				return await this.retry(missing, 'service_unavailable', failure.message, failure.retryAfterMs);
			case 'network':
				if (failure.code === 'ENOTFOUND') {
					// A host that does not resolve will not resolve a second later.
					return this.fail(missing, 'network_error', failure.message);
				}
				if (failure.code !== 'ECONNREFUSED') this.answersLost(missing);
				return await this.retry(missing, 'network_error', failure.message);
			case 'timeout':
				this.answersLost(missing);
				return await this.retry(missing, 'timeout', failure.message);
			case 'truncated':
				this.answersLost(missing);
				return await this.retry(missing, 'network_error', failure.message);
			case 'protocol':
				this.answersLost(missing);
				return await this.retry(missing, 'protocol_error', failure.message);
			case 'stopped':
				// An aborted request that had left may have been charged; its numbers are not retried.
				if (failure.sent) this.answersLost(missing);
				this.requeue(missing);
				return;
		}
	}

	/**
	 * Answers that may have been charged and were lost in transit. They count as spent for Max
	 * Credits (docs/behaviour.md, "Guarantees"), so that the retries cannot take the service past the cap.
	 */
	private answersLost(missing: readonly LookupJob[]): void {
		this.unconfirmedCharges += missing.length;
		this.creditsUnconfirmed += missing.length * this.options.costPerNumber;
	}

	/** "Request too long": the service's limit is below ours. Drop to 10, then halve. */
	private shrinkBatches(missing: LookupJob[]): void {
		if (missing.length <= 1) {
			this.fail(missing, 'request_rejected', 'The service refused a request of one number as too long.');
			return;
		}
		const next = missing.length > LEGACY_MAX_PER_REQUEST ? LEGACY_MAX_PER_REQUEST : Math.floor(missing.length / 2);
		this.batchSize = Math.min(this.batchSize, next);
		this.requeue(missing);
	}

	private async retryAfterRateLimit(missing: LookupJob[], retryAfterMs?: number): Promise<void> {
		this.rateLimitedRequests++;
		this.concurrency = Math.max(1, this.concurrency - 1);
		this.lowestConnections = Math.min(this.lowestConnections, this.concurrency);
		const attempt = bump(this.rateLimitAttempts, missing);
		if (attempt >= this.policy.maxRateLimitAttempts || this.retryTimeIsUp()) {
			this.fail(missing, 'rate_limited', 'The service kept answering ERR RATE_LIMIT_EXCEEDED.');
			return;
		}
		await this.clock.sleep(backoffDelayMs(attempt, this.policy, this.random, retryAfterMs), this.options.signal);
		this.requeue(missing);
	}

	private async retry(
		missing: LookupJob[],
		reason: NotLookedUpReason,
		detail: string,
		retryAfterMs?: number,
	): Promise<void> {
		const attempt = bump(this.attempts, missing);
		const timeIsUp = this.retryTimeIsUp();
		const retrying: LookupJob[] = [];
		const givingUp: LookupJob[] = [];
		for (const job of missing) {
			const exhausted = timeIsUp || (this.attempts.get(job.key) ?? 0) >= this.policy.maxAttempts;
			(exhausted ? givingUp : retrying).push(job);
		}
		this.fail(givingUp, reason, detail);
		if (retrying.length === 0) return;
		await this.clock.sleep(backoffDelayMs(attempt, this.policy, this.random, retryAfterMs), this.options.signal);
		this.requeue(retrying);
	}

	private retryTimeIsUp(): boolean {
		return this.clock.now() - this.startedAt >= this.policy.maxRetryTimeMs;
	}

	private fail(jobs: readonly LookupJob[], reason: NotLookedUpReason, detail: string): void {
		for (const job of jobs) {
			if (this.outcomes.has(job.key)) continue;
			this.outcomes.set(job.key, { lookedUp: false, reason, detail });
			this.settledJobs++;
			this.notLookedUp[reason] = (this.notLookedUp[reason] ?? 0) + 1;
		}
	}

	/** Whatever a stop left unsent gets the stop's reason. */
	private settleUnanswered(): void {
		const cause = this.stopped
			? STOPPED
			: (this.stop ?? { reason: 'request_rejected' as const, detail: 'The number was not sent.' });
		const left: LookupJob[] = [];
		for (let job = this.dequeue(); job; job = this.dequeue()) left.push(job);
		this.fail(left, cause.reason, cause.detail);
	}
}

function isLookupResult(fields: LookupFields): boolean {
	// for…in, not Object.values: no array of 30 values for each answer, and msisdn comes first.
	for (const name in fields) if (fields[name as keyof LookupFields] !== null) return true;
	return false;
}

/** 5xx (but 501, "not implemented", which will not change) and 408/425/429 may pass. */
function isRetryableStatus(status: number): boolean {
	return (status >= 500 && status !== 501) || status === 408 || status === 425 || status === 429;
}

/** Counts one more attempt for each job; returns the highest count among them. */
function bump(counts: Map<string, number>, jobs: readonly LookupJob[]): number {
	let highest = 0;
	for (const job of jobs) {
		const next = (counts.get(job.key) ?? 0) + 1;
		counts.set(job.key, next);
		highest = Math.max(highest, next);
	}
	return highest;
}

function clampInt(value: number, min: number, max: number): number {
	return Math.min(max, Math.max(min, Math.floor(Number.isFinite(value) ? value : min)));
}

function roundCredits(value: number): number {
	return Math.round(value * 100) / 100;
}
