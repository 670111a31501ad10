import type { ServiceLink, ServiceResponse } from '../ports';
import type { LookupTransport, RequestFailure } from '../scheduling/transportContract';
import type { RawLookupObject } from '../types';
import { parseBalance } from './balance';
import { quoteBody, redactSecrets } from './errors';
import { JsonArrayStream } from './jsonArrayStream';
import { parseLegacyCsv } from './legacyCsv';
import { classifyTextAnswer } from './textAnswer';

export interface ClientSettings {
	/** Ask for the serving MSC (msc=1, 1.2 credits a lookup). */
	includeMsc: boolean;
	/** Longest wait for the answer's headers, and between two pieces of its body. */
	timeoutMs: number;
	/** What must never be quoted back from an answer (the account's password). */
	secrets: readonly string[];
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
 * Speaks the service's HTTP protocol for one account, over the host's link: posts a form body
 * (the link adds the user and password to it: they never go in a URL), streams the JSON answer
 * object by object, and turns every other answer into a typed failure. The link's budget decides
 * when a request may go (process-wide, or cluster-wide through Redis in queue mode).
 */
export class ServiceClient implements LookupTransport {
	constructor(
		private readonly link: ServiceLink,
		private readonly settings: ClientSettings,
	) {}

	/** See ServiceLink.coordinationNotices. */
	coordinationNotices(): string[] {
		return this.link.coordinationNotices();
	}

	/** Whether any request of this client was counted across processes (through Redis). */
	usedRedis(): boolean {
		return this.link.countedAcrossProcesses();
	}

	/** Registers a run's Max Connections with the account budget; returns the leave function. */
	joinAccount(maxConnections: number): () => void {
		return this.link.join(maxConnections);
	}

	async lookup(
		numbers: readonly string[],
		onResult: (raw: RawLookupObject) => void,
		signal?: AbortSignal,
	): Promise<RequestFailure | null> {
		const fields: Record<string, string> = { msisdn: numbers.join(','), format: 'json' };
		if (this.settings.includeMsc) fields.msc = '1';
		const failure = await this.post(
			fields,
			async (response) => await this.readLookupAnswer(response, onResult),
			signal,
		);
		if (failure?.kind === 'rate_limited') this.link.reportRateLimited();
		else if (!failure) this.link.reportCleanAnswer();
		return failure;
	}

	/** The account balance, in credits. Throws ServiceRequestError with a user-facing message. */
	async balance(signal?: AbortSignal): Promise<number> {
		let balance = NaN;
		const failure = await this.post(
			{ query: 'balance' },
			async (response) => {
				const text = await readText(response);
				const textError = classifyTextAnswer(text);
				if (textError) return { kind: textError } as RequestFailure;
				if (response.status !== 200) return this.statusFailure(response, text);
				try {
					balance = parseBalance(text, this.settings.secrets);
					return null;
				} catch (error) {
					return this.protocolFailure((error as Error).message);
				}
			},
			signal,
		);
		if (failure) throw new ServiceRequestError(failure, describeFailure(failure));
		return balance;
	}

	/**
	 * Sends one form POST under a permit of the account's budget; the link's errors become
	 * failures. When `signal` aborts, the wait for a permit or the request in flight ends at
	 * once: `stopped`.
	 */
	private async post(
		fields: Record<string, string>,
		read: (response: ServiceResponse) => Promise<RequestFailure | null>,
		signal?: AbortSignal,
	): Promise<RequestFailure | null> {
		let permit: Awaited<ReturnType<ServiceLink['acquire']>>;
		try {
			permit = await this.link.acquire(signal);
		} catch (error) {
			// The wait for a connection ends with the stop; anything else is the network's.
			if (signal?.aborted) return { kind: 'stopped', sent: false };
			return this.networkFailure(error);
		}
		try {
			const response = await permit.post(fields, { signal, timeoutMs: this.settings.timeoutMs });
			try {
				const failure = await read(response);
				// An abort mid-answer surfaces as a broken stream: it is the stop, not the network.
				return failure && signal?.aborted ? { kind: 'stopped', sent: true } : failure;
			} finally {
				// A failure path may leave the body unread; free the connection either way.
				response.discard();
			}
		} catch (error) {
			if (signal?.aborted) return { kind: 'stopped', sent: true };
			return this.networkFailure(error);
		} finally {
			permit.release();
		}
	}

