/**
 * What the node tells its user (issue 10): the summary and warnings in the output pane (n8n's
 * execution hints) and progress lines in n8n's log, checked against the sandbox's own ledger and
 * request log. One scenario per warning.
 */
import net from 'node:net';

import { ExecuteContext } from 'n8n-core';
import type { IDataObject, INodeParameters, NodeExecutionHint } from 'n8n-workflow';

import { gbNumber, gbNumbers, LOOKUP, phoneItems } from '../faults/support';
import { runNode, type NodeRun } from '../harness/n8nEngine';
import type { PackageName } from '../harness/packages';
import { credentialFor, useSandbox, type Sandbox } from './sandboxAccount';

const sandboxes = useSandbox();

const gbItems = (count: number) => phoneItems(gbNumbers(count));
const BIG_ACCOUNT = [{ user: 'demo', pass: 'demo', credit: 1_000_000 }];

const fmt = (n: number) => n.toLocaleString('en-US');
const infoOf = (run: NodeRun) => run.hints.filter((hint) => hint.type === 'info');
const warningsOf = (run: NodeRun) => run.hints.filter((hint) => hint.type === 'warning').map((hint) => hint.message);
const lookupRequests = (sandbox: Sandbox) => sandbox.requests.filter((r) => r.kind === 'lookup');

async function run(
	sandbox: Sandbox,
	items: IDataObject[],
	options: IDataObject = {},
	pkg?: PackageName,
): Promise<NodeRun> {
	const result = await runNode({
		items,
		parameters: { ...LOOKUP, options: options as INodeParameters },
		credential: credentialFor(sandbox),
		package: pkg,
	});
	expect(result.status).toBe('success');
	return result;
}

describe('the summary in the output pane', () => {
	it('says numbers in, distinct numbers looked up, requests, credits, numbers per output and time', async () => {
		const sandbox = await sandboxes.start({ accounts: BIG_ACCOUNT });
		// 250 distinct valid numbers, 30 of them twice more, and 20 that are not numbers.
		const phones: unknown[] = Array.from({ length: 250 }, (_, i) => gbNumber(i));
		for (let i = 0; i < 30; i++) phones.push(`+44 7788 ${String(i).padStart(6, '0')}`);
		for (let i = 0; i < 20; i++) phones.push(`not a number ${i}`);
		const result = await run(sandbox, phoneItems(phones));

		const [info] = infoOf(result);
		expect(info.location).toBe('outputPane');
		const distinct = sandbox.ledger.chargesByNumber('demo').size;
		const requests = lookupRequests(sandbox).length;
		const credits = sandbox.ledger.totalCharged('demo');
		expect(distinct).toBe(250);
		expect(info.message).toContain(`${fmt(300)} numbers in;`);
		expect(info.message).toContain(`${fmt(distinct)} of ${fmt(distinct)} distinct numbers looked up in ${requests} requests;`);
		expect(info.message).toContain(`${fmt(credits)} credits spent`);
		const [valid, invalid, undetermined, notLookedUp] = result.outputs.map((items) => items.length);
		expect(info.message).toContain(
			`Valid ${fmt(valid)} · Invalid ${fmt(invalid)} · Undetermined ${fmt(undetermined)} · Not Looked Up ${fmt(notLookedUp)};`,
		);
		expect(info.message).toMatch(/; \d+\.\d s\.$/);
		expect(warningsOf(result)).toEqual([]);
	});
});

describe('a warning for each thing the user can change', () => {
	it('"Request too long": set Numbers Per Request to 10', async () => {
		const sandbox = await sandboxes.start({ accounts: BIG_ACCOUNT, maxPerRequest: 10 });
		const result = await run(sandbox, gbItems(250));
		expect(lookupRequests(sandbox).filter((r) => r.outcome === 'request_too_long').length).toBeGreaterThan(0);
		expect(warningsOf(result)).toEqual([
			expect.stringContaining('The service refused 100 numbers a request ("Request too long"), so the node went on with 10. Set Numbers Per Request (under Options) to 10'),
		]);
	});

	it('rate limits: how many requests were refused, and to lower Max Connections', async () => {
		const sandbox = await sandboxes.start({ accounts: BIG_ACCOUNT, maxConnections: 2, latency: { baseMs: 200 } });
		// All 2,000 in one item, read at once: 20 requests are ready together, 5 go at once.
		const phones = gbNumbers(2_000);
		const result = await runNode({
			items: [{ phones }],
			parameters: { operation: 'lookupMany', phoneNumbers: '={{ $json.phones }}', options: { maxConnections: 5 } },
			credential: credentialFor(sandbox),
		});
		expect(result.status).toBe('success');
		const refused = lookupRequests(sandbox).filter((r) => r.outcome === 'rate_limited').length;
		expect(refused).toBeGreaterThan(0);
		const warnings = warningsOf(result);
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toMatch(
			new RegExp(`^The service refused ${refused} requests? with ERR RATE_LIMIT_EXCEEDED .* went down to (\\d+) connections?\\. Lower Max Connections \\(under Options\\) to \\1, or check whether another run`),
		);
		expect(result.outputs.flat()).toHaveLength(2_000);
	});

	it('Max Credits stopped the run: how many numbers are left', async () => {
		const sandbox = await sandboxes.start({ accounts: BIG_ACCOUNT });
		const result = await run(sandbox, gbItems(50), { maxCredits: 30 });
		expect(sandbox.ledger.totalCharged('demo')).toBe(30);
		expect(warningsOf(result)).toEqual([
			'Max Credits (30) stopped the run: 20 numbers left not looked up (on Not Looked Up, reason credit_cap). Raise Max Credits, or run again for the rest.',
		]);
	});

	it('the account ran out of credit: how many numbers are left, and the balance', async () => {
		const sandbox = await sandboxes.start({ accounts: [{ user: 'demo', pass: 'demo', credit: 25 }] });
		const result = await run(sandbox, gbItems(50), { numbersPerRequest: 10 });
		const charged = sandbox.ledger.totalCharged('demo');
		expect(charged).toBe(20);
		expect(warningsOf(result)).toEqual([
			`The account ran out of credit (FAIL Insufficient credit): ${50 - charged} numbers left not looked up (reason insufficient_credit). The last answer put the balance at ${sandbox.balance('demo')} credits. Top up the account and run again for them.`,
		]);
	});

	it('answers lost in transit: how many numbers may have been charged twice', async () => {
		const sandbox = await sandboxes.start({
			accounts: BIG_ACCOUNT,
			faults: { drop: { rate: 0.3, afterObjects: 3 } },
		});
		const result = await run(sandbox, gbItems(1_000), { numbersPerRequest: 20 });
		const warnings = warningsOf(result);
		expect(warnings).toHaveLength(1);
		const lost = Number(/^([\d,]+) answers? lost in transit/.exec(warnings[0])?.[1].replace(/,/g, ''));
		const chargedTwice = [...sandbox.ledger.chargesByNumber('demo').values()].filter((e) => e.length > 1).length;
		// The node cannot know which lost answers were charged: it counts each, the ledger knows.
		expect(sandbox.ledger.undelivered('demo').length).toBeGreaterThan(0);
		expect(lost).toBeGreaterThanOrEqual(sandbox.ledger.undelivered('demo').length);
		expect(lost).toBeGreaterThanOrEqual(chargedTwice);
		expect(warnings[0]).toContain(`the service may have charged up to ${fmt(lost)} numbers twice.`);
	});
});

