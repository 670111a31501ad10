/**
 * Shared kit of the fault, load, fuzz and secret suites (issue 6): a sandbox account with a
 * distinctive password, a network guard (loopback only), a secret watch over everything the
 * runs produce, and the three checks every scenario makes:
 *   (a) one output item per input number, on the right route, paired to the right item;
 *   (b) by the sandbox ledger, nothing paid twice for a received result, and the charges are
 *       exactly the results delivered plus the answers lost in transit;
 *   (c) the run finishes within a stated (generous) bound.
 */
import dns from 'node:dns';
import diagnostics from 'node:diagnostics_channel';
import net from 'node:net';

import { LoggerProxy, type IDataObject, type INodeExecutionData, type INodeParameters } from 'n8n-workflow';

import type { LookupItemJson, NotLookedUpReason } from '../../engine/types';
import type { SandboxOptionsInput } from '../../sandbox/options';
import { runNode, type NodeRun, type NodeRunOptions } from '../harness/n8nEngine';
import { useSandbox, type Sandbox } from '../node/sandboxAccount';

export type { Sandbox };

// ---------------------------------------------------------------------------------------------
// The account

export const USER = 'demo';
/** The account's password: '@', '&' and '%' all change when URL- or form-encoded. */
export const PASSWORD = 'S3cr3t-P@ss&word%';
/** A wrong password, as distinctive, for the scenarios where the credential is refused. */
export const WRONG_PASSWORD = 'Wr0ng-P@ss&word%';
/** Space, quote, backslash, plus, bang: every encoding writes it differently. */
export const AWKWARD_PASSWORD = 'S3cr3t P@ss"w\\ord+!(x)';
/** Fragments that only these passwords contain: a half-shown password is a leak too. */
const PASSWORD_FRAGMENTS = ['S3cr3t', 'Wr0ng-P'];

export const DEFAULT_CREDIT = 1_000_000;

export const credentialFor = (sandbox: Pick<Sandbox, 'url'>, password = PASSWORD) => ({
	user: USER,
	password,
	baseUrl: sandbox.url,
});

// ---------------------------------------------------------------------------------------------
// Numbers

export { gbNumber, gbNumbers, mixedNumber } from './numbers';

export const phoneItems = (numbers: readonly unknown[]) => numbers.map((phone) => ({ phone }) as IDataObject);

export const LOOKUP: INodeParameters = { operation: 'lookup', phoneNumber: '={{ $json.phone }}' };
export const LOOKUP_MANY: INodeParameters = { operation: 'lookupMany', phoneNumbers: '={{ $json.phones }}' };

// ---------------------------------------------------------------------------------------------
// Everything a run produced, as one string, for the secret scan

/** JSON of anything: errors with their own fields, bigint, undefined, circular references. */
export function textOf(value: unknown): string {
	if (typeof value === 'string') return value;
	const seen = new WeakSet<object>();
	try {
		return (
			JSON.stringify(value, (_key, inner: unknown) => {
				if (typeof inner === 'bigint') return `${inner}n`;
				if (typeof inner === 'function') return `[function ${inner.name}]`;
				if (inner instanceof Error) {
					return { ...inner, name: inner.name, message: inner.message, stack: inner.stack, cause: inner.cause };
				}
				if (inner !== null && typeof inner === 'object') {
					if (seen.has(inner)) return '[circular]';
					seen.add(inner);
				}
				return inner;
			}) ?? String(value)
		);
	} catch (error) {
		return `[unserialisable: ${(error as Error).message}] ${String(value)}`;
	}
}

/** The password as it may show: raw, URL-encoded, form-encoded, JSON-escaped, and fragments. */
export function secretForms(secrets: readonly string[] = [PASSWORD, WRONG_PASSWORD, AWKWARD_PASSWORD]): string[] {
	const forms = new Set<string>(PASSWORD_FRAGMENTS);
	for (const secret of secrets) {
		forms.add(secret);
		forms.add(encodeURIComponent(secret));
		forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
		forms.add(JSON.stringify(secret).slice(1, -1));
		forms.add(JSON.stringify(JSON.stringify(secret)).slice(2, -2));
	}
	return [...forms];
}

export interface Leak {
	where: string;
	form: string;
	excerpt: string;
}

