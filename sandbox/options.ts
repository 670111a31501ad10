import type { SandboxAccount } from './accounts';
import { DEFAULT_FAULTS, type FaultOptions } from './faults';
import { DEFAULT_LATENCY, type LatencyOptions } from './latency';
import type { TextErrorStatus } from './textErrors';

/** How `query=balance` answers: `9876.40`, `OK 9876.40` or `{"balance":9876.4}`. */
export type BalanceFormat = 'plain' | 'ok' | 'json';

export interface SandboxOptions {
	/** 0 picks a free port. */
	port: number;
	host: string;
	accounts: SandboxAccount[];
	/** More numbers than this in one request → `Request too long`. 10 reproduces the older rule. */
	maxPerRequest: number;
	/** Open sockets per account; one more → `ERR RATE_LIMIT_EXCEEDED`. 1 reproduces the older rule. */
	maxConnections: number;
	latency: LatencyOptions;
	seed: number;
	/** true: `[`, each object as it completes, `]` (chunked). false: the whole answer at the end. */
	streaming: boolean;
	balanceFormat: BalanceFormat;
	faults: FaultOptions;
	/** Serves /__admin/* (ledger, requests, connections, accounts) when true. */
	admin: boolean;
	/** Request bodies larger than this are answered 413. */
	maxBodyBytes: number;
	textErrorStatus: TextErrorStatus;
	/** When set, every ERR RATE_LIMIT_EXCEEDED carries `Retry-After: <seconds>`. */
	retryAfterSeconds: number | null;
	/** Idle keep-alive sockets are closed by the server after this long. */
	keepAliveTimeoutMs: number;
	/** Share of ordinary mobile numbers that are ported. */
	portedShare: number;
	/** Share of ordinary mobile numbers that answer a non-zero error code. */
	errorShare: number;
	/** One line per request (never with a password), or null for silence. */
	log: ((line: string) => void) | null;
}

/** What startSandbox accepts: any subset, nested groups may be partial too. */
export type SandboxOptionsInput = Partial<Omit<SandboxOptions, 'latency' | 'faults'>> & {
	latency?: Partial<LatencyOptions>;
	faults?: { [K in keyof FaultOptions]?: Partial<FaultOptions[K]> };
};

export const DEMO_ACCOUNT: Readonly<SandboxAccount> = Object.freeze({
	user: 'demo',
	pass: 'demo',
	credit: 10000,
});

export const DEFAULT_OPTIONS: Readonly<SandboxOptions> = Object.freeze({
	port: 0,
	host: '127.0.0.1',
	accounts: [{ ...DEMO_ACCOUNT }],
	maxPerRequest: 100,
	maxConnections: 5,
	latency: DEFAULT_LATENCY,
	seed: 1,
	streaming: true,
	balanceFormat: 'plain',
	faults: DEFAULT_FAULTS,
	admin: false,
	maxBodyBytes: 64 * 1024,
	textErrorStatus: 'faithful',
	retryAfterSeconds: null,
	keepAliveTimeoutMs: 5000,
	portedShare: 0.15,
	errorShare: 0.1,
	log: null,
});

function check(condition: boolean, message: string): void {
	if (!condition) throw new RangeError(`sandbox option ${message}`);
}

const isRate = (n: number) => Number.isFinite(n) && n >= 0 && n <= 1;
const isCount = (n: number, min: number) => Number.isInteger(n) && n >= min;
const isMs = (n: number) => Number.isFinite(n) && n >= 0;

/** Fills in defaults and rejects values that make no sense (RangeError). */
export function resolveOptions(input: SandboxOptionsInput = {}): SandboxOptions {
	const defined = Object.fromEntries(
		Object.entries(input).filter(([, value]) => value !== undefined),
	) as SandboxOptionsInput;
	const f = input.faults ?? {};
	const d = DEFAULT_FAULTS;
	const options: SandboxOptions = {
		...DEFAULT_OPTIONS,
		...defined,
		accounts: (input.accounts ?? DEFAULT_OPTIONS.accounts).map((account) => ({ ...account })),
		latency: { ...DEFAULT_LATENCY, ...input.latency },
		faults: {
			drop: { ...d.drop, ...f.drop },
			httpError: {
				...d.httpError,
				...f.httpError,
				statuses: [...(f.httpError?.statuses ?? d.httpError.statuses)],
			},
			malformed: { ...d.malformed, ...f.malformed },
			slowHeaders: { ...d.slowHeaders, ...f.slowHeaders },
			rateLimit: { ...d.rateLimit, ...f.rateLimit },
		},
	};
	check(isCount(options.port, 0) && options.port <= 65535, `port: ${options.port}`);
	check(options.accounts.length > 0, 'accounts: at least one');
	for (const a of options.accounts) {
		check(
			typeof a.user === 'string' && a.user.length > 0,
			'accounts: user must be a non-empty string',
		);
		check(typeof a.pass === 'string', 'accounts: pass must be a string');
		check(
			Number.isFinite(a.credit) && a.credit >= 0,
			`accounts: credit of "${a.user}" must be >= 0`,
		);
	}
	check(isCount(options.maxPerRequest, 1), `maxPerRequest: ${options.maxPerRequest}`);
	check(isCount(options.maxConnections, 1), `maxConnections: ${options.maxConnections}`);
	check(Number.isInteger(options.seed), `seed must be an integer: ${options.seed}`);
	const { baseMs, perNumberMs, jitterMs } = options.latency;
	check([baseMs, perNumberMs, jitterMs].every(isMs), 'latency: values must be >= 0 ms');
	check(
		['plain', 'ok', 'json'].includes(options.balanceFormat),
		`balanceFormat: ${options.balanceFormat}`,
	);
	check(
		['faithful', 'http'].includes(options.textErrorStatus),
		`textErrorStatus: ${options.textErrorStatus}`,
	);
	check(isCount(options.maxBodyBytes, 1), `maxBodyBytes: ${options.maxBodyBytes}`);
	check(isMs(options.keepAliveTimeoutMs), `keepAliveTimeoutMs: ${options.keepAliveTimeoutMs}`);
	check(
		options.retryAfterSeconds === null || isCount(options.retryAfterSeconds, 0),
		'retryAfterSeconds',
	);
	check(isRate(options.portedShare), `portedShare: ${options.portedShare}`);
	check(isRate(options.errorShare), `errorShare: ${options.errorShare}`);
	const { drop, httpError, malformed, slowHeaders, rateLimit } = options.faults;
	for (const [name, rate] of Object.entries({
		drop: drop.rate,
		httpError: httpError.rate,
		malformed: malformed.rate,
		slowHeaders: slowHeaders.rate,
		rateLimit: rateLimit.rate,
	})) {
		check(isRate(rate), `faults.${name}.rate must be within 0..1: ${rate}`);
	}
	check(isCount(drop.afterObjects, 0), `faults.drop.afterObjects: ${drop.afterObjects}`);
	check(httpError.statuses.length > 0, 'faults.httpError.statuses: at least one');
	check(
		httpError.statuses.every((s) => isCount(s, 500) && s <= 599),
		'faults.httpError.statuses: 500..599',
	);
	check(isMs(slowHeaders.delayMs), `faults.slowHeaders.delayMs: ${slowHeaders.delayMs}`);
	return options;
}
