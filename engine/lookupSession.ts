import { normaliseNumber } from './numbers/normalise';
import type { Clock } from './ports';
import { emptyLookupFields } from './results/typedFields';
import { reasonText } from './results/reasons';
import { routeFor } from './results/routes';
import type { RetryPolicy } from './scheduling/backoff';
import {
	startLookups,
	type LookupRunProgress,
	type LookupRunReport,
	type StreamingLookupRun,
} from './scheduling/lookupRun';
import { TimeSlices, WORK_SLICE_MS } from './scheduling/timeSlices';
import type { LookupTransport } from './scheduling/transportContract';
import type { LookupItemJson, NumberOutcome, RouteBy, RouteName } from './types';

/** One number as an input item held it. Look Up Numbers gives several per item. */
export interface InputNumber {
	itemIndex: number;
	input: unknown;
}

export interface LookupSettings {
	routeBy: RouteBy;
	/** ISO 3166 alpha-2 country for numbers written in national format. */
	defaultCountry?: string;
	/** Answer numbers that cannot be valid locally, without sending them. */
	skipInvalid: boolean;
	lookUpDuplicatesOnce: boolean;
	numbersPerRequest: number;
	maxConnections: number;
	includeMsc: boolean;
	maxCredits?: number;
	retry?: Partial<RetryPolicy>;
	/** The execution's stop: see LookupRunOptions.signal. */
	signal?: AbortSignal;
	/** See LookupRunOptions.onRequestSettled. */
	onRequestSettled?: () => void;
}

export interface RoutedResult {
	itemIndex: number;
	route: RouteName;
	json: LookupItemJson;
}

export interface LookupInputsReport extends Omit<LookupRunReport, 'outcomes'> {
	/** Input numbers (one per item for Look Up Number), answered or not. */
	inputs: number;
	/** Distinct numbers sent (or to be sent) to the service. */
	numbersToLookUp: number;
	/** Inputs answered locally because they cannot be valid numbers. */
	answeredLocally: number;
	/** Results per output, by route name. */
	routes: Partial<Record<RouteName, number>>;
}

const EMPTY_FIELDS = Object.freeze(emptyLookupFields());

const COST_PER_NUMBER = 1;
const COST_PER_NUMBER_WITH_MSC = 1.2;

/**
 * Items → numbers → requests → results → routed items. Every input number yields exactly one
 * result, in input order, whatever the service does.
 */
export async function lookUpInputs(
	inputs: readonly InputNumber[],
	settings: LookupSettings,
	transport: LookupTransport,
	clock: Clock,
): Promise<{ results: RoutedResult[]; report: LookupInputsReport }> {
	const session = new LookupSession(settings, transport, clock);
	for (const input of inputs) session.add(input);
	return await session.finish();
}

/**
 * lookUpInputs for inputs that arrive one by one: each is normalised as it is added, and its
 * number queued for a request at once, so requests go out while later items are still being
 * read (n8n evaluates item parameters synchronously; that time then overlaps the latency).
 */
export class LookupSession {
	// Per input, in order. Two arrays rather than the InputNumber objects the host passes: at
	// 100,000 numbers the objects held ~4 MB for the whole run.
	private readonly itemIndexOf: number[] = [];
	private readonly inputOf: unknown[] = [];
	private readonly jobKeys: Array<string | null> = [];
	private readonly digitsOf: Array<string | null> = [];
	private readonly localOutcomes = new Map<number, NumberOutcome>();
	private readonly queued = new Set<string>();
	/**
	 * Inputs beyond the first that share a key (duplicates), still to be given their result: an
	 * outcome is dropped once its last input has it. Only duplicated keys have an entry.
	 */
	private readonly moreUses = new Map<string, number>();
	private readonly run: StreamingLookupRun;
	private built: BuiltResults | null = null;