/**
 * Collects what the runs of a suite produce that a user or an operator may see: output items,
 * error messages and descriptions, n8n's run data, n8n's log lines (LoggerProxy, at every level
 * including debug), console and stdout/stderr, the sandbox's request URLs and log lines. Each
 * piece is scanned for the password as it is recorded; `leaks` lists what was found.
 */
export class SecretWatch {
	readonly leaks: Leak[] = [];
	/** How many characters were scanned, to show the watch saw something. */
	scannedChars = 0;
	private readonly forms: string[];
	private readonly restorers: Array<() => void> = [];

	constructor(secrets?: readonly string[]) {
		this.forms = secretForms(secrets);
	}

	record(where: string, value: unknown): void {
		const text = textOf(value);
		this.scannedChars += text.length;
		for (const form of this.forms) {
			const at = text.indexOf(form);
			if (at >= 0) {
				this.leaks.push({ where, form, excerpt: text.slice(Math.max(0, at - 80), at + form.length + 40) });
			}
		}
	}

	/** Everything a run of the harness gives back: outputs, the error, n8n's whole IRun. */
	recordRun(label: string, run: NodeRun): void {
		this.record(`${label}: outputs`, run.outputs);
		this.record(`${label}: error`, run.error);
		this.record(`${label}: run data`, run.run);
	}

	/** What the sandbox keeps of requests (URLs, keys, users) and its own log lines. */
	recordSandbox(label: string, sandbox: Sandbox): void {
		this.record(`${label}: sandbox request records`, sandbox.requests);
	}

	/**
	 * Starts capturing console, stdout/stderr and n8n's logger. n8n-core logs through
	 * n8n-workflow's LoggerProxy; a capturing logger at debug level takes its place.
	 */
	install(): void {
		const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
		for (const method of consoleMethods) {
			const spy = jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
				this.record(`console.${method}`, args);
			});
			this.restorers.push(() => spy.mockRestore());
		}
		const chunkText = (chunk: unknown) =>
			typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
		for (const stream of [process.stdout, process.stderr]) {
			const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
			const name = stream === process.stdout ? 'stdout' : 'stderr';
			const spy = jest.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
				this.record(name, chunkText(chunk));
				return original(chunk, ...rest);
			}) as typeof stream.write);
			this.restorers.push(() => spy.mockRestore());
		}
		// winston's console transport (n8n's logger) writes to console._stdout when there is one;
		// in jest that is the test console's own stream: recorded, not printed.
		const own = console as unknown as { _stdout?: NodeJS.WritableStream; _stderr?: NodeJS.WritableStream };
		for (const [name, stream] of [['console._stdout', own._stdout], ['console._stderr', own._stderr]] as const) {
			if (!stream || stream === process.stdout || stream === process.stderr) continue;
			const spy = jest.spyOn(stream, 'write').mockImplementation(((chunk: unknown) => {
				this.record(name, chunkText(chunk));
				return true;
			}) as typeof stream.write);
			this.restorers.push(() => spy.mockRestore());
		}
		this.wrapLogger();
	}

	/**
	 * Puts a recorder in front of n8n's LoggerProxy, which still gets every line: call it again
	 * after n8n's own Logger takes the proxy over (it does when it is created).
	 */
	wrapLogger(): void {
		const levels = ['error', 'warn', 'info', 'debug'] as const;
		const previous = Object.fromEntries(levels.map((level) => [level, LoggerProxy[level]])) as Pick<
			typeof LoggerProxy,
			(typeof levels)[number]
		>;
		type Meta = Parameters<typeof LoggerProxy.debug>[1];
		const log = (level: (typeof levels)[number]) => (message: string, meta?: Meta) => {
			this.loggedLines++;
			this.record(`n8n log (${level})`, { message, meta });
			previous[level](message, meta);
		};
		LoggerProxy.init({ error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') });
	}

	/** Lines n8n's logger was given (any level). */
	loggedLines = 0;

	restore(): void {
		for (const restore of this.restorers.splice(0)) restore();
	}
}

// ---------------------------------------------------------------------------------------------
// Loopback only

export interface NetworkAttempt {
	kind: 'dns' | 'connect';
	host: string;
}

const isLoopbackHost = (host: string) =>
	host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host) || host === '::ffff:127.0.0.1';

