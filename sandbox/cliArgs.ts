import type { SandboxAccount } from './accounts';
import {
	DEFAULT_OPTIONS,
	DEMO_ACCOUNT,
	type BalanceFormat,
	type SandboxOptionsInput,
} from './options';
import type { TextErrorStatus } from './textErrors';

/** The command line of `npm run sandbox -- ...`, turned into startSandbox options. */
export interface CliCommand {
	help: boolean;
	quiet: boolean;
	options: SandboxOptionsInput;
}

export const CLI_USAGE = `Number Portability Lookup sandbox: a local stand-in for the HLR HTTP API (v3.31).

Usage: npm run sandbox -- [flags]

Server
  --port N                  port to listen on (default 8085; 0 = any free port)
  --host H                  address to bind (default 127.0.0.1)
  --admin                   serve GET /__admin/{ledger,requests,connections,accounts}
  --quiet                   no per-request log lines

Accounts (one account replaces the default demo/demo with 10000 credits)
  --user U --pass P --credit N
  --account U:P:N           add an account (repeatable; with --user, both are kept)

Protocol and limits
  --max-per-request N       numbers per request before "Request too long" (default 100; 10 = older rule)
  --max-connections N       open sockets per account before "ERR RATE_LIMIT_EXCEEDED" (default 5)
  --balance-format F        plain | ok | json   (9876.40 | OK 9876.40 | {"balance":9876.4})
  --error-status M          faithful (HTTP 200 for the five text errors, default) | http (401/402/400/413/429)
  --retry-after S           send Retry-After: S with ERR RATE_LIMIT_EXCEEDED
  --max-body-bytes N        POST bodies above this get 413 (default 65536)
  --keep-alive-ms N         idle keep-alive sockets closed after N ms (default 5000)

Subscribers and timing
  --seed N                  seed of every random choice (default 1)
  --ported-share R          share of ordinary mobile numbers that are ported (default 0.15)
  --error-share R           share of ordinary mobile numbers with a non-zero errorcode (default 0.1)
  --latency-ms N            wait per request before the first number (default 0)
  --per-number-ms N         wait per number (default 0)
  --jitter-ms N             extra 0..N ms per request, seeded (default 0)
  --buffered                write the whole answer at the end (default: stream each object)

Faults (rates are shares of requests, 0..1, decided from the seed)
  --drop-after K --drop-rate R                 destroy the connection after K objects
  --http-error-rate R [--http-error-statuses 500,502,503]
  --malformed-rate R                           200 with a body that is not the protocol
  --slow-headers-ms N --slow-headers-rate R    hold the headers back N ms
  --rate-limit-rate R                          ERR RATE_LIMIT_EXCEEDED whatever the load

  --help                    this text
`;

export class CliUsageError extends Error {}

function usageError(message: string): CliUsageError {
	return new CliUsageError(`${message}\nRun with --help for the list of flags.`);
}

function toNumber(
	flag: string,
	raw: string | undefined,
	{ integer = false, min = 0, max = Infinity } = {},
): number {
	if (raw === undefined || raw.startsWith('--')) throw usageError(`${flag} needs a value`);
	const value = Number(raw);
	if (
		raw.trim() === '' ||
		!Number.isFinite(value) ||
		(integer && !Number.isInteger(value)) ||
		value < min ||
		value > max
	) {
		throw usageError(`${flag}: "${raw}" is not a valid value`);
	}
	return value;
}

function toText(flag: string, raw: string | undefined): string {
	if (raw === undefined || raw.startsWith('--')) throw usageError(`${flag} needs a value`);
	return raw;
}

