/**
 * npl-lookup inside Node-RED while the service misbehaves, with the n8n fault suite's kit
 * (test/faults/support.ts): a password the secret watch looks for in everything the runs
 * produce, loopback only, and the same checks: one result per number on the right route, the
 * sandbox's ledger balanced (nothing paid twice for a received result), clean requests.
 */
import {
	PASSWORD,
	WRONG_PASSWORD,
	expectCleanRequests,
	expectLedgerBalanced,
	expectNoLeaks,
	expectOnePerInput,
	expectRightRoutes,
	gbNumbers,
	reasonCounts,
	useFaultKit,
	type Sandbox,
} from '../faults/support';
import type { SandboxOptionsInput } from '../../sandbox/options';
import { helper, loadLookupFlow, resultsOf, useNodeRed, waitFor, type Collected, type LoadedNode } from './flows';

useNodeRed();
const kit = useFaultKit('node-red faults');

/** Records what the user or an operator can see of a run: messages out, caught errors, status, log. */
function watchRun(label: string, node: LoadedNode, collected: Collected): void {
	kit.watch.record(`${label}: messages`, collected.out);
	kit.watch.record(`${label}: caught`, collected.caught);
	for (const spy of ['status', 'warn', 'error', 'log', 'debug'] as const) kit.watch.record(`${label}: ${spy}`, node[spy].args);
}

/**
 * `messages` lists of numbers, one message each, sent at once to a lookup node on a fresh
 * sandbox; resolves when every message is done (or caught).
 */
async function run(
	label: string,
	messages: unknown[][],
	sandboxOptions: SandboxOptionsInput & { credit?: number } = {},
	lookup: Record<string, unknown> = {},
	password = PASSWORD,
): Promise<{ sandbox: Sandbox; node: LoadedNode; collected: Collected }> {
	const sandbox = await kit.start({ errorShare: 0, ...sandboxOptions });
	const { node, collected } = await loadLookupFlow({ baseUrl: sandbox.url, password, lookup });
	messages.forEach((payload, seq) => node.receive({ payload, seq }));
	await waitFor('messages done', () => collected.completed.length + collected.caught.length, messages.length, 60_000);
	watchRun(label, node, collected);
	return { sandbox, node, collected };
}

/** `count` numbers in messages of `size`. */
const inMessages = (count: number, size: number) => {
	const numbers = gbNumbers(count);
	return Array.from({ length: Math.ceil(count / size) }, (_, i) => numbers.slice(i * size, (i + 1) * size));
};

const warnings = (node: LoadedNode) => node.warn.args.map((args) => String(args[0]));

it('goes on with 10 numbers a request when the service says "Request too long", and says so', async () => {
	const messages = inMessages(250, 25);
	const { sandbox, node, collected } = await run('request too long', messages, { maxPerRequest: 10 });
	const results = resultsOf(collected);
	expectOnePerInput(results, messages.length, (i) => messages[i]);
	expectRightRoutes(results, []);
	expect(results.every((r) => r.json.lookedUp)).toBe(true);
	expectLedgerBalanced(sandbox, results);
	expectCleanRequests(sandbox, kit.sent, 100);
	expect(sandbox.requests.some((r) => r.outcome === 'request_too_long')).toBe(true);
	expect(warnings(node).join('\n')).toMatch(/Request too long.*went on with 10/);
});

it('backs off on ERR RATE_LIMIT_EXCEEDED and looks every number up', async () => {
	const messages = inMessages(600, 60);
	const { sandbox, node, collected } = await run('rate limits', messages, { faults: { rateLimit: { rate: 0.3 } } }, { numbersPerRequest: 50 });
	const results = resultsOf(collected);
	expectOnePerInput(results, messages.length, (i) => messages[i]);
	expect(reasonCounts(results)).toEqual({ lookedUp: 600 });
	expectLedgerBalanced(sandbox, results);
	expect(sandbox.requests.some((r) => r.outcome === 'fault:rate_limit')).toBe(true);
	expect(warnings(node).join('\n')).toMatch(/ERR RATE_LIMIT_EXCEEDED/);
});

it('asks again only for the numbers still missing when the connection is cut mid-answer', async () => {
	const messages = inMessages(200, 20);
	const { sandbox, collected } = await run(
		'cut connection',
		messages,
		{ faults: { drop: { rate: 0.5, afterObjects: 3 } } },
		{ numbersPerRequest: 20, maxConnections: 3 },
	);
	const results = resultsOf(collected);
	expectOnePerInput(results, messages.length, (i) => messages[i]);
	expectRightRoutes(results, ['network_error']);
	expectLedgerBalanced(sandbox, results);
	expect(sandbox.requests.some((r) => r.faults.includes('drop'))).toBe(true);
	expect(results.filter((r) => r.json.lookedUp).length).toBeGreaterThan(150);
});

it('sends the numbers left when the credit runs out to Not Looked Up, with the reason', async () => {
	const messages = inMessages(120, 10);
	const { sandbox, node, collected } = await run('out of credit', messages, { credit: 50 }, { numbersPerRequest: 10, maxConnections: 1 });
	const results = resultsOf(collected);
	expectOnePerInput(results, messages.length, (i) => messages[i]);
	expectRightRoutes(results, ['insufficient_credit']);
	expect(reasonCounts(results)).toEqual({ lookedUp: 50, insufficient_credit: 70 });
	expect(results.filter((r) => !r.json.lookedUp).every((r) => r.output === 3)).toBe(true);
	expectLedgerBalanced(sandbox, results, { credit: 50 });
	expect(warnings(node).join('\n')).toMatch(/ran out of credit/);
	expect(collected.caught).toEqual([]);
});

