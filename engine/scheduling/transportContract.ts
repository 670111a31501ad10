import type { RawLookupObject } from '../types';

/**
 * What the scheduler needs from a transport, and nothing more: the engine stays free of
 * HTTP and n8n, and tests can drive it with a scripted transport.
 */
export interface LookupTransport {
	/**
	 * Sends one request for `numbers` (E.164 digits) and calls `onResult` for every complete
	 * answer object the moment it is read, so a connection that breaks later keeps them.
	 * Resolves with null when the answer ended cleanly, or with why it did not. Never rejects.
	 * When `signal` aborts, the request is given up at once (waiting for a connection, or in
	 * flight) and resolves with a `stopped` failure.
	 */
	lookup(
		numbers: readonly string[],
		onResult: (raw: RawLookupObject) => void,
		signal?: AbortSignal,
	): Promise<RequestFailure | null>;
}

/** Why a request did not deliver (all of) its answers. */
export type RequestFailure =
	/** One of the service's own text errors. */
	| { kind: 'invalid_password' | 'insufficient_credit' | 'no_numbers' | 'request_too_long' }
	| { kind: 'rate_limited'; retryAfterMs?: number }
	/** An HTTP status other than 200 without a recognised text error. */
	| { kind: 'http_status'; status: number; retryAfterMs?: number; message: string }
	/** The connection could not be made or broke; `code` is the system code, e.g. ECONNREFUSED. */
	| { kind: 'network'; code: string; message: string }
	| { kind: 'timeout'; message: string }
	/** The answer stopped before its end (objects read before the cut were delivered). */
	| { kind: 'truncated'; message: string }
	/** The run was stopped: `sent` says whether the request had left (then it may have been charged). */
	| { kind: 'stopped'; sent: boolean }
	/** A body that is neither an answer nor a known error; message quotes ≤200 chars, secrets redacted. */
	| { kind: 'protocol'; message: string };