/** Parses argv (without node and script). Throws CliUsageError on unknown flags or bad values. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
	const options: SandboxOptionsInput = { port: 8085 };
	const latency: NonNullable<SandboxOptionsInput['latency']> = {};
	const faults: NonNullable<SandboxOptionsInput['faults']> = {};
	const extraAccounts: SandboxAccount[] = [];
	const single: Partial<SandboxAccount> = {};
	let help = false;
	let quiet = false;

	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const [flag, inline] =
			arg.includes('=') && arg.startsWith('--')
				? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
				: [arg, undefined];
		const next = () => (inline !== undefined ? inline : argv[++i]);
		const int = (min = 0, max = Infinity) => toNumber(flag, next(), { integer: true, min, max });
		const rate = () => toNumber(flag, next(), { min: 0, max: 1 });
		switch (flag) {
			case '--help':
			case '-h':
				help = true;
				break;
			case '--quiet':
				quiet = true;
				break;
			case '--port':
				options.port = int(0, 65535);
				break;
			case '--host':
				options.host = toText(flag, next());
				break;
			case '--admin':
				options.admin = true;
				break;
			case '--user':
				single.user = toText(flag, next());
				break;
			case '--pass':
				single.pass = toText(flag, next());
				break;
			case '--credit':
				single.credit = toNumber(flag, next());
				break;
			case '--account': {
				const raw = toText(flag, next());
				const match = /^([^:]+):(.*):([^:]+)$/.exec(raw);
				if (!match) throw usageError(`--account: "${raw}" is not USER:PASS:CREDIT`);
				extraAccounts.push({ user: match[1], pass: match[2], credit: toNumber(flag, match[3]) });
				break;
			}
			case '--max-per-request':
				options.maxPerRequest = int(1);
				break;
			case '--max-connections':
				options.maxConnections = int(1);
				break;
			case '--balance-format': {
				const value = toText(flag, next());
				if (!['plain', 'ok', 'json'].includes(value))
					throw usageError(`--balance-format: "${value}" is not plain, ok or json`);
				options.balanceFormat = value as BalanceFormat;
				break;
			}
			case '--error-status': {
				const value = toText(flag, next());
				if (!['faithful', 'http'].includes(value))
					throw usageError(`--error-status: "${value}" is not faithful or http`);
				options.textErrorStatus = value as TextErrorStatus;
				break;
			}
			case '--retry-after':
				options.retryAfterSeconds = int(0);
				break;
			case '--max-body-bytes':
				options.maxBodyBytes = int(1);
				break;
			case '--keep-alive-ms':
				options.keepAliveTimeoutMs = int(0);
				break;
			case '--seed':
				options.seed = toNumber(flag, next(), { integer: true, min: -(2 ** 31) });
				break;
			case '--ported-share':
				options.portedShare = rate();
				break;
			case '--error-share':
				options.errorShare = rate();
				break;
			case '--latency-ms':
				latency.baseMs = int(0);
				break;
			case '--per-number-ms':
				latency.perNumberMs = int(0);
				break;
			case '--jitter-ms':
				latency.jitterMs = int(0);
				break;
			case '--buffered':
				options.streaming = false;
				break;
			case '--drop-after':
				faults.drop = { ...faults.drop, afterObjects: int(0) };
				break;
			case '--drop-rate':
				faults.drop = { ...faults.drop, rate: rate() };
				break;
			case '--http-error-rate':
				faults.httpError = { ...faults.httpError, rate: rate() };
				break;
			case '--http-error-statuses': {
				const raw = toText(flag, next());
				const statuses = raw
					.split(',')
					.map((s) => toNumber(flag, s.trim(), { integer: true, min: 500, max: 599 }));
				faults.httpError = { ...faults.httpError, statuses };
				break;
			}
			case '--malformed-rate':
				faults.malformed = { rate: rate() };
				break;
			case '--slow-headers-ms':
				faults.slowHeaders = { ...faults.slowHeaders, delayMs: int(0) };
				break;
			case '--slow-headers-rate':
				faults.slowHeaders = { ...faults.slowHeaders, rate: rate() };
				break;
			case '--rate-limit-rate':
				faults.rateLimit = { rate: rate() };
				break;
			default:
				throw usageError(`unknown flag: ${arg}`);
		}
	}

	const accounts: SandboxAccount[] = [];
	if (single.user !== undefined || single.pass !== undefined || single.credit !== undefined) {
		accounts.push({
			user: single.user ?? DEMO_ACCOUNT.user,
			pass: single.pass ?? DEMO_ACCOUNT.pass,
			credit: single.credit ?? DEMO_ACCOUNT.credit,
		});
	} else if (extraAccounts.length === 0) {
		accounts.push(...DEFAULT_OPTIONS.accounts.map((a) => ({ ...a })));
	}
	accounts.push(...extraAccounts);
	options.accounts = accounts;
	if (Object.keys(latency).length > 0) options.latency = latency;
	if (Object.keys(faults).length > 0) options.faults = faults;
	return { help, quiet, options };
}
