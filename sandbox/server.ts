import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { Accounts } from './accounts';
import { handleAdmin, ADMIN_PREFIX } from './admin';
import { ConnectionTracker, type ConnectionStats } from './connections';
import { httpErrorBody, planFaults } from './faults';
import { requestDelayMs, sleep } from './latency';
import { Ledger } from './ledger';
import { answerLookup, lookupCost } from './lookup';
import { resolveOptions, type SandboxOptions, type SandboxOptionsInput } from './options';
import {
	isFormBody,
	mergeParams,
	parseForm,
	readBody,
	splitTarget,
	urlHasPassword,
} from './params';
import { formatCredits } from './render';
import type { RequestRecord } from './requests';
import { TEXT_ERRORS, textErrorStatus, type TextErrorName } from './textErrors';

/** A running sandbox. */
export interface Sandbox {
	/** 'http://127.0.0.1:<port>/npl' */
	readonly url: string;
	/** 'http://127.0.0.1:<port>' (for undici Client / Pool). */
	readonly origin: string;
	readonly port: number;
	readonly host: string;
	readonly options: Readonly<SandboxOptions>;
	readonly ledger: Ledger;
	/** Every request, in arrival order (live array). */
	readonly requests: RequestRecord[];
	readonly connections: ConnectionStats;
	/** Balance of an account, in credits (e.g. 9998.8). Throws for an unknown user. */
	balance(user: string): number;
	/** Sets an account's credit, in credits. Throws for an unknown user. */
	setCredit(user: string, credit: number): void;
	/** Stops listening and destroys every open socket; idempotent. */
	close(): Promise<void>;
}

const NPL_PATHS = new Set(['/npl', '/npl/']);