/**
 * While installed, nothing leaves the machine: a DNS lookup of anything but localhost fails with
 * ENOTFOUND (what a resolver answers for `.invalid`, RFC 6761), and a connection to an address
 * that is not loopback fails with ENETUNREACH. Every such attempt is kept, so a test can check
 * that none happened (or that exactly the expected ones did).
 */
export class NetworkGuard {
	readonly blocked: NetworkAttempt[] = [];
	private readonly restorers: Array<() => void> = [];

	install(): void {
		/* eslint-disable @typescript-eslint/no-explicit-any -- Node's overloaded signatures */
		const originalLookup = dns.lookup;
		const guardedLookup = ((hostname: string, options: any, callback?: any) => {
			const cb = typeof options === 'function' ? options : callback;
			if (isLoopbackHost(hostname)) return (originalLookup as any)(hostname, options, callback);
			this.blocked.push({ kind: 'dns', host: hostname });
			const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
				code: 'ENOTFOUND',
				errno: -3008,
				syscall: 'getaddrinfo',
				hostname,
			});
			process.nextTick(() => cb(error));
			return undefined;
		}) as typeof dns.lookup;
		dns.lookup = guardedLookup;
		this.restorers.push(() => (dns.lookup = originalLookup));

		const originalPromisesLookup = dns.promises.lookup;
		dns.promises.lookup = (async (hostname: string, options?: any) => {
			if (isLoopbackHost(hostname)) return await (originalPromisesLookup as any)(hostname, options);
			this.blocked.push({ kind: 'dns', host: hostname });
			throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
		}) as typeof dns.promises.lookup;
		this.restorers.push(() => (dns.promises.lookup = originalPromisesLookup));

		const originalConnect = net.Socket.prototype.connect;
		const blocked = this.blocked;
		net.Socket.prototype.connect = function (this: net.Socket, ...args: any[]) {
			const first = Array.isArray(args[0]) ? args[0][0] : args[0];
			const options = typeof first === 'object' && first !== null ? first : { port: first, host: args[1] };
			const host: unknown = options.host;
			if (typeof host === 'string' && net.isIP(host) !== 0 && !isLoopbackHost(host) && !options.path) {
				blocked.push({ kind: 'connect', host });
				const error = Object.assign(new Error(`connect ENETUNREACH ${host} (blocked by the test)`), {
					code: 'ENETUNREACH',
				});
				process.nextTick(() => this.destroy(error));
				return this;
			}
			return (originalConnect as any).apply(this, args);
		} as typeof originalConnect;
		this.restorers.push(() => (net.Socket.prototype.connect = originalConnect));
		/* eslint-enable @typescript-eslint/no-explicit-any */
	}

	restore(): void {
		for (const restore of this.restorers.splice(0).reverse()) restore();
	}
}

// ---------------------------------------------------------------------------------------------
// Raw request bodies, as undici sends them (they hold the password: never given to the watch)

export interface SentRequest {
	origin: string;
	path: string;
	method: string;
	body: string;
}

export class SentRequests {
	readonly all: SentRequest[] = [];
	private readonly onCreate = (message: unknown) => {
		const { request } = message as {
			request: { origin?: unknown; path?: string; method?: string; body?: unknown };
		};
		const body = request.body;
		this.all.push({
			origin: String(request.origin ?? ''),
			path: request.path ?? '',
			method: request.method ?? '',
			body: typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : '',
		});
	};

	install(): void {
		diagnostics.subscribe('undici:request:create', this.onCreate);
	}

	restore(): void {
		diagnostics.unsubscribe('undici:request:create', this.onCreate);
	}

	clear(): void {
		this.all.length = 0;
	}
}

// ---------------------------------------------------------------------------------------------
// Timing

export interface Timing {
	scenario: string;
	ms: number;
	boundMs: number;
}

/** Wall time of each scenario, printed at the end of the suite (for the report). */
export const timings: Timing[] = [];

export function expectWithin(scenario: string, ms: number, boundMs: number): void {
	timings.push({ scenario, ms, boundMs });
	if (ms > boundMs) throw new Error(`${scenario} took ${ms} ms, over its bound of ${boundMs} ms`);
}

// ---------------------------------------------------------------------------------------------
// The kit a suite uses