	constructor(
		private readonly settings: LookupSettings,
		transport: LookupTransport,
		private readonly clock: Clock,
	) {
		this.run = startLookups({
			clock,
			transport,
			numbersPerRequest: settings.numbersPerRequest,
			maxConnections: settings.maxConnections,
			costPerNumber: settings.includeMsc ? COST_PER_NUMBER_WITH_MSC : COST_PER_NUMBER,
			maxCredits: settings.maxCredits,
			retry: settings.retry,
			signal: settings.signal,
			onRequestSettled: settings.onRequestSettled,
		});
	}

	add(input: InputNumber): void {
		const index = this.inputOf.length;
		this.itemIndexOf.push(input.itemIndex);
		this.inputOf.push(input.input);
		const normalised = normaliseNumber(input.input, this.settings.defaultCountry);
		if (!normalised.ok || (this.settings.skipInvalid && !normalised.valid)) {
			this.digitsOf.push(normalised.ok ? normalised.digits : null);
			this.jobKeys.push(null);
			this.localOutcomes.set(index, {
				lookedUp: false,
				reason: 'invalid_number',
				detail: normalised.ok ? `It reads as ${normalised.e164}.` : normalised.message,
			});
			return;
		}
		const key = this.settings.lookUpDuplicatesOnce ? normalised.digits : `${normalised.digits}#${index}`;
		this.digitsOf.push(normalised.digits);
		this.jobKeys.push(key);
		if (this.queued.has(key)) this.moreUses.set(key, (this.moreUses.get(key) ?? 0) + 1);
		else {
			this.queued.add(key);
			this.run.add({ key, digits: normalised.digits });
		}
	}

	/**
	 * An input that held no number at all (a message with an empty payload, where a host must
	 * still answer it): one result, not looked up with reason `no_number`, on Not Looked Up
	 * (Failed by error group), never Invalid. Nothing is sent.
	 */
	addNothing(input: InputNumber): void {
		const index = this.inputOf.length;
		this.itemIndexOf.push(input.itemIndex);
		this.inputOf.push(input.input);
		this.digitsOf.push(null);
		this.jobKeys.push(null);
		this.localOutcomes.set(index, { lookedUp: false, reason: 'no_number', detail: '' });
	}

	progress(): LookupRunProgress {
		return this.run.progress();
	}

	/** How many results finish() has built so far, in input order. */
	get resultsBuilt(): number {
		return this.built?.results.length ?? 0;
	}

	/** Sends nothing more; waits for the requests in flight. For a caller that gives up. */
	async abandon(detail: string): Promise<void> {
		this.run.abort('request_rejected', detail);
		await this.run.report;
	}

	/**
	 * No more inputs: waits for every outcome and routes the results, in input order, giving the
	 * event loop a turn every few milliseconds. The results already answered are built once every
	 * number has left, while the last answers travel: after the last answer only the results of
	 * the last requests are left to build (at 200 ms a request, all of them were built after it,
	 * 8-16 ms for 10,000 in n8n). A run stopped through its signal has no results: n8n has already
	 * ended the execution, and building them would only delay the stop.
	 */
	async finish(): Promise<{ results: RoutedResult[]; report: LookupInputsReport }> {
		this.run.close();
		// Only duplicates needed it: freed before the results are built.
		const numbersToLookUp = this.queued.size;
		this.queued.clear();
		const built = (this.built = new BuiltResults(this.clock));
		await Promise.race([this.run.allSent, this.run.report]);
		// Two turns first: the last requests open their connections and write their bodies.
		await this.clock.yieldTurn();
		await this.clock.yieldTurn();
		await this.buildResults(built, (key) => this.run.outcomeOf(key), false);
		const { outcomes, ...run } = await this.run.report;
		if (!run.stopped) await this.buildResults(built, (key) => outcomes.get(key), true);
		return {
			results: run.stopped ? [] : built.results,
			report: {
				...run,
				inputs: this.inputOf.length,
				numbersToLookUp,
				answeredLocally: this.localOutcomes.size,
				routes: built.routes,
			},
		};
	}