	private async readLookupAnswer(
		response: ServiceResponse,
		onResult: (raw: RawLookupObject) => void,
	): Promise<RequestFailure | null> {
		if (response.status !== 200) {
			const text = await readText(response);
			const textError = classifyTextAnswer(text);
			if (textError) return textFailure(textError, response);
			return this.statusFailure(response, text);
		}
		const parser = new JsonArrayStream({ secrets: this.settings.secrets });
		let delivered = 0;
		const deliver = (chunk: Uint8Array) => {
			for (const raw of parser.push(chunk)) {
				delivered++;
				onResult(raw);
			}
		};
		// Leading whitespace, held until the first byte tells JSON from a text answer.
		const blankHead: Uint8Array[] = [];
		let isJson: boolean | null = null;
		try {
			for await (const chunk of response.body) {
				if (isJson === null) {
					const first = firstNonSpaceByte(chunk);
					if (first === undefined) {
						blankHead.push(chunk);
						continue;
					}
					isJson = first === 0x5b /* [ */ || first === 0x7b /* { */;
					if (!isJson) {
						// A text answer: an error, or legacy CSV. Read the rest, bounded.
						const text = await readText(response, [...blankHead, chunk]);
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
			const failure = this.networkFailure(error);
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
		response: ServiceResponse,
		onResult: (raw: RawLookupObject) => void,
	): RequestFailure | null {
		const textError = classifyTextAnswer(text);
		if (textError) return textFailure(textError, response);
		let rows: RawLookupObject[];
		try {
			rows = parseLegacyCsv(text, this.settings.secrets);
		} catch (error) {
			return this.protocolFailure((error as Error).message);
		}
		if (rows.length === 0)
			return this.protocolFailure('The service sent an unexpected answer', text);
		for (const raw of rows) onResult(raw);
		return null;
	}

	private statusFailure(response: ServiceResponse, body: string): RequestFailure {
		return {
			kind: 'http_status',
			status: response.status,
			retryAfterMs: retryAfterMs(response.header('retry-after')),
			message: `The service answered HTTP ${response.status}: ${quoteBody(body, this.settings.secrets)}`,
		};
	}

	private protocolFailure(what: string, body?: string): RequestFailure {
		const quoted = body === undefined ? '' : `: ${quoteBody(body, this.settings.secrets)}`;
		return { kind: 'protocol', message: `${redactSecrets(what, this.settings.secrets)}${quoted}` };
	}

	/** The link's error as a failure, its message scrubbed of the secrets. */
	private networkFailure(error: unknown): RequestFailure {
		const fault = this.link.classify(error);
		return { ...fault, message: redactSecrets(fault.message, this.settings.secrets) };
	}
}

function textFailure(
	kind: ReturnType<typeof classifyTextAnswer> & string,
	response: ServiceResponse,
): RequestFailure {
	if (kind === 'rate_limited') {
		return { kind, retryAfterMs: retryAfterMs(response.header('retry-after')) };
	}
	return { kind };
}

/**
 * Reads the rest of a body as text (after `head`, chunks already taken from it), up to
 * MAX_TEXT_BODY characters.
 */
async function readText(response: ServiceResponse, head: readonly Uint8Array[] = []): Promise<string> {
	const decoder = new TextDecoder('utf-8');
	let text = '';
	for (const chunk of head) text += decoder.decode(chunk, { stream: true });
	for await (const chunk of response.body) {
		text += decoder.decode(chunk, { stream: true });
		if (text.length > MAX_TEXT_BODY) {
			response.discard();
			return text;
		}
	}
	return text + decoder.decode();
}

function firstNonSpaceByte(chunk: Uint8Array): number | undefined {
	for (const byte of chunk) {
		if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return byte;
	}
	return undefined;
}

function isProtocolError(error: unknown): error is Error {
	return error instanceof Error && error.name === 'ProtocolError';
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(header: string | undefined): number | undefined {
	const value = header;
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
