/**
 * The service's five request-level errors, worded exactly as it sends them (no trailing newline),
 * with the status each gets. By default (textErrorStatus 'faithful') all five come with HTTP 200,
 * as the real service usually sends them; with 'http' they get the status below.
 */
export const TEXT_ERRORS = Object.freeze({
	invalid_password: { text: 'FAIL Invalid password', httpStatus: 401 },
	insufficient_credit: { text: 'FAIL Insufficient credit', httpStatus: 402 },
	no_numbers: { text: 'No numbers specified', httpStatus: 400 },
	request_too_long: { text: 'Request too long', httpStatus: 413 },
	rate_limited: { text: 'ERR RATE_LIMIT_EXCEEDED', httpStatus: 429 },
} as const);

export type TextErrorName = keyof typeof TEXT_ERRORS;

/** 'faithful': HTTP 200 for every text error; 'http': 401 / 402 / 400 / 413 / 429. */
export type TextErrorStatus = 'faithful' | 'http';

export function textErrorStatus(name: TextErrorName, mode: TextErrorStatus): number {
	return mode === 'http' ? TEXT_ERRORS[name].httpStatus : 200;
}
