import type {
	IAdditionalCredentialOptions,
	IAllExecuteFunctions,
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { RequestPermits } from '../../../engine/budget/requestPermits';
import type {
	Clock,
	LinkPermit,
	NetworkFault,
	ServiceLink,
	ServiceResponse,
} from '../../../engine/ports';
import { CREDENTIAL_NAME } from '../helpers/account';

/** What the link needs of n8n's node context: its HTTP helper (execute and poll contexts have it). */
export interface HttpContext {
	helpers: Pick<IExecuteFunctions['helpers'], 'httpRequestWithAuthentication'>;
}

/** The account's budget of requests in flight, per n8n process: shared by its executions. */
const permitsByAccount = new Map<string, RequestPermits>();

/**
 * The engine's link to the service over n8n's own HTTP helper: the credential's `authenticate`
 * block puts the user and password in the form body (credentials/), n8n applies its proxy, SSRF
 * and TLS settings, and the answer comes back as a stream. The helper opens one connection per
 * request and closes it after it, so the account's budget caps requests in flight.
 */
export function n8nServiceLink(
	ctx: HttpContext,
	// The password is not needed here: the credential's authenticate block adds it, from
	// `credential` (the node read it once, for the whole run).
	account: { url: URL; user: string; password: string; credential: ICredentialDataDecryptedObject },
	clock: Clock,
): ServiceLink {
	const key = `${account.url.href}\u0000${account.user}`;
	let permits = permitsByAccount.get(key);
	if (!permits) {
		permits = new RequestPermits();
		permitsByAccount.set(key, permits);
	}
	// n8n's helper reads only `data`. Given it, the helper signs each request with the credential
	// the node already read; without it, n8n reads the credential again for every request (in
	// n8n itself: a database query, a decryption and its access checks, each time).
	const signWith: IAdditionalCredentialOptions = {
		credentialsDecrypted: { id: '', name: CREDENTIAL_NAME, type: CREDENTIAL_NAME, data: account.credential },
	};
	return new N8nServiceLink(ctx, account.url, signWith, permits, clock);
}

interface FullResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: AsyncIterable<Uint8Array> & { destroy?: () => void; readableEnded?: boolean };
}

class N8nServiceLink implements ServiceLink {
	constructor(
		private readonly ctx: HttpContext,
		private readonly url: URL,
		private readonly signWith: IAdditionalCredentialOptions,
		private readonly permits: RequestPermits,
		private readonly clock: Clock,
	) {}

	async acquire(signal?: AbortSignal): Promise<LinkPermit> {
		await this.permits.take(signal);
		let released = false;
		return {
			post: async (fields, options) => await this.post(fields, options),
			release: () => {
				if (released) return;
				released = true;
				this.permits.give();
			},
		};
	}

	private async post(
		fields: Readonly<Record<string, string>>,
		options: { signal?: AbortSignal; timeoutMs: number },
	): Promise<ServiceResponse> {
		const request: IHttpRequestOptions = {
			method: 'POST',
			url: this.url.href,
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'application/json, text/plain;q=0.9',
			},
			body: { ...fields },
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// Until the headers: n8n's client stops counting once a streamed answer has begun.
			timeout: options.timeoutMs,
			abortSignal: options.signal,
		};
		const response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
			this.ctx as IAllExecuteFunctions,
			CREDENTIAL_NAME,
			request,
			this.signWith,
		)) as FullResponse;
		const { body } = response;
		return {
			status: response.statusCode,
			header: (name) => {
				const value = response.headers[name];
				return Array.isArray(value) ? value[0] : value;
			},
			body: withIdleTimeout(body, options.timeoutMs, this.clock),
			discard: () => {
				if (!body.readableEnded) body.destroy?.();
			},
		};
	}

	classify(error: unknown): NetworkFault {
		// n8n wraps its client's errors in NodeApiError, the original as `cause`; a body that
		// breaks while read throws the stream's own error.
		const outer = error as { code?: string; message?: string; cause?: unknown };
		const inner = (outer?.cause ?? outer) as { code?: string; message?: string };
		const code = inner?.code ?? outer?.code ?? 'EUNKNOWN';
		const message = String(inner?.message ?? outer?.message ?? error);
		if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === BODY_TIMEOUT) {
			return { kind: 'timeout', message: `The service did not answer in time (${message}).` };
		}
		return { kind: 'network', code, message: `Could not reach the service: ${code} (${message}).` };
	}

	join(maxConnections: number): () => void {
		return this.permits.join(maxConnections);
	}

	reportRateLimited(): void {
		this.permits.reportRateLimited();
	}

	reportCleanAnswer(): void {
		this.permits.reportCleanAnswer();
	}

	coordinationNotices(): string[] {
		return [];
	}

	countedAcrossProcesses(): boolean {
		return false;
	}
}

const BODY_TIMEOUT = 'NPL_BODY_TIMEOUT';

/**
 * The body, failing with a timeout when no piece of it arrives for `timeoutMs`. n8n's client
 * (axios) has a socket-idle timeout of that length too, but once the answer has begun it ends a
 * stalled answer by destroying it ("aborted", as a reset would read): a break after that long a
 * silence is the timeout. One watchdog per answer, on the host clock, makes sure of it: it wakes
 * when the silence could have lasted `timeoutMs` (not once per piece: answers stream in hundreds).
 */
async function* withIdleTimeout(
	body: AsyncIterable<Uint8Array> & { destroy?: () => void },
	timeoutMs: number,
	clock: Clock,
): AsyncGenerator<Uint8Array> {
	const pieces = body[Symbol.asyncIterator]();
	const timedOut = () =>
		Object.assign(new Error(`no part of the answer for ${timeoutMs} ms`), { code: BODY_TIMEOUT });
	const finished = new AbortController();
	let lastPieceAt = clock.now();
	let silent = false;
	void (async () => {
		while (!finished.signal.aborted) {
			await clock.sleep(Math.max(1, lastPieceAt + timeoutMs - clock.now()), finished.signal);
			if (finished.signal.aborted || clock.now() - lastPieceAt < timeoutMs) continue;
			// The read in progress then ends (done or an error): it is the silence that ended it.
			silent = true;
			body.destroy?.();
			return;
		}
	})();
	try {
		for (;;) {
			const next = await pieces.next().catch((error: unknown) => ({ broken: error }));
			if (silent || ('broken' in next && clock.now() - lastPieceAt >= timeoutMs)) throw timedOut();
			if ('broken' in next) throw next.broken;
			if (next.done) return;
			lastPieceAt = clock.now();
			yield next.value;
		}
	} finally {
		// With one reason for every answer: n8n's sleep rejects with the reason when it is an
		// Error and builds one (a stack trace) when it is not; nor is a DOMException built.
		finished.abort(ANSWER_FINISHED);
	}
}

const ANSWER_FINISHED = new Error('the answer has ended');
