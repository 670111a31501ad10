import type { Dispatcher } from 'undici';

import { parseBalance } from '../engine/protocol/balance';
import { quoteBody, redactSecrets } from '../engine/protocol/errors';
import { JsonArrayStream } from '../engine/protocol/jsonArrayStream';
import { parseLegacyCsv } from '../engine/protocol/legacyCsv';
import { classifyTextAnswer } from '../engine/protocol/textAnswer';
import type { LookupTransport, RequestFailure } from '../engine/scheduling/transportContract';
import type { RawLookupObject } from '../engine/types';
import { accountConnections } from './accountBudgets';
import { checkBaseUrl } from './baseUrl';
import type { ConnectionBudget } from './connectionBudget';

export interface Account {
	baseUrl: string;
	user: string;
	password: string;
}

export interface ClientSettings {
	/** Ask for the serving MSC (msc=1, 1.2 credits a lookup). */
	includeMsc: boolean;
	/** Longest wait for the answer's headers, and between two pieces of its body. */
	timeoutMs: number;
}

/** A text body longer than this is not one of the service's short messages. */
const MAX_TEXT_BODY = 64 * 1024;

/** A failure of Get Balance or the credential test, already worded for the user. */
export class ServiceRequestError extends Error {
	name = 'ServiceRequestError';
	constructor(
		readonly failure: RequestFailure,
		message: string,
	) {
		super(message);
	}
}

/**
 * Speaks the service's HTTP protocol for one account: POSTs a form body (the password never
 * goes in a URL), streams the JSON answer object by object, and turns every other answer into
 * a typed failure. Connections come from the account's budget (process-wide, or cluster-wide
 * through Redis in queue mode).
 */
export class ServiceClient implements LookupTransport {
	private readonly url: URL;
	private readonly connections: ConnectionBudget;
	private readonly secrets: string[];
	/** Where this client's share of the budget's notices starts. */
	private readonly noticesFrom: number;
	private countedAcrossProcesses = false;

	constructor(
		private readonly account: Account,
		private readonly settings: ClientSettings,
	) {
		this.url = checkBaseUrl(account.baseUrl);
		this.connections = accountConnections(this.url.href, account.user);
		this.noticesFrom = this.connections.noticeCursor();
		// Its encoded forms are derived where text is redacted (engine/protocol/errors.ts).
		this.secrets = [account.password];
	}

	/**
	 * What happened to the cross-process connection budget while this client was in use (Redis
	 * unreachable or lost, and back): one user-facing sentence each, no secrets. Empty in
	 * regular mode and when all went well.
	 */
	coordinationNotices(): string[] {
		return this.connections.noticesSince(this.noticesFrom);
	}

	/** Whether any request of this client was counted across processes (through Redis). */
	usedRedis(): boolean {
		return this.countedAcrossProcesses;
	}

	/** Registers a run's Max Connections with the account budget; returns the leave function. */
	joinAccount(maxConnections: number): () => void {
		return this.connections.join(maxConnections);
	}

	async lookup(
		numbers: readonly string[],
		onResult: (raw: RawLookupObject) => void,
		signal?: AbortSignal,
	): Promise<RequestFailure | null> {
		const form = new URLSearchParams({
			user: this.account.user,
			pass: this.account.password,
			msisdn: numbers.join(','),
			format: 'json',
		});
		if (this.settings.includeMsc) form.set('msc', '1');
		const failure = await this.post(
			form,
			async (response) => await this.readLookupAnswer(response, onResult),
			signal,
		);
		if (failure?.kind === 'rate_limited') this.connections.reportRateLimited();
		else if (!failure) this.connections.reportCleanAnswer();
		return failure;
	}

	/** The account balance, in credits. Throws ServiceRequestError with a user-facing message. */
	async balance(): Promise<number> {
		const form = new URLSearchParams({
			user: this.account.user,
			pass: this.account.password,
			query: 'balance',
		});
		let balance = NaN;
		const failure = await this.post(form, async (response) => {
			const text = await readText(response.body);
			const textError = classifyTextAnswer(text);
			if (textError) return { kind: textError } as RequestFailure;
			if (response.statusCode !== 200) return this.statusFailure(response, text);
			try {
				balance = parseBalance(text, this.secrets);
				return null;
			} catch (error) {
				return this.protocolFailure((error as Error).message);
			}
		});
		if (failure) throw new ServiceRequestError(failure, describeFailure(failure));
		return balance;
	}

