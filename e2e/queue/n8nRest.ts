/**
 * The few calls of n8n 2.41.1's own REST API (what the editor uses) the cluster test needs: set
 * up the owner headlessly, then stop an execution, as the editor's Stop button does
 * (POST /rest/executions/:id/stop).
 */
const BROWSER_ID = 'npl-queue-e2e'; // n8n ties its auth cookie to the browser-id header
// A throw-away owner of a throw-away instance on loopback (n8n wants a digit and a capital).
const OWNER_LOGIN = 'Queue-Test-0wner';
const OWNER = {
	email: 'owner@npl-queue.test',
	firstName: 'Queue',
	lastName: 'Test',
	password: OWNER_LOGIN,
};

export interface Session {
	baseUrl: string;
	cookie: string;
}

async function call(
	baseUrl: string,
	path: string,
	init: RequestInit & { cookie?: string } = {},
): Promise<Response> {
	return await fetch(`${baseUrl}${path}`, {
		...init,
		headers: {
			'content-type': 'application/json',
			'browser-id': BROWSER_ID,
			...(init.cookie ? { cookie: init.cookie } : {}),
		},
	});
}

function cookieOf(response: Response): string {
	const auth = response.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
	if (!auth) throw new Error(`no n8n-auth cookie (HTTP ${response.status})`);
	return auth.split(';')[0];
}

/** The owner account, made on first use (POST /rest/owner/setup), else logged in. */
export async function ownerSession(baseUrl: string): Promise<Session> {
	const setup = await call(baseUrl, '/rest/owner/setup', {
		method: 'POST',
		body: JSON.stringify(OWNER),
	});
	if (setup.ok) return { baseUrl, cookie: cookieOf(setup) };
	const login = await call(baseUrl, '/rest/login', {
		method: 'POST',
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
	});
	if (!login.ok)
		throw new Error(
			`owner setup HTTP ${setup.status}, login HTTP ${login.status}: ${await login.text()}`,
		);
	return { baseUrl, cookie: cookieOf(login) };
}

/** Stops a running execution; returns the status n8n answers with (e.g. "canceled"). */
export async function stopExecution(session: Session, executionId: string): Promise<string> {
	const response = await call(session.baseUrl, `/rest/executions/${executionId}/stop`, {
		method: 'POST',
		cookie: session.cookie,
	});
	const text = await response.text();
	if (!response.ok)
		throw new Error(`stop ${executionId}: HTTP ${response.status} ${text.slice(0, 300)}`);
	const body = JSON.parse(text) as { data?: { status?: string }; status?: string };
	return body.data?.status ?? body.status ?? `unknown (${text.slice(0, 100)})`;
}
