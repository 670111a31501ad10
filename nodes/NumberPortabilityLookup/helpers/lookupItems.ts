import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { LookupSession, type LookupSettings, type RoutedResult } from '../../../engine/lookupSession';
import { describeFailure } from '../../../engine/protocol/serviceClient';
import { ProgressLines } from '../../../engine/results/progressLines';
import { routeNamesFor } from '../../../engine/results/routes';
import { summariseRun } from '../../../engine/results/runSummary';
import { ReadPacer } from '../../../engine/scheduling/readPacer';
import { TimeSlices, WORK_SLICE_MS } from '../../../engine/scheduling/timeSlices';
import type { NotLookedUpReason, RouteBy } from '../../../engine/types';
import { hostClock } from '../transport';
import { CREDENTIAL_NAME, openClient } from './account';
import { addSummaryHints } from './executionHints';

/** Reasons that mean the service could not be used at all (as opposed to credit running out). */
const REQUEST_FAILURES = new Set<NotLookedUpReason>([
	'network_error',
	'timeout',
	'service_unavailable',
	'protocol_error',
	'request_rejected',
	'rate_limited',
]);

/**
 * Look Up Number and Look Up Numbers share everything but how an item yields its numbers:
 * all numbers of all items are pooled, looked up once, and fanned back out, one output item
 * per input number, each paired to its source item. The first requests go out while later
 * items are still being read, so reading them costs no time on top of the lookups.
 *
 * When n8n stops the execution (its cancel signal), the run stops at once and the node returns
 * no items (never throws: n8n's Retry On Fail would run it again; n8n has already ended the
 * execution and keeps nothing a stopped node returns).
 */
export async function executeLookups(
	ctx: IExecuteFunctions,
	numbersOf: (itemIndex: number) => unknown[],
): Promise<INodeExecutionData[][]> {
	const startedAt = hostClock.now();
	const items = ctx.getInputData();
	const routeBy = ctx.getNodeParameter('routeBy', 0, 'validity') as RouteBy;
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	// n8n ≥ 1.19; older ones cannot stop a node, and the run behaves as it always did.
	const signal = ctx.getExecutionCancelSignal?.();
	let itemsRead = 0;
	const progress = new ProgressLines(
		ctx.logger,
		`Number Portability Lookup "${ctx.getNode().name}"`,
		Math.max(0.2, Number(options.progressLogInterval) || 10) * 1000,
		hostClock,
		// Called from the run's ticks only, once the session exists.
		() => ({ ...session.progress(), itemsRead, items: items.length }),
	);
	const settings = {
		...readSettings(routeBy, options),
		signal,
		onRequestSettled: () => progress.tick(),
	};

	const client = openClient(ctx, await ctx.getCredentials(CREDENTIAL_NAME), {
		includeMsc: settings.includeMsc,
		timeoutMs: clamp(Number(options.timeout ?? 120), 1, 3600) * 1000,
	});
	const session = new LookupSession(settings, client, hostClock);
	const leaveAccount = client.joinAccount(settings.maxConnections);
	let outcome: Awaited<ReturnType<LookupSession['finish']>>;
	try {
		// Item parameters are read in slices, paced against the requests they feed.
		const pacer = new ReadPacer(() => session.progress(), settings, hostClock);
		for (let itemIndex = 0; itemIndex < items.length && !signal?.aborted; itemIndex++) {
			let numbers: unknown[];
			try {
				numbers = numbersOf(itemIndex);
			} catch (error) {
				if (!ctx.continueOnFail()) {
					// Numbers of earlier items may be in flight: let them land, send no more.
					await session.abandon('The execution stopped: an item could not be read.');
					throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
				}
				// The item still yields one result: answered locally as "not a number".
				numbers = [null];
			}
			for (const input of numbers) session.add({ itemIndex, input });
			itemsRead = itemIndex + 1;
			if (pacer.due()) {
				progress.tick();
				await pacer.yield();
			}
		}
		outcome = await session.finish();
	} finally {
		leaveAccount();
	}
	const { results, report } = outcome;
	const routeNames = routeNamesFor(routeBy);
	if (report.stopped) return routeNames.map(() => []);

	if (!ctx.continueOnFail()) {
		if (report.invalidCredentials) {
			throw new NodeApiError(ctx.getNode(), { message: 'FAIL Invalid password' } as JsonObject, {
				message: 'The Number Portability Lookup service refused the credential',
				description: describeFailure({ kind: 'invalid_password' }),
				httpCode: '401',
			});
		}
		const failure = serviceUnusable(results);
		if (failure) {
			throw new NodeApiError(ctx.getNode(), { message: failure.json.reasonText } as JsonObject, {
				message: 'No number could be looked up: the service could not be used',
				description: `${failure.json.reasonText} Turn on "Continue On Fail" to get every number on the outputs instead.`,
			});
		}
	}

	const outputs: INodeExecutionData[][] = routeNames.map(() => []);
	const slices = new TimeSlices(WORK_SLICE_MS, hostClock);
	for (const result of results) {
		if (slices.due()) await slices.yield();
		outputs[routeNames.indexOf(result.route)].push({
			json: result.json as unknown as IDataObject,
			pairedItem: { item: result.itemIndex },
		});
	}
	const summary = summariseRun(report, settings, hostClock.now() - startedAt);
	if (client.usedRedis()) summary.info += ' Connections were counted across n8n processes (Redis).';
	// The cross-process budget's fallbacks (Redis unreachable, lost, back): in the pane and the log.
	for (const notice of client.coordinationNotices()) {
		summary.warnings.push(notice);
		ctx.logger?.warn(`Number Portability Lookup "${ctx.getNode().name}": ${notice}`);
	}
	addSummaryHints(ctx, summary);
	return outputs;
}

/**
 * The first request-level failure, when no number got an answer and nothing else (credit,
 * invalid input) explains why: then the run is an error, not a result.
 */
function serviceUnusable(results: readonly RoutedResult[]): RoutedResult | undefined {
	let firstFailure: RoutedResult | undefined;
	for (const result of results) {
		const { lookedUp, reason } = result.json;
		if (lookedUp || reason === null) return undefined;
		if (reason === 'invalid_number') continue;
		if (!REQUEST_FAILURES.has(reason)) return undefined;
		firstFailure ??= result;
	}
	return firstFailure;
}

function readSettings(routeBy: RouteBy, options: IDataObject): LookupSettings {
	const maxCredits = Number(options.maxCredits ?? 0);
	return {
		routeBy,
		defaultCountry: (options.defaultCountry as string) || undefined,
		skipInvalid: options.skipInvalid !== false,
		lookUpDuplicatesOnce: options.lookUpDuplicatesOnce !== false,
		numbersPerRequest: clamp(Number(options.numbersPerRequest ?? 100), 1, 100),
		maxConnections: clamp(Number(options.maxConnections ?? 5), 1, 20),
		includeMsc: options.includeMsc === true,
		maxCredits: maxCredits > 0 ? maxCredits : undefined,
	};
}

function clamp(value: number, min: number, max: number): number {
	return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : min;
}