	/**
	 * Sends one form POST under a connection permit; network errors become failures. When
	 * `signal` aborts, the wait for a permit or the request in flight ends at once: `stopped`.
	 */
	private async post(
		form: URLSearchParams,
		read: (response: Dispatcher.ResponseData) => Promise<RequestFailure | null>,
		signal?: AbortSignal,
	): Promise<RequestFailure | null> {
		let permit: Awaited<ReturnType<ConnectionBudget['acquire']>>;
		try {
			permit = await this.connections.acquire(signal);
		} catch (error) {
			// The wait for a connection ends with the stop; anything else is the network's.
			if (signal?.aborted) return { kind: 'stopped', sent: false };
			return networkFailure(error, this.secrets);
		}
		const { dispatcher, release } = permit;
		if (this.connections.sharedAcrossProcesses) this.countedAcrossProcesses = true;
		try {
			const response = await dispatcher.request({
				origin: this.url.origin,
				path: this.url.pathname + this.url.search,
				method: 'POST',
				headers: {
					'content-type': 'application/x-www-form-urlencoded',
					accept: 'application/json, text/plain;q=0.9',
				},
				body: form.toString(),
				headersTimeout: this.settings.timeoutMs,
				bodyTimeout: this.settings.timeoutMs,
				signal,
			});
			try {
				const failure = await read(response);
				// An abort mid-answer surfaces as a broken stream: it is the stop, not the network.
				return failure && signal?.aborted ? { kind: 'stopped', sent: true } : failure;
			} finally {
				// A failure path may leave the body unread; free the socket either way.
				if (!response.body.readableEnded) response.body.destroy();
			}
		} catch (error) {
			if (signal?.aborted) return { kind: 'stopped', sent: true };
			return networkFailure(error, this.secrets);
		} finally {
			release();
		}
	}

	private async readLookupAnswer(
		response: Dispatcher.ResponseData,
		onResult: (raw: RawLookupObject) => void,
	): Promise<RequestFailure | null> {
		if (response.statusCode !== 200) {
			const text = await readText(response.body);
			const textError = classifyTextAnswer(text);
			if (textError) return textFailure(textError, response);
			return this.statusFailure(response, text);
		}
		const parser = new JsonArrayStream({ secrets: this.secrets });
		let delivered = 0;
		const deliver = (chunk: Buffer) => {
			for (const raw of parser.push(chunk)) {
				delivered++;
				onResult(raw);
			}
		};
		// Leading whitespace, held until the first byte tells JSON from a text answer.
		const blankHead: Buffer[] = [];
		let isJson: boolean | null = null;
		try {
			for await (const chunk of response.body as AsyncIterable<Buffer>) {
				if (isJson === null) {
					const first = firstNonSpaceByte(chunk);
					if (first === undefined) {
						blankHead.push(chunk);
						continue;
					}
					isJson = first === 0x5b /* [ */ || first === 0x7b /* { */;
					if (!isJson) {
						// A text answer: an error, or legacy CSV. Read the rest, bounded.
						const text =
							Buffer.concat([...blankHead, chunk]).toString('utf8') +
							(await readText(response.body));
						return this.textAnswer(text, response, onResult);
					}
				}
				deliver(chunk);
			}
			if (isJson === null) return this.protocolFailure('The service sent an empty answer', '');
			// end() may throw a ProtocolError held back so the objects before it were kept.
			if (!parser.end().complete) {
				return { kind: 'truncated', message: `The answer stopped after ${delivered} results.` };
			}
		} catch (error) {
			if (isProtocolError(error)) return this.protocolFailure(error.message);
			const failure = networkFailure(error, this.secrets);
			// Objects already read are kept by the caller; only the cut matters here.
			if (failure.kind === 'network' && delivered > 0) {
				return { kind: 'truncated', message: `The connection broke after ${delivered} answers.` };
			}
			return failure;
		}
		return null;
	}

