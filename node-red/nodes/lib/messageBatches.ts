import {
	LookupSession,
	type LookupInputsReport,
	type LookupSettings,
	type RoutedResult,
} from '../../../engine/lookupSession';
import type { ProgressLog } from '../../../engine/ports';
import type { ServiceClient } from '../../../engine/protocol/serviceClient';
import { ProgressLines } from '../../../engine/results/progressLines';
import { TimeSlices, WORK_SLICE_MS } from '../../../engine/scheduling/timeSlices';
import type { LookupRunProgress } from '../../../engine/scheduling/lookupRun';
import { nodeClock } from '../../../transport/nodeClock';
import type { NodeDone, NodeMessage, NodeSend } from './red';

/**
 * How long a batch collects messages after its first one (unless it fills up first: see
 * ROUNDS_PER_BATCH). The numbers of every message that
 * arrives meanwhile share requests of up to Numbers Per Request (a full request goes out as soon
 * as it is full, without waiting for the window to end); the window only holds back the last,
 * partial request, and each message's answers wait for its batch. 20 ms: a flow that sends a
 * burst (a split node, an inject of many messages, a loop over a file) delivers it in a few
 * milliseconds, and against the service's latency (100 ms and more) 20 ms is small.
 */
export const COLLECT_WINDOW_MS = 20;

/**
 * A batch also closes once it holds this many rounds of requests (Numbers Per Request × Max
 * Connections, and at least 1,000 numbers): a burst of 10,000 messages then becomes batches
 * whose answers leave while the later ones are still looked up, instead of all 10,000 waiting
 * for the last answer. Whole rounds, so no partial request but the last.
 */
const ROUNDS_PER_BATCH = 2;
const MIN_BATCH_NUMBERS = 1_000;

/** A long batch writes a progress line to Node-RED's log this often (as the n8n node does). */
const PROGRESS_LINE_MS = 10_000;

/** One input message waiting for its answers. */
export interface WaitingMessage {
	message: NodeMessage;
	send: NodeSend;
	done: NodeDone;
}

/** A batch whose lookups have ended: its messages, and one result per number they held. */
export interface FinishedBatch {
	messages: WaitingMessage[];
	/** `itemIndex` is the message's index in `messages`. */
	results: RoutedResult[];
	report: LookupInputsReport;
	durationMs: number;
}

export interface BatchOptions {
	/** Everything but the stop and the progress callback, which the batches add. */
	settings: Omit<LookupSettings, 'signal' | 'onRequestSettled'>;
	/** The node's stop: aborted in its close handler. */
	signal: AbortSignal;
	windowMs?: number;
	/** Where progress lines of long batches go (the node's log). */
	log: ProgressLog;
	label: string;
	/** A request settled, or a batch started or ended: progress() has changed. */
	onProgress: () => void;
	/** Every batch ends here, once, whatever happened (a stop included: report.stopped). */
	onFinished: (batch: FinishedBatch) => Promise<void> | void;
	/** A batch failed in a way the engine never should (a bug): its messages get the error. */
	onFailed: (error: Error) => void;
}

/**
 * Pools the numbers of messages that arrive close together (COLLECT_WINDOW_MS) into one lookup
 * session of the engine: each distinct number of the batch is looked up once, in requests of up
 * to Numbers Per Request, and every message gets its answers. Batches run side by side under the
 * account's one connection budget.
 */
export class MessageBatches {
	private open: Batch | null = null;
	private readonly running = new Set<Batch>();
	/** Messages taken whose numbers their batch's session has not been given yet (see add). */
	private readonly unread: Array<{ batch: Batch; itemIndex: number; numbers: readonly unknown[] }> = [];
	private reading: Promise<void> | null = null;

	constructor(private readonly options: BatchOptions) {}

	/**
	 * Adds a message and the numbers it holds (none: it is answered as holding no number) to the
	 * open batch, or to a new one on the client `openClient` gives (what it throws, add throws:
	 * the message is then in no batch).
	 *
	 * The message is taken now, its numbers a moment later: Node-RED delivers a burst of
	 * messages in one turn of the event loop, and normalising 10,000 numbers inside that turn
	 * (~3 µs each) held the first request back. They are read right after the burst, by one
	 * reader for every batch, in slices that let the first requests go out.
	 */
	add(waiting: WaitingMessage, numbers: readonly unknown[], openClient: () => ServiceClient): void {
		const opening = !this.open;
		if (!this.open) {
			const batch = new Batch(openClient(), this.options);
			this.open = batch;
			this.running.add(batch);
			batch.window = setTimeout(() => this.close(batch), this.options.windowMs ?? COLLECT_WINDOW_MS);
		}
		this.unread.push({ batch: this.open, itemIndex: this.open.take(waiting, numbers), numbers });
		this.reading ??= this.readUnread();
		if (opening) this.options.onProgress();
		const { numbersPerRequest, maxConnections } = this.options.settings;
		const full = Math.max(MIN_BATCH_NUMBERS, ROUNDS_PER_BATCH * numbersPerRequest * maxConnections);
		if (this.open.numbers >= full) this.close(this.open);
	}

