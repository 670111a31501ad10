import type { Dispatcher } from 'undici';

import type { LinkPermit, NetworkFault, ServiceLink, ServiceResponse } from '../engine/ports';
import type { ConnectionBudget } from './connectionBudget';

/** The account as this transport needs it: where, and the credentials it adds to each form. */
export interface LinkAccount {
	/** Checked already (engine/protocol/baseUrl.ts). */
	url: URL;
	user: string;
	password: string;
}

/**
 * The engine's link to the service over undici: one-socket keep-alive connections from the
 * account's budget, the user and password added to each form body. The host brings the budget:
 * the process's for the account in queue mode (accountBudgets.ts, in-process or through Redis),
 * the account config node's own in Node-RED. Not imported here, so that a host without Redis
 * (Node-RED is one process) does not bundle the Redis client.
 */
export function undiciServiceLink(account: LinkAccount, budget: ConnectionBudget): ServiceLink {
	return new UndiciServiceLink(account, budget);
}

class UndiciServiceLink implements ServiceLink {
	/** Where this link's share of the budget's notices starts. */
	private readonly noticesFrom: number;
	private counted = false;

	constructor(
		private readonly account: LinkAccount,
		private readonly budget: ConnectionBudget,
	) {
		this.noticesFrom = budget.noticeCursor();
	}

	async acquire(signal?: AbortSignal): Promise<LinkPermit> {
		const { dispatcher, release } = await this.budget.acquire(signal);
		if (this.budget.sharedAcrossProcesses) this.counted = true;
		return {
			post: async (fields, options) => await this.post(dispatcher, fields, options),
			release,
		};
	}

	private async post(
		dispatcher: Dispatcher,
		fields: Readonly<Record<string, string>>,
		options: { signal?: AbortSignal; timeoutMs: number },
	): Promise<ServiceResponse> {
		const form = new URLSearchParams({ user: this.account.user, pass: this.account.password });
		for (const [name, value] of Object.entries(fields)) form.set(name, value);
		const { url } = this.account;
		const response = await dispatcher.request({
			origin: url.origin,
			path: url.pathname + url.search,
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'application/json, text/plain;q=0.9',
			},
			body: form.toString(),
			headersTimeout: options.timeoutMs,
			bodyTimeout: options.timeoutMs,
			signal: options.signal,
		});
		return {
			status: response.statusCode,
			header: (name) => {
				const value = response.headers[name];
				return Array.isArray(value) ? value[0] : value;
			},
			body: response.body,
			discard: () => {
				if (!response.body.readableEnded) response.body.destroy();
			},
		};
	}

	classify(error: unknown): NetworkFault {
		const err = error as { code?: string; message?: string; cause?: { code?: string } };
		const code = err?.code ?? err?.cause?.code ?? 'EUNKNOWN';
		const message = String(err?.message ?? error);
		if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
			return { kind: 'timeout', message: `The service did not answer in time (${message}).` };
		}
		const mapped = UNDICI_CODES[code] ?? code;
		return { kind: 'network', code: mapped, message: `Could not reach the service: ${mapped} (${message}).` };
	}

	join(maxConnections: number): () => void {
		return this.budget.join(maxConnections);
	}

	reportRateLimited(): void {
		this.budget.reportRateLimited();
	}

	reportCleanAnswer(): void {
		this.budget.reportCleanAnswer();
	}

	coordinationNotices(): string[] {
		return this.budget.noticesSince(this.noticesFrom);
	}

	countedAcrossProcesses(): boolean {
		return this.counted;
	}
}

/** undici's own codes, in the system's words the engine and users know. */
const UNDICI_CODES: Record<string, string> = {
	UND_ERR_SOCKET: 'ECONNRESET',
	UND_ERR_CONNECT_TIMEOUT: 'ETIMEDOUT',
	UND_ERR_CLOSED: 'ECONNRESET',
};