	private textAnswer(
		text: string,
		response: Dispatcher.ResponseData,
		onResult: (raw: RawLookupObject) => void,
	): RequestFailure | null {
		const textError = classifyTextAnswer(text);
		if (textError) return textFailure(textError, response);
		let rows: RawLookupObject[];
		try {
			rows = parseLegacyCsv(text, this.secrets);
		} catch (error) {
			return this.protocolFailure((error as Error).message);
		}
		if (rows.length === 0)
			return this.protocolFailure('The service sent an unexpected answer', text);
		for (const raw of rows) onResult(raw);
		return null;
	}

	private statusFailure(response: Dispatcher.ResponseData, body: string): RequestFailure {
		return {
			kind: 'http_status',
			status: response.statusCode,
			retryAfterMs: retryAfterMs(response.headers['retry-after']),
			message: `The service answered HTTP ${response.statusCode}: ${quoteBody(body, this.secrets)}`,
		};
	}

	private protocolFailure(what: string, body?: string): RequestFailure {
		const quoted = body === undefined ? '' : `: ${quoteBody(body, this.secrets)}`;
		return { kind: 'protocol', message: `${redactSecrets(what, this.secrets)}${quoted}` };
	}
}

function textFailure(
	kind: ReturnType<typeof classifyTextAnswer> & string,
	response: Dispatcher.ResponseData,
): RequestFailure {
	if (kind === 'rate_limited') {
		return { kind, retryAfterMs: retryAfterMs(response.headers['retry-after']) };
	}
	return { kind };
}

/** Reads a body as text, up to MAX_TEXT_BODY characters. */
async function readText(body: Dispatcher.ResponseData['body']): Promise<string> {
	let text = '';
	for await (const chunk of body as AsyncIterable<Buffer>) {
		text += chunk.toString('utf8');
		if (text.length > MAX_TEXT_BODY) {
			body.destroy();
			break;
		}
	}
	return text;
}

const NETWORK_CODES: Record<string, string> = {
	UND_ERR_SOCKET: 'ECONNRESET',
	UND_ERR_CONNECT_TIMEOUT: 'ETIMEDOUT',
	UND_ERR_CLOSED: 'ECONNRESET',
};

function networkFailure(error: unknown, secrets: string[]): RequestFailure {
	const err = error as { code?: string; message?: string; cause?: { code?: string } };
	const code = err?.code ?? err?.cause?.code ?? 'EUNKNOWN';
	const message = redactSecrets(String(err?.message ?? error), secrets);
	if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
		return { kind: 'timeout', message: `The service did not answer in time (${message}).` };
	}
	const mapped = NETWORK_CODES[code] ?? code;
	return {
		kind: 'network',
		code: mapped,
		message: `Could not reach the service: ${mapped} (${message}).`,
	};
}

function firstNonSpaceByte(chunk: Buffer): number | undefined {
	for (const byte of chunk) {
		if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return byte;
	}
	return undefined;
}

function isProtocolError(error: unknown): error is Error {
	return error instanceof Error && error.name === 'ProtocolError';
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(header: string | string[] | undefined): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** One sentence for a failure that ends a request. */
export function describeFailure(failure: RequestFailure): string {
	switch (failure.kind) {
		case 'invalid_password':
			return 'The service refused the credential (FAIL Invalid password). Check the user and password in the Number Portability Lookup API credential.';
		case 'insufficient_credit':
			return 'The account has no credit left (FAIL Insufficient credit). Top up the account.';
		case 'no_numbers':
			return 'The service answered "No numbers specified".';
		case 'request_too_long':
			return 'The service answered "Request too long".';
		case 'rate_limited':
			return 'The service refused the connection (ERR RATE_LIMIT_EXCEEDED): too many connections for this account. Lower Max Connections, or wait for other workflows using the account.';
		case 'stopped':
			return 'The execution was stopped.';
		default:
			return failure.message;
	}
}