	/** How far the running batches have got, together. */
	progress(): LookupRunProgress & { batches: number } {
		const sum = { done: 0, total: 0, requests: 0, creditsSpent: 0, unsent: 0, batches: this.running.size };
		for (const batch of this.running) {
			const progress = batch.session.progress();
			sum.done += progress.done;
			sum.total += progress.total;
			sum.requests += progress.requests;
			sum.creditsSpent += progress.creditsSpent;
			sum.unsent += progress.unsent;
		}
		return sum;
	}

	get busy(): boolean {
		return this.running.size > 0;
	}

	/**
	 * Closes the open batch and waits for the running ones, at most `limitMs`. Called after the
	 * stop signal aborted: the sessions then end as soon as their requests are aborted.
	 */
	async drain(limitMs: number): Promise<void> {
		if (this.open) this.close(this.open);
		let timer: NodeJS.Timeout | undefined;
		await Promise.race([
			Promise.all([...this.running].map(async (batch) => await batch.ended)),
			new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs))),
		]);
		clearTimeout(timer);
	}

	private async readUnread(): Promise<void> {
		await nodeClock.yieldTurn();
		const slices = new TimeSlices(WORK_SLICE_MS, nodeClock);
		for (let next = 0; next < this.unread.length && !this.options.signal.aborted; next++) {
			const { batch, itemIndex, numbers } = this.unread[next];
			batch.give(itemIndex, numbers);
			if (slices.due()) await slices.yield();
		}
		this.unread.length = 0;
		this.reading = null;
	}

	private close(batch: Batch): void {
		clearTimeout(batch.window);
		if (this.open === batch) this.open = null;
		batch.ended = (async () => {
			try {
				// Its numbers are in its session before the session is closed.
				while (this.reading) await this.reading;
				await this.options.onFinished(await batch.finish());
			} catch (error) {
				this.options.onFailed(error as Error);
				for (const { done } of batch.messages) done(error as Error);
			} finally {
				this.running.delete(batch);
				this.options.onProgress();
			}
		})();
	}
}

class Batch {
	readonly messages: WaitingMessage[] = [];
	/** Numbers added (a message with none counts one: it is answered too). */
	numbers = 0;
	readonly session: LookupSession;
	window: NodeJS.Timeout | undefined;
	ended: Promise<void> = Promise.resolve();
	private readonly leaveAccount: () => void;
	private readonly startedAt = Date.now();

	constructor(client: ServiceClient, options: BatchOptions) {
		const lines = new ProgressLines(options.log, options.label, PROGRESS_LINE_MS, nodeClock, () => ({
			...this.session.progress(),
			itemsRead: this.messages.length,
			items: this.messages.length,
		}));
		this.session = new LookupSession(
			{
				...options.settings,
				signal: options.signal,
				onRequestSettled: () => {
					lines.tick();
					options.onProgress();
				},
			},
			client,
			nodeClock,
		);
		this.leaveAccount = client.joinAccount(options.settings.maxConnections);
	}

	/** Takes a message into the batch; returns its index (its results' itemIndex). */
	take(waiting: WaitingMessage, numbers: readonly unknown[]): number {
		this.numbers += Math.max(1, numbers.length);
		return this.messages.push(waiting) - 1;
	}

	/** Gives the session a taken message's numbers (none: it is answered as holding no number). */
	give(itemIndex: number, numbers: readonly unknown[]): void {
		if (numbers.length === 0) {
			this.session.addNothing({ itemIndex, input: this.messages[itemIndex].message.payload ?? null });
			return;
		}
		for (const input of numbers) this.session.add({ itemIndex, input });
	}

	async finish(): Promise<FinishedBatch> {
		try {
			const { results, report } = await this.session.finish();
			return { messages: this.messages, results, report, durationMs: Date.now() - this.startedAt };
		} finally {
			this.leaveAccount();
		}
	}
}
