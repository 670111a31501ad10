export const DEFAULT_BASE_URL = 'https://api.numberportabilitylookup.com/npl';

/**
 * Thrown for a base URL the node must not use; the message says what to fix. The transport
 * has no node to hand, so the actions wrap it in a NodeOperationError.
 */
export class BaseUrlError extends Error {
	name = 'BaseUrlError';
}

/**
 * The password travels in the request body, so the body must be encrypted unless it never
 * leaves this machine: plain http is allowed for loopback only (the sandbox, a local proxy).
 */
export function checkBaseUrl(raw: string | undefined): URL {
	const text = (raw ?? '').trim() || DEFAULT_BASE_URL;
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new BaseUrlError(
			`The credential's Base URL "${withoutUserInfo(text).slice(0, 100)}" is not a URL. Use ${DEFAULT_BASE_URL}.`,
		);
	}
	if (url.username || url.password || hasCredentialParameter(url)) {
		throw new BaseUrlError(
			"The credential's Base URL must not contain a user or password; use the credential's fields.",
		);
	}
	if (url.protocol === 'https:') return url;
	if (url.protocol === 'http:' && isLoopback(url.hostname)) return url;
	throw new BaseUrlError(
		`The credential's Base URL must use https:// (plain http:// is allowed only for localhost), so that the password is never sent unencrypted. Got ${url.protocol}//${url.host}.`,
	);
}

/**
 * A text that is not a URL is quoted back to the user; a user:password@ typed into it must not
 * be (error messages end up in execution data and logs). Everything up to the last '@' goes.
 */
function withoutUserInfo(text: string): string {
	return text.replace(/^([a-z][a-z0-9+.-]*:\/*)?[^]*@/i, '$1***@');
}

/** `?user=` or `?pass=` in the Base URL would put the credential in every request's URL. */
function hasCredentialParameter(url: URL): boolean {
	for (const key of url.searchParams.keys()) {
		if (['user', 'pass', 'password'].includes(key.toLowerCase())) return true;
	}
	return false;
}

function isLoopback(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