export interface Kit {
	watch: SecretWatch;
	guard: NetworkGuard;
	sent: SentRequests;
	/** Starts a sandbox with the password account (and its log lines watched). */
	start: (options?: SandboxOptionsInput & { credit?: number; password?: string }) => Promise<Sandbox>;
	/**
	 * runNode, timed, with everything it produced recorded for the secret scan (`sample`: only
	 * the error, every item not looked up and every hundredth item, for very large runs).
	 */
	run: (label: string, options: NodeRunOptions, scan?: 'all' | 'sample') => Promise<NodeRun & { ms: number }>;
}

export function useFaultKit(suite: string): Kit {
	const sandboxes = useSandbox();
	const watch = new SecretWatch();
	const guard = new NetworkGuard();
	const sent = new SentRequests();
	const started: Array<{ label: string; sandbox: Sandbox }> = [];

	beforeAll(() => {
		watch.install();
		guard.install();
		sent.install();
	});
	afterEach(() => {
		for (const { label, sandbox } of started.splice(0)) watch.recordSandbox(label, sandbox);
		sent.clear();
	});
	afterAll(() => {
		sent.restore();
		guard.restore();
		watch.restore();
		if (timings.length > 0) {
			const lines = timings.map(
				(t) => `  ${String(t.ms).padStart(7)} ms  (bound ${t.boundMs} ms)  ${t.scenario}`,
			);
			process.stdout.write(`\n${suite}: wall time per scenario\n${lines.join('\n')}\n`);
		}
	});

	return {
		watch,
		guard,
		sent,
		start: async (options = {}) => {
			const { credit = DEFAULT_CREDIT, password = PASSWORD, ...rest } = options;
			const sandbox = await sandboxes.start({
				accounts: [{ user: USER, pass: password, credit }],
				log: (line) => watch.record('sandbox log', line),
				...rest,
			});
			started.push({ label: suite, sandbox });
			return sandbox;
		},
		run: async (label, options, scan = 'all') => {
			const startedAt = Date.now();
			const run = await runNode(options);
			const ms = Date.now() - startedAt;
			if (scan === 'all') watch.recordRun(label, run);
			else {
				watch.record(`${label}: error`, run.error);
				run.outputs.forEach((items, output) =>
					items.forEach((item, index) => {
						if (index % 100 === 0 || !(item.json as IDataObject).lookedUp) {
							watch.record(`${label}: output ${output}`, item);
						}
					}),
				);
			}
			return { ...run, ms };
		},
	};
}

/** Asserts (in the suite's last test, or afterAll) that the watch found no password. */
export function expectNoLeaks(watch: SecretWatch): void {
	expect(watch.leaks.slice(0, 5)).toEqual([]);
	expect(watch.scannedChars).toBeGreaterThan(0);
}

// ---------------------------------------------------------------------------------------------
// (a) one item per input, on the right route, paired

export const VALIDITY_ROUTES = ['Valid', 'Invalid', 'Undetermined', 'Not Looked Up'] as const;

export interface Result {
	/** The input item it is paired to. */
	item: number;
	/** The output it came out on. */
	output: number;
	json: LookupItemJson;
}

/** Every output item with its output index and paired item; checks pairedItem's shape. */
export function resultsOf(outputs: INodeExecutionData[][]): Result[] {
	const results: Result[] = [];
	outputs.forEach((items, output) => {
		for (const item of items) {
			const paired = item.pairedItem as { item?: unknown } | undefined;
			if (!paired || typeof paired.item !== 'number') {
				throw new Error(`An output item has no pairedItem: ${textOf(item).slice(0, 300)}`);
			}
			results.push({ item: paired.item, output, json: item.json as unknown as LookupItemJson });
		}
	});
	return results;
}

const same = (a: unknown, b: unknown) => textOf(a) === textOf(b);

/**
 * (a) for Look Up Number: exactly one output item per input item, paired to it, holding its input.
 * For Look Up Numbers, `inputsOf(itemIndex)` lists what each item holds, one output item each.
 */