	/**
	 * Builds results in input order from the next one not built: up to the first input still
	 * without an outcome, or (`toTheEnd`, the run over) all, a number never sent as such.
	 */
	private async buildResults(
		built: BuiltResults,
		outcomeOf: (key: string) => NumberOutcome | undefined,
		toTheEnd: boolean,
	): Promise<void> {
		const { itemIndexOf, inputOf, jobKeys, digitsOf, localOutcomes, settings, moreUses } = this;
		for (let index = built.results.length; index < inputOf.length; index++) {
			if (built.slices.due()) {
				await built.slices.yield();
				// Stopped: nobody will see them (finish returns none).
				if (this.settings.signal?.aborted) return;
			}
			const key = jobKeys[index];
			let outcome = key === null ? localOutcomes.get(index) : outcomeOf(key);
			if (outcome === undefined) {
				if (!toTheEnd) return;
				outcome = NOT_SENT;
			}
			const route = routeFor(outcome, settings.routeBy);
			built.routes[route] = (built.routes[route] ?? 0) + 1;
			built.results.push({
				itemIndex: itemIndexOf[index],
				route,
				json: toItemJson(inputOf[index], digitsOf[index], outcome, route),
			});
			// Its fields are now in the item's json: held until the end, 100,000 outcomes and
			// 100,000 items were both in memory at the peak.
			if (key !== null) {
				const more = moreUses.get(key);
				if (more === undefined) this.run.forget(key);
				else if (more > 1) moreUses.set(key, more - 1);
				else moreUses.delete(key);
			}
		}
	}
}

/** The results built so far, in input order, and how many went to each route. */
class BuiltResults {
	readonly results: RoutedResult[] = [];
	readonly routes: Partial<Record<RouteName, number>> = {};
	readonly slices: TimeSlices;

	constructor(clock: Clock) {
		this.slices = new TimeSlices(WORK_SLICE_MS, clock);
	}
}

const NOT_SENT: NumberOutcome = Object.freeze({
	lookedUp: false,
	reason: 'request_rejected',
	detail: 'The number was not sent.',
});

/**
 * One output item's json. Written out field by field: spreading the 30 lookup fields into a
 * literal with six more made V8 build each item as a slow dictionary object (~17 µs an item,
 * more than normalising the number); this literal has one fixed shape (~0.1 µs).
 */
function toItemJson(
	input: unknown,
	digits: string | null,
	outcome: NumberOutcome,
	route: RouteName,
): LookupItemJson {
	const f = outcome.lookedUp ? outcome.fields : EMPTY_FIELDS;
	return {
		msisdn: f.msisdn,
		errorcode: f.errorcode,
		errortext: f.errortext,
		validnumber: f.validnumber,
		reachable: f.reachable,
		ported: f.ported,
		mobile: f.mobile,
		landline: f.landline,
		numbertype: f.numbertype,
		countrycode: f.countrycode,
		countryiso: f.countryiso,
		countryname: f.countryname,
		localformat: f.localformat,
		timezone: f.timezone,
		operatorname: f.operatorname,
		mcc: f.mcc,
		mnc: f.mnc,
		plmn: f.plmn,
		imsi: f.imsi,
		msc: f.msc,
		originalmcc: f.originalmcc,
		originalmnc: f.originalmnc,
		originalcarrier: f.originalcarrier,
		originaloperatorname: f.originaloperatorname,
		ocn: f.ocn,
		carrier: f.carrier,
		lrn: f.lrn,
		spid: f.spid,
		transactioncost: f.transactioncost,
		userbalance: f.userbalance,
		input: input ?? null,
		number: digits,
		lookedUp: outcome.lookedUp,
		reason: outcome.lookedUp ? null : outcome.reason,
		reasonText: outcome.lookedUp ? null : `${reasonText(outcome.reason)} ${outcome.detail}`.trim(),
		route,
	};
}
