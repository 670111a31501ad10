import type { IncomingMessage } from 'node:http';

/**
 * Reading what a request asks: its path, its query string and its form body, merged. Parsing is
 * strict: a malformed percent-escape (or one that decodes to invalid UTF-8) makes the request a
 * `bad_request` (HTTP 400), rather than guessing what was meant; the parsers then return null.
 * `+` means a space.
 */

/** The parameters the protocol knows; anything else is ignored. */
export interface NplParams {
	user?: string;
	pass?: string;
	msisdn?: string;
	format?: string;
	msc?: string;
	query?: string;
}

export interface RequestTarget {
	path: string;
	/** The raw query string, without '?' ('' when none). */
	query: string;
}

/** Decodes a percent-encoded component; null when the encoding is malformed. */
function decodeComponent(text: string): string | null {
	try {
		return decodeURIComponent(text.replace(/\+/g, ' '));
	} catch {
		return null;
	}
}

/** Splits a request target ('/npl?user=x', or the absolute form 'http://host/npl?...'). */
export function splitTarget(rawUrl: string): RequestTarget | null {
	let target = rawUrl;
	const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(target);
	if (absolute) target = target.slice(absolute[0].length) || '/';
	const hash = target.indexOf('#');
	if (hash >= 0) target = target.slice(0, hash);
	const mark = target.indexOf('?');
	const rawPath = mark >= 0 ? target.slice(0, mark) : target;
	let path: string;
	try {
		path = decodeURIComponent(rawPath);
	} catch {
		return null;
	}
	return { path, query: mark >= 0 ? target.slice(mark + 1) : '' };
}

/**
 * application/x-www-form-urlencoded → pairs; a later key overrides an earlier one. Null when any
 * part is badly percent-encoded.
 */
export function parseForm(text: string): Map<string, string> | null {
	const pairs = new Map<string, string>();
	if (text === '') return pairs;
	for (const part of text.split('&')) {
		if (part === '') continue;
		const eq = part.indexOf('=');
		const key = decodeComponent(eq >= 0 ? part.slice(0, eq) : part);
		const value = eq >= 0 ? decodeComponent(part.slice(eq + 1)) : '';
		if (key === null || value === null) return null;
		pairs.delete(key);
		pairs.set(key, value);
	}
	return pairs;
}

/** Whether a body of this content type is read as a form (absent type counts as form). */
export function isFormBody(contentType: string | undefined): boolean {
	if (contentType === undefined || contentType.trim() === '') return true;
	return contentType.toLowerCase().split(';')[0].trim() === 'application/x-www-form-urlencoded';
}

const KNOWN: ReadonlyArray<keyof NplParams> = ['user', 'pass', 'msisdn', 'format', 'msc', 'query'];

/** Query string and body merged; for a key in both, the body wins (like PHP's $_REQUEST). */
export function mergeParams(query: Map<string, string>, body: Map<string, string>): NplParams {
	const params: NplParams = {};
	for (const key of KNOWN) {
		const value = body.get(key) ?? query.get(key);
		if (value !== undefined) params[key] = value;
	}
	return params;
}

export type BodyResult =
	| { ok: true; body: string }
	| { ok: false; reason: 'too_large' | 'aborted' };

/**
 * Reads the request body as UTF-8, up to `maxBytes`. A Content-Length above the cap is refused
 * before reading; a body that grows past it while streaming is refused at that point.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
	const declared = Number(req.headers['content-length']);
	if (Number.isFinite(declared) && declared > maxBytes) {
		return Promise.resolve({ ok: false, reason: 'too_large' });
	}
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let settled = false;
		const finish = (result: BodyResult) => {
			if (settled) return;
			settled = true;
			req.removeListener('data', onData);
			resolve(result);
		};
		const onData = (chunk: Buffer) => {
			size += chunk.length;
			if (size > maxBytes) {
				finish({ ok: false, reason: 'too_large' });
				return;
			}
			chunks.push(chunk);
		};
		req.on('data', onData);
		req.once('end', () => finish({ ok: true, body: Buffer.concat(chunks).toString('utf8') }));
		req.once('error', () => finish({ ok: false, reason: 'aborted' }));
		req.once('close', () =>
			finish(
				req.complete
					? { ok: true, body: Buffer.concat(chunks).toString('utf8') }
					: { ok: false, reason: 'aborted' },
			),
		);
	});
}

/** The raw URL with the value of any `pass` parameter replaced by `***` (for logs and admin). */
export function redactUrl(rawUrl: string): string {
	return rawUrl.replace(/([?&]pass=)[^&#]*/gi, '$1***');
}

/** Whether a raw URL carries a `pass` parameter (the password travelled in the URL). */
export function urlHasPassword(rawUrl: string): boolean {
	const mark = rawUrl.indexOf('?');
	if (mark < 0) return false;
	return rawUrl
		.slice(mark + 1)
		.split('&')
		.some((part) => {
			const key = part.split('=')[0].replace(/\+/g, ' ');
			try {
				return decodeURIComponent(key) === 'pass';
			} catch {
				return key === 'pass';
			}
		});
}