export function expectOnePerInput(
	results: readonly Result[],
	itemCount: number,
	inputsOf: (itemIndex: number) => unknown[],
): void {
	const byItem: Result[][] = Array.from({ length: itemCount }, () => []);
	for (const result of results) {
		if (result.item < 0 || result.item >= itemCount) throw new Error(`pairedItem ${result.item} is not an input item`);
		byItem[result.item].push(result);
	}
	const problems: string[] = [];
	for (let index = 0; index < itemCount && problems.length < 10; index++) {
		// `input` is what the item held; nothing (undefined) comes out as null.
		const expected = inputsOf(index).map((input) => textOf(input === undefined ? null : input)).sort();
		const got = byItem[index].map((result) => textOf(result.json.input)).sort();
		if (!same(expected, got)) {
			problems.push(`item ${index}: expected inputs ${textOf(expected).slice(0, 200)}, got ${textOf(got).slice(0, 200)}`);
		}
	}
	expect(problems).toEqual([]);
}

/** The output a result belongs on with Route By = Validity (README "Outputs and fields"). */
export function validityRouteOf(json: LookupItemJson): (typeof VALIDITY_ROUTES)[number] {
	if (!json.lookedUp) return json.reason === 'invalid_number' ? 'Invalid' : 'Not Looked Up';
	if (json.validnumber === true) return 'Valid';
	if (json.validnumber === false) return 'Invalid';
	return 'Undetermined';
}

const E164 = /^[1-9]\d{0,14}$/;

/**
 * Each result on the output its answer says (Route By = Validity), with a consistent shape; a
 * number not looked up only for one of `allowed` reasons (invalid input is always allowed).
 */
export function expectRightRoutes(results: readonly Result[], allowed: readonly NotLookedUpReason[]): void {
	const problems: string[] = [];
	for (const { output, json, item } of results) {
		const route = validityRouteOf(json);
		const where = `item ${item} (${textOf(json.input).slice(0, 60)})`;
		if (VALIDITY_ROUTES[output] !== route) problems.push(`${where} is on ${VALIDITY_ROUTES[output]}, belongs on ${route}`);
		if (json.route !== VALIDITY_ROUTES[output]) problems.push(`${where} says route ${json.route} on ${VALIDITY_ROUTES[output]}`);
		if (json.lookedUp) {
			if (json.reason !== null || typeof json.number !== 'string' || !E164.test(json.number)) {
				problems.push(`${where} looked up with reason ${json.reason} / number ${json.number}`);
			}
		} else {
			if (json.reason !== 'invalid_number' && !allowed.includes(json.reason as NotLookedUpReason)) {
				problems.push(`${where} not looked up for ${json.reason}: ${json.reasonText}`);
			}
			if (typeof json.reasonText !== 'string' || json.reasonText.length < 20) problems.push(`${where} has no reason text`);
		}
		if (problems.length >= 10) break;
	}
	expect(problems).toEqual([]);
}

/** Reasons by count, for messages and expectations. */
export function reasonCounts(results: readonly Result[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const { json } of results) {
		const key = json.lookedUp ? 'lookedUp' : String(json.reason);
		counts[key] = (counts[key] ?? 0) + 1;
	}
	return counts;
}

// ---------------------------------------------------------------------------------------------
// (b) the ledger

/** Reasons under which an answer may have been charged and lost (docs/behaviour.md, "Guarantees": the documented unknowns). */
export const TRANSIT_REASONS: readonly NotLookedUpReason[] = ['network_error', 'timeout', 'protocol_error'];

export interface LedgerExpectations {
	/** Credits per lookup (1, or 1.2 with the serving MSC). */
	cost?: number;
	/** The account's starting credit, to check the balance agrees with the ledger. */
	credit?: number;
	/** With Look Up Duplicates Once off, a number held by n items is rightly paid n times. */
	duplicatesOnce?: boolean;
}

/**
 * (b) Nothing paid twice for a received result; every delivered result is one the node kept
 * (on an output, looked up); the charges are exactly those results plus the answers lost in
 * transit, and every number lost in transit and never received is out with a transit reason.
 */
