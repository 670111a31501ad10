import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

import type { Accounts } from './accounts';
import type { FaultPlan } from './faults';
import { malformedBody } from './faults';
import { sleep } from './latency';
import type { Ledger, LedgerEntry } from './ledger';
import type { SandboxOptions } from './options';
import { answerObject, csvLine, formatCredits, type AnswerFormat } from './render';
import type { RequestRecord } from './requests';
import { lookupSubscriber, normaliseEntry, type Subscriber } from './subscribers';

/** Cost of one lookup in hundredths of a credit: 1.00, or 1.20 with msc=1. */
export function lookupCost(msc: boolean): number {
	return msc ? 120 : 100;
}

export interface LookupJob {
	readonly res: ServerResponse;
	readonly socket: Socket;
	readonly record: RequestRecord;
	readonly account: string;
	readonly entries: readonly string[];
	readonly format: AnswerFormat;
	readonly msc: boolean;
	readonly plan: FaultPlan;
	readonly options: SandboxOptions;
	readonly accounts: Accounts;
	readonly ledger: Ledger;
	/** Aborts when the connection closes. */
	readonly signal: AbortSignal;
	/** Headers every answer carries (request id...). */
	readonly headers: Record<string, string>;
}

interface Produced {
	readonly entry: LedgerEntry;
	/** The bytes of this number: object (with its leading comma) or CSV line. */
	readonly chunk: string;
}

const CONTENT_TYPE: Record<AnswerFormat, string> = {
	json: 'application/json; charset=utf-8',
	csv: 'text/plain; charset=utf-8',
};

/** Writes and resolves true once flushed to the socket; false on error or when the client left. */
function writeChunk(res: ServerResponse, data: string, signal: AbortSignal): Promise<boolean> {
	return new Promise((resolve) => {
		if (res.destroyed || signal.aborted) {
			resolve(false);
			return;
		}
		const onAbort = () => resolve(false);
		signal.addEventListener('abort', onAbort, { once: true });
		res.write(data, (error) => {
			signal.removeEventListener('abort', onAbort);
			resolve(!error);
		});
	});
}

/** One number's answer with the userbalance value left out (JSON), or all of it (CSV). */
interface Template {
	readonly before: string;
	/** What follows the userbalance value; null when the answer has none (CSV). */
	readonly after: string | null;
}

const BALANCE_KEY = '"userbalance":"';

/**
 * Renders an answer once, with a stand-in balance, and splits it around the userbalance value.
 * Every value is a JSON string, so an unescaped `"userbalance":"` can only be that key, and the
 * value (digits and a dot) runs to the next quote. Same bytes as rendering with the real balance.
 */
function renderTemplate(
	subscriber: Subscriber,
	isJson: boolean,
	cost: number,
	msc: boolean,
): Template {
	const charge = { cost, balanceAfter: 0, msc };
	if (!isJson) return { before: csvLine(subscriber, charge), after: null };
	const json = JSON.stringify(answerObject(subscriber, charge));
	const start = json.indexOf(BALANCE_KEY) + BALANCE_KEY.length;
	const end = json.indexOf('"', start);
	return { before: json.slice(0, start), after: json.slice(end) };
}

function firstHalf(chunk: string): string {
	return chunk.slice(0, Math.max(1, Math.floor(chunk.length / 2)));
}

/**
 * Answers a lookup whose whole cost was reserved by the caller. Charges each number when its
 * answer is produced (see Ledger), applies the malformed and drop faults, and releases whatever
 * part of the reservation was not charged.
 */