it('stops at Max Credits: no more is spent, the rest go to Not Looked Up (credit_cap)', async () => {
	const messages = inMessages(100, 100);
	const { sandbox, collected } = await run('max credits', messages, {}, { maxCredits: 30, numbersPerRequest: 10 });
	const results = resultsOf(collected);
	expectOnePerInput(results, 1, () => messages[0]);
	expect(sandbox.ledger.totalCharged()).toBeLessThanOrEqual(30);
	expect(reasonCounts(results)).toEqual({ lookedUp: 30, credit_cap: 70 });
	expectLedgerBalanced(sandbox, results);
});

it('gives every message to Catch with "FAIL Invalid password" when the account is refused, and sends nothing', async () => {
	const messages = inMessages(30, 10);
	const { collected, node } = await run('wrong password', messages, {}, {}, WRONG_PASSWORD);
	expect(collected.out).toEqual([]);
	expect(collected.caught.map((m) => m.seq).sort()).toEqual([0, 1, 2]);
	for (const msg of collected.caught) expect(msg.error.message).toMatch(/^Error: FAIL Invalid password: .*account "sandbox"/);
	await new Promise((resolve) => setTimeout(resolve, 1_100)); // the status shows at most once a second
	expect(node.status.args.at(-1)?.[0]).toMatchObject({ fill: 'red', text: 'FAIL Invalid password' });
});

it.each([
	['plain http to another host', 'http://example.com/npl', /must use https/],
	['a password in the URL', 'https://demo:secret@example.com/npl', /must not contain a user or password/],
])('gives the message to Catch, sending nothing, for a Base URL with %s', async (_what, baseUrl, expected) => {
	const { node, collected } = await loadLookupFlow({ baseUrl, password: PASSWORD });
	node.receive({ payload: gbNumbers(3), seq: 0 });
	await waitFor('caught messages', () => collected.caught.length, 1);
	expect(collected.caught[0].error.message).toMatch(expected);
	expect(collected.out).toEqual([]);
	expect(kit.guard.blocked).toEqual([]);
	watchRun('base url', node, collected);
});

it('gives the message to Catch when no account is chosen', async () => {
	const { node, collected } = await loadLookupFlow({ account: null });
	node.receive({ payload: gbNumbers(1), seq: 0 });
	await waitFor('caught messages', () => collected.caught.length, 1);
	expect(collected.caught[0].error.message).toMatch(/No Number Portability Lookup account: open this node, choose an account/);
});

it('shows progress, then the counts per output, at most once a second', async () => {
	const sandbox = await kit.start({ errorShare: 0, latency: { baseMs: 400 } });
	const { node, collected } = await loadLookupFlow({ baseUrl: sandbox.url, password: PASSWORD, lookup: { numbersPerRequest: 10, maxConnections: 1 } });
	const shownAt: number[] = [];
	(node as unknown as { on(event: string, listener: () => void): void }).on('call:status', () => shownAt.push(Date.now()));
	node.receive({ payload: [...gbNumbers(60), 'not a number'], seq: 0 });
	await waitFor('messages done', () => collected.completed.length, 1);
	await new Promise((resolve) => setTimeout(resolve, 1_100));
	const texts = node.status.args.map((args) => (args[0] as { text: string }).text);
	expect(texts.some((text) => /^\d+ \/ 60 numbers · \d+ requests$/.test(text))).toBe(true);
	expect(texts.at(-1)).toBe('Valid 60 · Invalid 1');
	const gaps = shownAt.slice(1).map((at, i) => at - shownAt[i]);
	expect(Math.min(...gaps)).toBeGreaterThanOrEqual(950);
	watchRun('status', node, collected);
});

it('stops on close: no request after it, and close completes within a second', async () => {
	const sandbox = await kit.start({ errorShare: 0, latency: { baseMs: 300 } });
	const { node, collected } = await loadLookupFlow({ baseUrl: sandbox.url, password: PASSWORD, lookup: { numbersPerRequest: 10, maxConnections: 2 } });
	node.receive({ payload: gbNumbers(2000), seq: 0 });
	await waitFor('requests', () => sandbox.requests.length, 4);
	const closing = Date.now();
	await helper.unload();
	const closeMs = Date.now() - closing;
	const requestsAtClose = sandbox.requests.length;
	await new Promise((resolve) => setTimeout(resolve, 700));
	process.stdout.write(`close mid-run: ${closeMs} ms, ${requestsAtClose} requests before, ${sandbox.requests.length - requestsAtClose} after\n`);
	expect(closeMs).toBeLessThan(1_000);
	expect(sandbox.requests.length).toBe(requestsAtClose);
	expect(sandbox.connections.openSockets()).toBe(0);
	// Stopped: nothing sent, as Node-RED drops every message in flight on a redeploy.
	expect(collected.out).toEqual([]);
	watchRun('close', node, collected);
});

afterAll(() => expectNoLeaks(kit.watch));