export function expectLedgerBalanced(sandbox: Sandbox, results: readonly Result[], expectations: LedgerExpectations = {}): void {
	const { cost = 1, credit = DEFAULT_CREDIT, duplicatesOnce = true } = expectations;
	const { ledger } = sandbox;
	const entries = ledger.entries.filter((entry) => entry.account === USER);
	expect(entries.length).toBe(ledger.entries.length);

	const received = new Map<string, number>();
	for (const { json } of results) {
		if (json.lookedUp && json.number !== null) received.set(json.number, (received.get(json.number) ?? 0) + 1);
	}
	const delivered = entries.filter((entry) => entry.delivered).map((entry) => entry.msisdn);
	const undelivered = ledger.undelivered();

	if (duplicatesOnce) {
		expect(ledger.numbersChargedTwiceForDeliveredResult()).toEqual([]);
		expect([...delivered].sort()).toEqual([...received.keys()].sort());
	} else {
		// One delivered answer per item holding the number, never more.
		const deliveredCounts = new Map<string, number>();
		for (const msisdn of delivered) deliveredCounts.set(msisdn, (deliveredCounts.get(msisdn) ?? 0) + 1);
		const over = [...deliveredCounts].filter(([msisdn, count]) => count > (received.get(msisdn) ?? 0));
		expect(over).toEqual([]);
		expect(delivered.length).toBe([...received.values()].reduce((a, b) => a + b, 0));
	}

	// Charged = delivered results + the documented unknowns (charged, never delivered).
	expect(entries.length).toBe(delivered.length + undelivered.length);
	expect(ledger.totalCharged()).toBeCloseTo(entries.length * cost, 2);
	expect(sandbox.balance(USER)).toBeCloseTo(credit - ledger.totalCharged(), 2);

	// A number whose answer was lost and never received is out on Not Looked Up: with a transit
	// reason, or with what stopped the run before its retry (credit).
	const reasonOf = new Map<string, string | null>();
	for (const { json } of results) if (json.number !== null) reasonOf.set(json.number, json.lookedUp ? null : json.reason);
	const unexplained = undelivered
		.filter((entry) => !received.has(entry.msisdn))
		.filter((entry) => !LOST_ANSWER_REASONS.includes(reasonOf.get(entry.msisdn) as NotLookedUpReason))
		.map((entry) => `${entry.msisdn}: ${reasonOf.get(entry.msisdn)}`);
	expect(unexplained).toEqual([]);
}

/** Transit reasons, and the stops that can come before the retry of a lost answer. */
const LOST_ANSWER_REASONS: readonly NotLookedUpReason[] = [...TRANSIT_REASONS, 'insufficient_credit', 'credit_cap'];

/** What reached the sandbox: 1–15 digit numbers only, POSTed, nothing in the URL, few enough. */
export function expectCleanRequests(sandbox: Sandbox, sent: SentRequests, numbersPerRequest: number): void {
	const problems: string[] = [];
	for (const record of sandbox.requests) {
		if (record.method !== 'POST' || record.passwordInUrl || record.queryKeys.length > 0 || record.url !== '/npl') {
			problems.push(`request ${record.id}: ${record.method} ${record.url.slice(0, 80)}`);
		}
		const keys = [...record.bodyKeys].sort();
		if (!keys.every((key) => ['format', 'msc', 'msisdn', 'pass', 'user'].includes(key))) {
			problems.push(`request ${record.id} has body keys ${keys.join(',')}`);
		}
		if (record.kind === 'lookup') {
			if (record.numbers.length > numbersPerRequest) {
				problems.push(`request ${record.id} has ${record.numbers.length} numbers (> ${numbersPerRequest})`);
			}
			const bad = record.numbers.filter((number) => !E164.test(number));
			if (bad.length > 0) problems.push(`request ${record.id} sent ${textOf(bad.slice(0, 3))}`);
		}
		if (problems.length >= 10) break;
	}
	// The raw bodies, as undici sent them: msisdn is digits and encoded commas, nothing else.
	for (const request of sent.all) {
		const msisdn = /(?:^|&)msisdn=([^&]*)/.exec(request.body);
		if (request.method !== 'POST' || request.path.includes('?') || request.path.includes('pass')) {
			problems.push(`sent ${request.method} ${request.path.slice(0, 80)}`);
		}
		if (msisdn && !/^[1-9]\d{0,14}(?:%2C[1-9]\d{0,14})*$/.test(msisdn[1])) {
			problems.push(`sent msisdn=${msisdn[1].slice(0, 80)}`);
		}
		const keys = request.body.split('&').map((pair) => pair.split('=')[0]);
		if (new Set(keys).size !== keys.length || !keys.every((key) => ['user', 'pass', 'msisdn', 'format', 'msc', 'query'].includes(key))) {
			problems.push(`sent body keys ${keys.join(',')}`);
		}
		if (problems.length >= 10) break;
	}
	expect(problems).toEqual([]);
}