// The queue-mode package's: the verified package counts connections per process, with no Redis.
describe('the cross-process connection budget (queue mode)', () => {
	afterEach(() => {
		delete process.env.NPL_CONNECTION_BUDGET;
		delete process.env.NPL_REDIS_URL;
	});

	it('Redis unreachable: a warning says this process counted the connections on its own', async () => {
		// A loopback port nothing listens on: the connection is refused at once.
		const closed = await new Promise<number>((resolve) => {
			const server = net.createServer().listen(0, '127.0.0.1', () => {
				const { port } = server.address() as net.AddressInfo;
				server.close(() => resolve(port));
			});
		});
		process.env.NPL_CONNECTION_BUDGET = 'redis';
		process.env.NPL_REDIS_URL = `redis://127.0.0.1:${closed}`;
		const sandbox = await sandboxes.start({ accounts: BIG_ACCOUNT });
		const result = await run(sandbox, gbItems(150), {}, 'queue-mode');
		expect(result.outputs.flat()).toHaveLength(150);
		expect(sandbox.ledger.totalCharged('demo')).toBe(150);
		const warnings = warningsOf(result);
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toMatch(/Redis/);
		expect(warnings[0]).toContain('this n8n process counted the account');
		expect(warnings[0]).toContain(`127.0.0.1:${closed}`);
	});
});

describe('on an n8n without execution hints (before 1.79)', () => {
	it('runs as before, with nothing added', async () => {
		const sandbox = await sandboxes.start({ accounts: BIG_ACCOUNT });
		const prototype = ExecuteContext.prototype as { addExecutionHints?: (...hints: NodeExecutionHint[]) => void };
		const original = prototype.addExecutionHints;
		delete prototype.addExecutionHints;
		try {
			const result = await run(sandbox, gbItems(120));
			expect(result.hints).toEqual([]);
			expect(result.outputs.flat()).toHaveLength(120);
		} finally {
			prototype.addExecutionHints = original;
		}
	});
});

describe("progress lines in n8n's log", () => {
	let infoSpy: jest.SpyInstance;
	beforeAll(async () => {
		const paths = { paths: [require.resolve('n8n-core')] };
		const { Container } = await import(require.resolve('@n8n/di', paths));
		const { Logger } = await import(require.resolve('@n8n/backend-common', paths));
		infoSpy = jest.spyOn(Container.get(Logger), 'info');
	});
	afterAll(() => {
		infoSpy.mockRestore();
	});

	it('a long run logs done / total, requests and credits at a steady pace', async () => {
		const sandbox = await sandboxes.start({ accounts: BIG_ACCOUNT, latency: { baseMs: 150 } });
		infoSpy.mockClear();
		await run(sandbox, gbItems(1_000), { maxConnections: 1, progressLogInterval: 0.2 });
		const lines = infoSpy.mock.calls
			.map(([message]) => String(message))
			.filter((message) => message.startsWith('Number Portability Lookup "Number Portability Lookup":'));
		// 10 requests of 150 ms one after the other: about 1.5 s, a line every 200 ms.
		expect(lines.length).toBeGreaterThanOrEqual(3);
		const pattern = /: ([\d,]+) \/ [\d,]+ numbers done, [\d,]+ \/ 1,000 items read, \d+ requests, [\d,.]+ credits, \d+ s$/;
		const done = lines.map((line) => Number(pattern.exec(line)?.[1].replace(/,/g, '')));
		expect(done.every((n) => Number.isFinite(n))).toBe(true);
		expect(done).toEqual([...done].sort((a, b) => a - b));
		expect(done[done.length - 1]).toBeGreaterThan(done[0]);
		expect(lines.join('\n')).not.toContain('demo:');
	});

	it('a short run writes none', async () => {
		const sandbox = await sandboxes.start({ accounts: BIG_ACCOUNT });
		infoSpy.mockClear();
		await run(sandbox, gbItems(100));
		expect(infoSpy.mock.calls.filter(([message]) => String(message).includes('numbers done'))).toEqual([]);
	});
});
