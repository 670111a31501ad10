import type { LookupInputsReport, LookupSettings } from '../lookupSession';
import { routeNamesFor } from './routes';

/** What a lookup run tells its user afterwards: one summary, and what they can change. */
export interface RunSummary {
	info: string;
	/** One sentence each, saying what happened and what to change. */
	warnings: string[];
}

const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

function seconds(ms: number): string {
	return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/**
 * The summary of a finished run, from its own report: numbers in, distinct numbers looked up,
 * requests, credits the answers say were spent, numbers per output, time taken; and a warning
 * for each thing the user can act on.
 */
export function summariseRun(
	report: LookupInputsReport,
	settings: Pick<LookupSettings, 'routeBy' | 'numbersPerRequest' | 'maxCredits'>,
	durationMs: number,
): RunSummary {
	const routes = routeNamesFor(settings.routeBy)
		.map((route) => `${route} ${count(report.routes[route] ?? 0)}`)
		.join(' · ');
	const info =
		`${plural(report.inputs, 'number')} in; ${count(report.numbersLookedUp)} of ` +
		`${plural(report.numbersToLookUp, 'distinct number')} looked up in ` +
		`${plural(report.requests, 'request')}; ${count(report.creditsSpent)} credits spent ` +
		`(as the answers report); ${routes}; ${seconds(durationMs)}.`;
	return { info, warnings: warningsFor(report, settings) };
}

function warningsFor(
	report: LookupInputsReport,
	settings: Pick<LookupSettings, 'numbersPerRequest' | 'maxCredits'>,
): string[] {
	const warnings: string[] = [];
	if (report.finalNumbersPerRequest < settings.numbersPerRequest) {
		warnings.push(
			`The service refused ${settings.numbersPerRequest} numbers a request ("Request too long"), ` +
				`so the node went on with ${report.finalNumbersPerRequest}. Set Numbers Per Request ` +
				`(under Options) to ${report.finalNumbersPerRequest} to save the refused requests.`,
		);
	}
	if (report.rateLimitedRequests > 0) {
		warnings.push(
			`The service refused ${plural(report.rateLimitedRequests, 'request')} with ` +
				`ERR RATE_LIMIT_EXCEEDED (too many connections for this account); the node backed off ` +
				`and went down to ${plural(report.lowestConnections, 'connection')}. Lower Max ` +
				`Connections (under Options) to ${report.lowestConnections}, or check whether another run ` +
				'(another workflow, an n8n worker, another client) uses the same account.',
		);
	}
	const capped = report.notLookedUp.credit_cap ?? 0;
	if (capped > 0) {
		warnings.push(
			`Max Credits (${count(settings.maxCredits ?? 0)}) stopped the run: ` +
				`${plural(capped, 'number')} left not looked up (on Not Looked Up, reason credit_cap). ` +
				'Raise Max Credits, or run again for the rest.',
		);
	}
	const unpaid = report.notLookedUp.insufficient_credit ?? 0;
	if (unpaid > 0) {
		const balance =
			report.lastBalance === null ? '' : ` The last answer put the balance at ${count(report.lastBalance)} credits.`;
		warnings.push(
			`The account ran out of credit (FAIL Insufficient credit): ${plural(unpaid, 'number')} ` +
				`left not looked up (reason insufficient_credit).${balance} Top up the account and run ` +
				'again for them.',
		);
	}
	if (report.unconfirmedCharges > 0) {
		warnings.push(
			`${plural(report.unconfirmedCharges, 'answer')} lost in transit (a broken connection, a ` +
				'timeout or an unreadable answer) and asked again: the service may have charged up to ' +
				`${plural(report.unconfirmedCharges, 'number')} twice. If this keeps happening, check ` +
				'the network or proxy, or raise Timeout.',
		);
	}
	return warnings;
}