export async function answerLookup(job: LookupJob): Promise<void> {
	const { res, record, account, entries, format, msc, plan, options, accounts, ledger, signal } =
		job;
	const cost = lookupCost(msc);
	let charged = 0;
	const settings = {
		seed: options.seed,
		portedShare: options.portedShare,
		errorShare: options.errorShare,
	};
	const isJson = format === 'json';

	// The part of each answer that does not depend on the balance (libphonenumber, the generator,
	// the JSON rendering) is a pure function of the number: it is rendered once, while the request
	// waits out its latency, so that when a number's wait ends only the charge and the userbalance
	// value are left to do. Rendered lazily when there is no wait.
	let templates: Array<Template | undefined> = [];
	const templateOf = (index: number): Template => {
		let template = templates[index];
		if (template === undefined) {
			template = renderTemplate(lookupSubscriber(entries[index], settings), isJson, cost, msc);
			templates[index] = template;
		}
		return template;
	};
	const prerender = () => {
		templates = entries.map((_, index) => templateOf(index));
	};
	const produce = (index: number): Produced => {
		const template = templateOf(index);
		const balanceAfter = accounts.charge(account, cost);
		charged++;
		record.charged++;
		const entry = ledger.charge(account, normaliseEntry(entries[index]), cost, record.id);
		const body =
			template.after === null
				? template.before
				: template.before + formatCredits(balanceAfter) + template.after;
		return { entry, chunk: isJson && index > 0 ? ',' + body : body };
	};
	const deliver = (entry: LedgerEntry) => {
		entry.delivered = true;
		record.delivered++;
	};
	const drop = () => {
		job.socket.destroy();
	};

	try {
		if (plan.malformed) {
			record.faults.push('malformed');
			record.outcome = 'fault:malformed';
			const { contentType, body } = malformedBody(plan.malformed, normaliseEntry(entries[0]));
			record.status = 200;
			res.writeHead(200, {
				...job.headers,
				'Content-Type': contentType,
				'Content-Length': Buffer.byteLength(body),
			});
			res.end(body);
			return;
		}
		const dropAfter = plan.dropAfter;
		if (dropAfter !== null) {
			record.faults.push('drop');
			record.outcome = 'fault:drop';
		}
		const open = isJson ? '[' : '';
		const close = isJson ? ']' : '';

		if (options.streaming) {
			record.status = 200;
			res.writeHead(200, { ...job.headers, 'Content-Type': CONTENT_TYPE[format] });
			if (open) res.write(open);
			else res.flushHeaders();
			const waited = sleep(record.plannedDelayMs, signal);
			if (record.plannedDelayMs > 0) prerender();
			if (!(await waited)) return;
			let index = 0;
			if (options.latency.perNumberMs <= 0) {
				// Every number's wait ends at the same moment: the objects before the drop point (all
				// of them without a drop) are charged in order and go out in one write; its callback
				// delivers them all. A drop then cuts inside the next object, as below.
				const ready = dropAfter === null ? entries.length : Math.min(dropAfter, entries.length);
				const batch: Produced[] = [];
				for (; index < ready; index++) batch.push(produce(index));
				if (batch.length > 0) {
					if (!(await writeChunk(res, batch.map((p) => p.chunk).join(''), signal))) return;
					batch.forEach((p) => deliver(p.entry));
				}
			}
			for (; index < entries.length; index++) {
				if (!(await sleep(options.latency.perNumberMs, signal))) return;
				const { entry, chunk } = produce(index);
				if (dropAfter !== null && index === dropAfter) {
					await writeChunk(res, firstHalf(chunk), signal);
					drop();
					return;
				}
				if (!(await writeChunk(res, chunk, signal))) return;
				deliver(entry);
			}
			if (dropAfter !== null) {
				drop();
				return;
			}
			res.end(close);
			return;
		}

		// Buffered: all the waiting first, then every number charged, then one write.
		const wait = record.plannedDelayMs + entries.length * options.latency.perNumberMs;
		const waited = sleep(wait, signal);
		if (wait > 0) prerender();
		if (!(await waited)) return;
		const produced = entries.map((_, index) => produce(index));
		const body = open + produced.map((p) => p.chunk).join('') + close;
		record.status = 200;
		res.writeHead(200, {
			...job.headers,
			'Content-Type': CONTENT_TYPE[format],
			'Content-Length': Buffer.byteLength(body),
		});
		if (dropAfter !== null) {
			const kept = produced.slice(0, dropAfter);
			const partial = dropAfter < produced.length ? firstHalf(produced[dropAfter].chunk) : '';
			if (await writeChunk(res, open + kept.map((p) => p.chunk).join('') + partial, signal)) {
				kept.forEach((p) => deliver(p.entry));
			}
			drop();
			return;
		}
		res.end(body, () => produced.forEach((p) => deliver(p.entry)));
	} finally {
		if (signal.aborted && !record.faults.includes('drop')) record.clientAborted = true;
		accounts.release(account, (entries.length - charged) * cost);
	}
}
