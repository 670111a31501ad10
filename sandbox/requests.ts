import type { FaultName } from './faults';

/**
 * One record per HTTP request that reached the handler (admin requests excluded), pushed when the
 * request arrives and completed as it is answered. Parser-level garbage never becomes a request
 * (see ConnectionStats.protocolErrors).
 */

export type RequestOutcome =
	| 'pending'
	| 'ok'
	| 'invalid_password'
	| 'insufficient_credit'
	| 'no_numbers'
	| 'request_too_long'
	| 'rate_limited'
	| `fault:${FaultName}`
	| 'bad_request'
	| 'body_too_large'
	| 'not_found'
	| 'method_not_allowed'
	| 'internal_error';

export type RequestKind = 'lookup' | 'balance' | 'other';

export interface RequestRecord {
	/** 1, 2, 3 ... in arrival order (even if the array is emptied); X-Sandbox-Request-Id. */
	readonly id: number;
	/** The socket it came on (same id = same keep-alive connection). */
	readonly socketId: number | null;
	readonly method: string;
	/** Decoded path, e.g. '/npl'. */
	path: string;
	/** The raw request target exactly as received, query string included. */
	readonly url: string;
	/** Whether a `pass` parameter travelled in the URL (it should not: use a POST body). */
	readonly passwordInUrl: boolean;
	/** Parameter names found in the query string and in the form body (values not kept). */
	queryKeys: string[];
	bodyKeys: string[];
	/** The `user` sent, whether or not it authenticated. */
	user: string | null;
	/** The account that was authenticated, else null. */
	account: string | null;
	kind: RequestKind;
	format: 'json' | 'csv' | null;
	msc: boolean;
	/** The msisdn list as received: split on commas, each entry trimmed, empty entries dropped. */
	numbers: string[];
	outcome: RequestOutcome;
	/** HTTP status sent; null until the status line went out (or never, e.g. dropped before). */
	status: number | null;
	/** Every fault that took effect on this request. */
	faults: FaultName[];
	/** The fault sequence number, when the request was drawn for faults. */
	faultSequence: number | null;
	/** Latency planned before the first number (base + jitter), ms. */
	plannedDelayMs: number;
	/** Numbers charged / objects delivered for this request. */
	charged: number;
	delivered: number;
	/** The client closed the connection before the answer was complete. */
	clientAborted: boolean;
	readonly startedAt: number;
	finishedAt: number | null;
}
