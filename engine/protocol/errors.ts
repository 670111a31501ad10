/**
 * Errors raised while reading the service's answers.
 *
 * Answers can echo what was sent (a proxy error page, a debug dump), so any body quoted in a
 * message is cut short and scrubbed of the secrets the caller names first.
 */

/** The five plain-text errors the service documents, as stable machine names. */
export type ServiceTextError =
	| 'invalid_password'
	| 'insufficient_credit'
	| 'no_numbers'
	| 'request_too_long'
	| 'rate_limited';

/** At most this many characters of a body go into a message: enough to recognise it, no more. */
export const MAX_QUOTED_CHARS = 200;

const REDACTED = '***';

/** The forms a secret can take in a body: as typed, URL-encoded (both styles), JSON-escaped. */
function secretForms(secrets: readonly string[]): string[] {
	const forms = new Set<string>();
	for (const secret of secrets) {
		// An empty secret would match everywhere; it protects nothing.
		if (typeof secret !== 'string' || secret === '') continue;
		forms.add(secret);
		forms.add(encodeURIComponent(secret));
		forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
		forms.add(JSON.stringify(secret).slice(1, -1));
	}
	// Longest first, so a short form never leaves the tail of a longer one behind.
	return [...forms].sort((a, b) => b.length - a.length);
}

/** `text` with every form of every secret replaced by `***`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
	let out = text;
	for (const form of secretForms(secrets)) {
		if (out.includes(form)) out = out.split(form).join(REDACTED);
	}
	return out;
}

/**
 * The body as it may appear in a message: secrets replaced by `***` (before cutting, so a
 * secret on the cut is never half shown), at most 200 characters, JSON-quoted so control
 * characters and new lines stay visible and on one line.
 */
export function quoteBody(body: string, secrets: readonly string[] = []): string {
	const text = redactSecrets(String(body), secrets);
	if (text.length <= MAX_QUOTED_CHARS) return JSON.stringify(text);
	let cut = MAX_QUOTED_CHARS;
	// Do not split a surrogate pair (an emoji) in half.
	const last = text.charCodeAt(cut - 1);
	if (last >= 0xd800 && last <= 0xdbff) cut--;
	return `${JSON.stringify(text.slice(0, cut))}… (${text.length - cut} more characters)`;
}

/** The service's answer could not be understood: wrong format, broken JSON, unexpected body. */
export class ProtocolError extends Error {
	/**
	 * @param problem what was wrong, e.g. "Expected a JSON array"
	 * @param body the offending text, quoted (redacted, shortened) after the problem when given
	 * @param secrets values that must never appear in the message (the password)
	 */
	constructor(problem: string, body?: string, secrets: readonly string[] = []) {
		super(body === undefined ? problem : `${problem}: ${quoteBody(body, secrets)}`);
		this.name = 'ProtocolError';
	}
}