/** Splits the msisdn parameter the way the service does: commas; entries trimmed; empties dropped. */
export function splitNumbers(msisdn: string | undefined): string[] {
	if (msisdn === undefined) return [];
	return msisdn
		.split(',')
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

function sendText(
	res: ServerResponse,
	record: RequestRecord | null,
	status: number,
	text: string,
	headers: Record<string, string | number> = {},
): void {
	if (record) record.status = status;
	if (res.headersSent || res.destroyed) return;
	res.writeHead(status, {
		...headers,
		'Content-Type': 'text/plain; charset=utf-8',
		'Content-Length': Buffer.byteLength(text),
	});
	res.end(text);
}

function formatHost(host: string): string {
	return host.includes(':') ? `[${host}]` : host;
}

export async function startSandbox(input: SandboxOptionsInput = {}): Promise<Sandbox> {
	const options = resolveOptions(input);
	const accounts = new Accounts(options.accounts);
	const ledger = new Ledger();
	const requests: RequestRecord[] = [];
	const tracker = new ConnectionTracker();
	let faultSequence = 0;
	let nextRequestId = 1;

	const newRecord = (req: IncomingMessage, path: string): RequestRecord => {
		const record: RequestRecord = {
			id: nextRequestId++,
			socketId: tracker.socketId(req.socket),
			method: req.method ?? '',
			path,
			url: req.url ?? '',
			passwordInUrl: urlHasPassword(req.url ?? ''),
			queryKeys: [],
			bodyKeys: [],
			user: null,
			account: null,
			kind: 'other',
			format: null,
			msc: false,
			numbers: [],
			outcome: 'pending',
			status: null,
			faults: [],
			faultSequence: null,
			plannedDelayMs: 0,
			charged: 0,
			delivered: 0,
			clientAborted: false,
			startedAt: Date.now(),
			finishedAt: null,
		};
		requests.push(record);
		return record;
	};

	const handle = async (
		req: IncomingMessage,
		res: ServerResponse,
		current: { record: RequestRecord | null },
	): Promise<void> => {
		const socket = req.socket;
		const target = splitTarget(req.url ?? '/');
		if (target && options.admin && target.path.startsWith(ADMIN_PREFIX)) {
			handleAdmin(req, res, target.path, { ledger, requests, tracker, accounts });
			return;
		}

		const record = newRecord(req, target?.path ?? '');
		current.record = record;
		const headers: Record<string, string> = {
			'X-Sandbox-Request-Id': String(record.id),
			'Cache-Control': 'no-store',
		};
		const aborter = new AbortController();
		const signal = aborter.signal;
		res.once('close', () => {
			record.finishedAt = Date.now();
			if (!res.writableEnded && !record.faults.includes('drop')) record.clientAborted = true;
			aborter.abort();
			options.log?.(
				`#${record.id} ${record.method} ${record.path} user=${record.account ?? record.user ?? '-'}` +
					` n=${record.numbers.length} -> ${record.outcome} ${record.status ?? '-'}` +
					` charged=${record.charged} delivered=${record.delivered}` +
					`${record.clientAborted ? ' (client left)' : ''} ${record.finishedAt - record.startedAt}ms`,
			);
		});
		const finish = (
			outcome: RequestRecord['outcome'],
			status: number,
			text: string,
			extra: Record<string, string> = {},
		) => {
			record.outcome = outcome;
			sendText(res, record, status, text, { ...headers, ...extra });
		};
		const textError = (name: TextErrorName) => {
			const extra: Record<string, string> = {};
			if (name === 'rate_limited') {
				// The connection is refused: answer, then close it (it never counted for the account).
				extra.Connection = 'close';
				if (options.retryAfterSeconds !== null)
					extra['Retry-After'] = String(options.retryAfterSeconds);
			}
			finish(name, textErrorStatus(name, options.textErrorStatus), TEXT_ERRORS[name].text, extra);
		};

		if (!target) return finish('bad_request', 400, 'Bad request');
		if (!NPL_PATHS.has(target.path)) return finish('not_found', 404, 'Not found');
		if (req.method !== 'GET' && req.method !== 'POST') {
			return finish('method_not_allowed', 405, 'Method not allowed', { Allow: 'GET, POST' });
		}

		let bodyText = '';
		if (req.method === 'POST') {
			const body = await readBody(req, options.maxBodyBytes);
			if (!body.ok) {
				if (body.reason === 'aborted') {
					record.outcome = 'bad_request';
					record.clientAborted = true;
					return;
				}
				return finish(
					'body_too_large',
					413,
					`Request body too large (limit ${options.maxBodyBytes} bytes)`,
					{
						Connection: 'close',
					},
				);
			}
			if (isFormBody(req.headers['content-type'])) bodyText = body.body;
		} else {
			req.resume();
		}

		const query = parseForm(target.query);
		const form = parseForm(bodyText);
		if (query === null || form === null) return finish('bad_request', 400, 'Bad request');
		record.queryKeys = [...query.keys()];
		record.bodyKeys = [...form.keys()];
		const params = mergeParams(query, form);
		record.user = params.user ?? null;
		const isBalance = params.query?.toLowerCase() === 'balance';
		record.kind = isBalance ? 'balance' : 'lookup';
		if (!isBalance) {
			record.format = params.format?.toLowerCase() === 'json' ? 'json' : 'csv';
			record.msc = params.msc === '1';
			record.numbers = splitNumbers(params.msisdn);
		}

		const account = accounts.authenticate(params.user, params.pass);
		if (account === null) return textError('invalid_password');
		record.account = account;
		if (!tracker.claim(socket, account, options.maxConnections)) return textError('rate_limited');

		const plan = planFaults(options.faults, options.seed, ++faultSequence);
		record.faultSequence = plan.sequence;
		if (plan.slowHeadersMs > 0) {
			record.faults.push('slow_headers');
			record.outcome = 'fault:slow_headers';
			if (!(await sleep(plan.slowHeadersMs, signal))) return;
		}
		const okOutcome = plan.slowHeadersMs > 0 ? 'fault:slow_headers' : 'ok';
		if (plan.rateLimit) {
			record.faults.push('rate_limit');
			textError('rate_limited');
			record.outcome = 'fault:rate_limit';
			return;
		}
		if (plan.httpErrorStatus !== null) {
			record.faults.push('http_error');
			record.outcome = 'fault:http_error';
			const status = plan.httpErrorStatus;
			const body = httpErrorBody(status, STATUS_CODES[status] ?? 'Server Error');
			record.status = status;
			res.writeHead(status, {
				...headers,
				'Content-Type': 'text/html; charset=utf-8',
				'Content-Length': Buffer.byteLength(body),
			});
			res.end(body);
			return;
		}

		if (isBalance) {
			record.outcome = okOutcome;
			const hundredths = accounts.balanceHundredths(account);
			const body =
				options.balanceFormat === 'json'
					? JSON.stringify({ balance: hundredths / 100 })
					: `${options.balanceFormat === 'ok' ? 'OK ' : ''}${formatCredits(hundredths)}`;
			record.status = 200;
			res.writeHead(200, {
				...headers,
				'Content-Type': `${options.balanceFormat === 'json' ? 'application/json' : 'text/plain'}; charset=utf-8`,
				'Content-Length': Buffer.byteLength(body),
			});
			res.end(body);
			return;
		}

		const entries = record.numbers;
		if (entries.length === 0) return textError('no_numbers');
		if (entries.length > options.maxPerRequest) return textError('request_too_long');
		if (!accounts.reserve(account, entries.length * lookupCost(record.msc))) {
			return textError('insufficient_credit');
		}
		record.outcome = okOutcome;
		record.plannedDelayMs = requestDelayMs(options.latency, options.seed, record.id);
		await answerLookup({
			res,
			socket,
			record,
			account,
			entries,
			format: record.format ?? 'csv',
			msc: record.msc,
			plan,
			options,
			accounts,
			ledger,
			signal,
			headers,
		});
	};

	const server = createServer({ noDelay: true }, (req, res) => {
		const current: { record: RequestRecord | null } = { record: null };
		handle(req, res, current).catch((error: unknown) => {
			options.log?.(
				`sandbox: internal error: ${error instanceof Error ? error.message : String(error)}`,
			);
			if (current.record) current.record.outcome = 'internal_error';
			if (!res.headersSent && !res.destroyed)
				sendText(res, current.record, 500, 'Internal sandbox error');
			else req.socket.destroy();
		});
	});
	server.keepAliveTimeout = options.keepAliveTimeoutMs;

	server.on('connection', (socket: Socket) => {
		tracker.track(socket);
		socket.on('error', () => {
			// A reset by the peer is an ordinary event here; 'close' does the accounting.
		});
	});
	server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
		tracker.countProtocolError();
		if (error.code === 'ECONNRESET' || !socket.writable) {
			socket.destroy();
			return;
		}
		const status =
			error.code === 'HPE_HEADER_OVERFLOW'
				? 431
				: error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
					? 408
					: 400;
		const text = STATUS_CODES[status] ?? 'Bad Request';
		socket.end(
			`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
				`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
		);
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen({ port: options.port, host: options.host, backlog: 2048 }, () => {
			server.removeListener('error', reject);
			resolve();
		});
	});
	server.on('error', (error) => options.log?.(`sandbox: server error: ${error.message}`));

	const port = (server.address() as AddressInfo).port;
	const origin = `http://${formatHost(options.host)}:${port}`;
	let closing: Promise<void> | null = null;

	return {
		url: `${origin}/npl`,
		origin,
		port,
		host: options.host,
		options,
		ledger,
		requests,
		connections: tracker,
		balance: (user) => accounts.balance(user),
		setCredit: (user, credit) => accounts.setCredit(user, credit),
		close: () => {
			closing ??= new Promise<void>((resolve) => {
				server.close(() => resolve());
				tracker.destroyAll();
				server.closeAllConnections();
			});
			return closing;
		},
	};
}
