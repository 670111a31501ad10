import { Pool, request, type Dispatcher } from 'undici';

import { startSandbox, type Sandbox, type SandboxOptionsInput } from '../../sandbox';

export interface Reply {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
}

export interface CallOptions {
	method?: 'GET' | 'POST';
	/** Extra query string parameters (also for POST). */
	query?: Record<string, string>;
	dispatcher?: Dispatcher;
	headersTimeout?: number;
}

const pools = new WeakMap<Sandbox, Pool>();

/**
 * The default dispatcher of a sandbox: a Pool of at most 4 connections, so tests that do not
 * exercise the connection limit never reach the default limit of 5 (undici's global agent may
 * open a new socket even for sequential requests).
 */
export function poolFor(sb: Sandbox): Pool {
	let pool = pools.get(sb);
	if (!pool) {
		pool = new Pool(sb.origin, { connections: 4 });
		pools.set(sb, pool);
	}
	return pool;
}

async function closeSandbox(sb: Sandbox): Promise<void> {
	const pool = pools.get(sb);
	pools.delete(sb);
	await sb.close();
	if (pool) await pool.destroy();
}

/** Sends the protocol parameters: POST form body by default, or GET with a query string. */
export async function call(
	sb: Sandbox,
	params: Record<string, string>,
	options: CallOptions = {},
): Promise<Reply> {
	const method = options.method ?? 'POST';
	const form = new URLSearchParams(params).toString();
	const query = new URLSearchParams({
		...(method === 'GET' ? params : {}),
		...options.query,
	}).toString();
	const res = await request(`${sb.url}${query ? `?${query}` : ''}`, {
		method,
		body: method === 'POST' ? form : undefined,
		headers: method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
		dispatcher: options.dispatcher ?? poolFor(sb),
		headersTimeout: options.headersTimeout,
	});
	return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

export const DEMO = { user: 'demo', pass: 'demo' } as const;

/** Looks numbers up as demo (JSON unless told) and returns the parsed array. */
export async function lookupJson(
	sb: Sandbox,
	numbers: readonly string[],
	extra: Record<string, string> = {},
	options: CallOptions = {},
): Promise<Array<Record<string, unknown>>> {
	const reply = await call(
		sb,
		{ ...DEMO, format: 'json', msisdn: numbers.join(','), ...extra },
		options,
	);
	if (reply.status !== 200) throw new Error(`status ${reply.status}: ${reply.text}`);
	return JSON.parse(reply.text) as Array<Record<string, unknown>>;
}

/** Polls until cond() is true (default 3 s), else throws. */
export async function waitFor(
	cond: () => boolean,
	timeoutMs = 3000,
	what = 'condition',
): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (!cond()) {
		if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

/** Waits until the server has finished every request it received (ledger and records settled). */
export function settled(sb: Sandbox): Promise<void> {
	return waitFor(() => sb.requests.every((r) => r.finishedAt !== null), 3000, 'requests to settle');
}

/** Starts sandboxes for a test file and closes them after each test. */
export function sandboxes(): (options?: SandboxOptionsInput) => Promise<Sandbox> {
	const open: Sandbox[] = [];
	afterEach(async () => {
		await Promise.all(open.splice(0).map(closeSandbox));
	});
	return async (options = {}) => {
		const sb = await startSandbox(options);
		open.push(sb);
		return sb;
	};
}

/** Every field of a GSM answer, as documented (msc only with msc=1). */
export const GSM_FIELDS = [
	'countrycode',
	'countryiso',
	'countryname',
	'errorcode',
	'errortext',
	'imsi',
	'landline',
	'localformat',
	'mcc',
	'mnc',
	'mobile',
	'msisdn',
	'numbertype',
	'operatorname',
	'originalcarrier',
	'originalmcc',
	'originalmnc',
	'originaloperatorname',
	'plmn',
	'ported',
	'reachable',
	'timezone',
	'transactioncost',
	'userbalance',
	'validnumber',
].sort();

export const NANP_FIELDS = [
	'carrier',
	'lrn',
	'msisdn',
	'numbertype',
	'ocn',
	'reachable',
	'transactioncost',
	'userbalance',
	'validnumber',
].sort();

/** A deterministic list of distinct valid-looking GB mobile numbers outside the test block. */
export function gbMobiles(count: number, start = 7500000000): string[] {
	return Array.from({ length: count }, (_, i) => `44${start + i * 7919}`);
}
