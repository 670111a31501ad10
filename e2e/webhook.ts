/**
 * The HTTP side of e2e/recheck.sh, on loopback, so the test needs no curl:
 *
 *   tsx e2e/webhook.ts wait <url>          until n8n serves the production webhook at <url>: a GET
 *                                          to a POST-only webhook answers "Did you mean to make a
 *                                          POST request?" once it is registered, "not registered"
 *                                          before. Exits 1 after --timeout-s (default 120).
 *   tsx e2e/webhook.ts post <url> <file>   one POST; the body goes to <file>, the HTTP status to
 *                                          stdout (0 when no answer came).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const REGISTERED = 'Did you mean to make a POST request?';

async function waitFor(url: string, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		try {
			const response = await fetch(url);
			if ((await response.text()).includes(REGISTERED)) return true;
		} catch {
			// n8n not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	return false;
}

async function post(url: string, file: string): Promise<number> {
	try {
		const response = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(600_000) });
		writeFileSync(file, await response.text());
		return response.status;
	} catch (error) {
		writeFileSync(file, String(error));
		return 0;
	}
}

async function main(): Promise<void> {
	const { positionals, values } = parseArgs({
		allowPositionals: true,
		options: { 'timeout-s': { type: 'string', default: '120' } },
	});
	const [command, url, file] = positionals;
	if (command === 'wait' && url) {
		const ok = await waitFor(url, Number(values['timeout-s']) * 1000);
		if (!ok) console.error(`no webhook registered at ${url}`);
		process.exitCode = ok ? 0 : 1;
	} else if (command === 'post' && url && file) {
		console.log(await post(url, file));
	} else {
		console.error('usage: webhook.ts wait <url> | post <url> <file>');
		process.exitCode = 2;
	}
}

void main();
