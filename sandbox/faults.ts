import { pickFrom, unitFrom } from './rng';

/**
 * Injectable faults. Each is off unless its rate is above 0. Whether a request is hit is decided
 * per fault by an independent draw on (seed, fault name, fault sequence), where the fault sequence
 * numbers the authenticated /npl requests that passed the connection limit (1, 2, 3 ...) in
 * arrival order: the same seed and the same traffic hit the same requests.
 */

export type FaultName = 'drop' | 'http_error' | 'malformed' | 'slow_headers' | 'rate_limit';

export interface DropFault {
	/** Share of lookup requests whose connection is destroyed mid-answer, 0..1. */
	rate: number;
	/** K: how many objects (or CSV lines) are delivered in full before the drop; 0 allowed. */
	afterObjects: number;
}

export interface HttpErrorFault {
	/** Share of requests answered with a 5xx instead, before anything is charged. */
	rate: number;
	/** The statuses to pick from (seeded), e.g. [500, 502, 503]. */
	statuses: number[];
}

export interface MalformedFault {
	/** Share of lookup requests answered 200 with a body that is not the protocol. */
	rate: number;
}

export interface SlowHeadersFault {
	/** Share of requests whose status line and headers are held back. */
	rate: number;
	/** How long they are held back, in ms. */
	delayMs: number;
}

export interface RateLimitFault {
	/** Share of requests answered ERR RATE_LIMIT_EXCEEDED whatever the load. */
	rate: number;
}

export interface FaultOptions {
	drop: DropFault;
	httpError: HttpErrorFault;
	malformed: MalformedFault;
	slowHeaders: SlowHeadersFault;
	rateLimit: RateLimitFault;
}

export const DEFAULT_FAULTS: FaultOptions = Object.freeze({
	drop: { rate: 0, afterObjects: 0 },
	httpError: { rate: 0, statuses: [500, 502, 503] },
	malformed: { rate: 0 },
	slowHeaders: { rate: 0, delayMs: 0 },
	rateLimit: { rate: 0 },
});

export type MalformedKind = 'html' | 'truncated' | 'garbage';
export const MALFORMED_KINDS: readonly MalformedKind[] = ['html', 'truncated', 'garbage'];

/** What the faults do to one request. */
export interface FaultPlan {
	readonly sequence: number;
	readonly rateLimit: boolean;
	readonly httpErrorStatus: number | null;
	readonly slowHeadersMs: number;
	readonly malformed: MalformedKind | null;
	readonly dropAfter: number | null;
}

export function planFaults(faults: FaultOptions, seed: number, sequence: number): FaultPlan {
	const hit = (name: FaultName, rate: number) =>
		rate > 0 && unitFrom(seed, 'fault', name, sequence) < rate;
	return {
		sequence,
		rateLimit: hit('rate_limit', faults.rateLimit.rate),
		httpErrorStatus: hit('http_error', faults.httpError.rate)
			? pickFrom(faults.httpError.statuses, seed, 'fault-status', sequence)
			: null,
		slowHeadersMs: hit('slow_headers', faults.slowHeaders.rate) ? faults.slowHeaders.delayMs : 0,
		malformed: hit('malformed', faults.malformed.rate)
			? pickFrom(MALFORMED_KINDS, seed, 'fault-malformed', sequence)
			: null,
		dropAfter: hit('drop', faults.drop.rate) ? faults.drop.afterObjects : null,
	};
}

/**
 * A 200 body that is not the protocol. None of them holds a complete result object, so nothing
 * is charged for it:
 * - html: a proxy's error page;
 * - truncated: the answer cut inside its first object, though the HTTP message itself is complete;
 * - garbage: bytes that are neither JSON nor CSV nor a known error text.
 */
export function malformedBody(
	kind: MalformedKind,
	firstMsisdn: string,
): { contentType: string; body: string } {
	switch (kind) {
		case 'html':
			return {
				contentType: 'text/html; charset=utf-8',
				body: '<html><head><title>Service Temporarily Unavailable</title></head><body><h1>Service Temporarily Unavailable</h1></body></html>\n',
			};
		case 'truncated':
			return {
				contentType: 'application/json; charset=utf-8',
				body: `[{"countrycode":"44","countryiso":"GB","msisdn":"${firstMsisdn}","errorcode":"0","imsi":"2341`,
			};
		case 'garbage':
			return {
				contentType: 'text/plain; charset=utf-8',
				body: '\u0000\u001f]{"msisdn":,,"errorcode":}[\ufffd\n',
			};
	}
}

export function httpErrorBody(status: number, reason: string): string {
	return `<html><head><title>${status} ${reason}</title></head><body><h1>${status} ${reason}</h1></body></html>\n`;
}
