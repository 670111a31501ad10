/**
 * The checks of the cluster test, each printed as `ok - …` or `not ok - …: why` (run.sh counts
 * them), and the figures behind them as `# …` lines.
 */
import { LOOKUP_FIELD_NAMES } from '../../engine/types';
import type { AccountView } from './sandboxAdmin';
import type { Answer } from './webhookBatch';

export function check(condition: boolean, what: string, why?: () => string): boolean {
	console.log(condition ? `ok - ${what}` : `not ok - ${what}${why ? `: ${why()}` : ''}`);
	return condition;
}

export const note = (line: string) => console.log(`# ${line}`);
export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
/**
 * The batch's time target (issue 11): 1.25 × the time the bound C·B/L allows, plus n8n's own
 * start-up of the executions (first webhook call to the sandbox's first request).
 */
export const allowedBatchMs = (boundMs: number, startupMs: number) => 1.25 * boundMs + startupMs;

const show = (value: unknown) => JSON.stringify(value)?.slice(0, 300) ?? String(value);

const BOOLEANS = new Set(['ported', 'mobile', 'landline']);
const TRI_STATES = new Set(['validnumber', 'reachable']);
const NUMBERS = new Set(['errorcode', 'transactioncost', 'userbalance']);

/** What is wrong with one item of an execution's answer (null: nothing). */
function itemProblem(item: Record<string, unknown>, expectedInput: string): string | null {
	if (item.input !== expectedInput) return `input ${show(item.input)}, expected ${expectedInput}`;
	if (item.lookedUp !== true || item.reason !== null)
		return `not looked up: ${item.reason} ${item.reasonText}`;
	if (item.route !== 'Valid' || item.validnumber !== true)
		return `route ${show(item.route)}, validnumber ${show(item.validnumber)}`;
	if (item.number !== expectedInput || item.msisdn !== expectedInput)
		return `number ${show(item.number)} / msisdn ${show(item.msisdn)}`;
	for (const field of LOOKUP_FIELD_NAMES) {
		if (!(field in item)) return `no field ${field}`;
		const value = item[field];
		if (value === null) continue;
		const ok = BOOLEANS.has(field)
			? typeof value === 'boolean'
			: TRI_STATES.has(field)
				? value === true || value === false || value === 'undetermined'
				: NUMBERS.has(field)
					? typeof value === 'number'
					: typeof value === 'string';
		if (!ok) return `${field} is ${show(value)}`;
	}
	if (
		item.errorcode !== 0 ||
		typeof item.ported !== 'boolean' ||
		typeof item.transactioncost !== 'number'
	)
		return `errorcode ${show(item.errorcode)}, ported ${show(item.ported)}, transactioncost ${show(item.transactioncost)}`;
	return null;
}

/**
 * Every answer: HTTP 200, one item per number sent, each looked up, on Valid (every
 * number of these lists is an ordinary UK mobile, errorcode 0 in the sandbox), typed.
 */
export function answersProblems(answers: readonly Answer[]): string[] {
	const problems: string[] = [];
	for (const answer of answers) {
		const where = `execution ${answer.executionId ?? '?'} (call ${answer.index})`;
		if (answer.status !== 200 || !answer.items) {
			problems.push(`${where}: HTTP ${answer.status}, ${answer.error}`);
			continue;
		}
		if (answer.items.length !== answer.numbers.length) {
			problems.push(`${where}: ${answer.items.length} items for ${answer.numbers.length} numbers`);
			continue;
		}
		// One item per number, whatever the order n8n gives them in.
		const byInput = new Map(answer.items.map((item) => [item.input, item]));
		for (const number of answer.numbers) {
			const item = byInput.get(number);
			const problem = item ? itemProblem(item, number) : `no item for ${number}`;
			if (problem) {
				problems.push(`${where}: ${problem}`);
				break;
			}
		}
	}
	return problems;
}

/** Each number of the lists charged exactly once, and no delivered result paid again. */
export function chargeProblems(view: AccountView, answers: readonly Answer[]): string[] {
	const sent = answers.flatMap((a) => a.numbers);
	const times = new Map<string, number>();
	for (const entry of view.charges) times.set(entry.msisdn, (times.get(entry.msisdn) ?? 0) + 1);
	const problems: string[] = [];
	if (view.chargedTwice.length)
		problems.push(
			`charged again after a delivered result: ${view.chargedTwice.slice(0, 5).join(', ')}`,
		);
	const twice = [...times].filter(([, n]) => n > 1);
	if (twice.length)
		problems.push(
			`${twice.length} numbers charged more than once, e.g. ${show(twice.slice(0, 3))}`,
		);
	const unpaid = sent.filter((n) => !times.has(n));
	if (unpaid.length)
		problems.push(
			`${unpaid.length} numbers sent were never charged, e.g. ${unpaid.slice(0, 3).join(', ')}`,
		);
	return problems;
}

/**
 * The account's socket limit held: requests were made, peak open sockets ≤ limit, and the
 * sandbox refused nothing.
 * Both are needed: the sandbox refuses a socket over the limit before counting it for the account,
 * so the account's peak alone never shows more than the limit (the refusals do).
 */
export function socketsHeld(view: AccountView, limit: number): boolean {
	return view.requests.length > 0 && !overLimit(view, limit);
}

/** The sandbox saw the account over its limit: more sockets, or refusals. */
export function overLimit(view: AccountView, limit: number): boolean {
	return view.peakSockets > limit || view.refused > 0;
}

export const socketFigures = (view: AccountView) =>
	`peak ${view.peakSockets} open sockets, ${view.refused} refused, ${view.requests.length} requests`;
