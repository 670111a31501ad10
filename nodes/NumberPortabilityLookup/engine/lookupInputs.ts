import { normaliseNumber } from './numbers/normalise';
import { emptyLookupFields } from './results/typedFields';
import { reasonText } from './results/reasons';
import { routeFor } from './results/routes';
import type { RetryPolicy } from './scheduling/backoff';
import { runLookups, type LookupJob, type LookupRunReport } from './scheduling/lookupRun';
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
}

export interface RoutedResult {
	itemIndex: number;
	route: RouteName;
	json: LookupItemJson;
}

export interface LookupInputsReport extends Omit<LookupRunReport, 'outcomes'> {
	/** Distinct numbers sent (or to be sent) to the service. */
	numbersToLookUp: number;
	/** Inputs answered locally because they cannot be valid numbers. */
	answeredLocally: number;
}

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
): Promise<{ results: RoutedResult[]; report: LookupInputsReport }> {
	const jobKeys: Array<string | null> = new Array<string | null>(inputs.length);
	const localOutcomes = new Map<number, NumberOutcome>();
	const digitsOf: Array<string | null> = new Array<string | null>(inputs.length);
	const jobs: LookupJob[] = [];
	const queued = new Set<string>();

	for (let index = 0; index < inputs.length; index++) {
		const normalised = normaliseNumber(inputs[index].input, settings.defaultCountry);
		if (!normalised.ok || (settings.skipInvalid && !normalised.valid)) {
			digitsOf[index] = normalised.ok ? normalised.digits : null;
			jobKeys[index] = null;
			localOutcomes.set(index, {
				lookedUp: false,
				reason: 'invalid_number',
				detail: normalised.ok ? `It reads as ${normalised.e164}.` : normalised.message,
			});
			continue;
		}
		const key = settings.lookUpDuplicatesOnce ? normalised.digits : `${normalised.digits}#${index}`;
		digitsOf[index] = normalised.digits;
		jobKeys[index] = key;
		if (!queued.has(key)) {
			queued.add(key);
			jobs.push({ key, digits: normalised.digits });
		}
	}

	const { outcomes, ...run } = await runLookups(jobs, {
		transport,
		numbersPerRequest: settings.numbersPerRequest,
		maxConnections: settings.maxConnections,
		costPerNumber: settings.includeMsc ? COST_PER_NUMBER_WITH_MSC : COST_PER_NUMBER,
		maxCredits: settings.maxCredits,
		retry: settings.retry,
	});

	const results: RoutedResult[] = new Array<RoutedResult>(inputs.length);
	for (let index = 0; index < inputs.length; index++) {
		const key = jobKeys[index];
		const outcome = (key === null ? localOutcomes.get(index) : outcomes.get(key)) ?? {
			lookedUp: false as const,
			reason: 'request_rejected' as const,
			detail: 'The number was not sent.',
		};
		const route = routeFor(outcome, settings.routeBy);
		results[index] = {
			itemIndex: inputs[index].itemIndex,
			route,
			json: toItemJson(inputs[index].input, digitsOf[index], outcome, route),
		};
	}
	return {
		results,
		report: { ...run, numbersToLookUp: jobs.length, answeredLocally: localOutcomes.size },
	};
}

function toItemJson(
	input: unknown,
	digits: string | null,
	outcome: NumberOutcome,
	route: RouteName,
): LookupItemJson {
	if (outcome.lookedUp) {
		return { ...outcome.fields, input: input ?? null, number: digits, lookedUp: true, reason: null, reasonText: null, route };
	}
	return {
		...emptyLookupFields(),
		input: input ?? null,
		number: digits,
		lookedUp: false,
		reason: outcome.reason,
		reasonText: `${reasonText(outcome.reason)} ${outcome.detail}`.trim(),
		route,
	};
}
