import type { ServiceTextError } from './errors';

/**
 * Recognises the service's plain-text errors (reference v3.31, "Errors which could prevent your
 * HLR lookup being run"). They usually arrive with HTTP 200, so the status cannot be trusted:
 * the body decides. Matching is anchored at the start (after whitespace), case-insensitive, and
 * allows a trailing explanation ("Request too long: more than ten"), so a JSON answer that merely
 * mentions one of these phrases inside a field is never mistaken for an error.
 */
const PATTERNS: ReadonlyArray<readonly [RegExp, ServiceTextError]> = [
	[
		/^(?:fail\b[\s:,-]*)?invalid\s+(?:(?:user(?:name)?|login)\s*(?:or|\/|and)\s*)?password\b/i,
		'invalid_password',
	],
	[/^(?:fail\b[\s:,-]*)?insufficient\s+(?:credits?|funds|balance)\b/i, 'insufficient_credit'],
	[/^no\s+numbers?\s+specified\b/i, 'no_numbers'],
	[/^request\s+too\s+long\b/i, 'request_too_long'],
	[/^(?:err(?:or)?\b[\s:,-]*)?rate[\s_-]*limit[\s_-]*exceeded\b/i, 'rate_limited'],
];

/** Only the start of a body is looked at: the phrases are short, a body may be huge. */
const HEAD_CHARS = 256;

export function classifyTextAnswer(body: string): ServiceTextError | null {
	if (typeof body !== 'string') return null;
	const head = body.slice(0, HEAD_CHARS).trimStart();
	// Fast exit for the common case, a JSON answer.
	const first = head.charCodeAt(0);
	if (first === 0x5b /* [ */ || first === 0x7b /* { */ || Number.isNaN(first)) return null;
	for (const [pattern, error] of PATTERNS) {
		if (pattern.test(head)) return error;
	}
	return null;
}
