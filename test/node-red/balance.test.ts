/**
 * npl-balance inside Node-RED against the sandbox: the balance as a number, belowThreshold when
 * a threshold is set, the other properties kept, and errors a Catch node gets.
 */
import { PASSWORD, WRONG_PASSWORD, expectNoLeaks, useFaultKit } from '../faults/support';
import { helper, nodeFiles, useNodeRed, waitFor } from './flows';

useNodeRed();
const kit = useFaultKit('node-red balance');

/** account → balance (`settings` on it) → out, and a Catch on the balance node → caught. */
async function loadBalanceFlow(baseUrl: string, settings: Record<string, unknown>, password = PASSWORD) {
	await helper.load(
		nodeFiles(),
		[
			{ id: 'flow', type: 'tab' },
			{ id: 'account', type: 'npl-account', name: 'sandbox', baseUrl },
			{ id: 'balance', type: 'npl-balance', z: 'flow', x: 1, y: 1, account: 'account', ...settings, wires: [['out']] },
			{ id: 'out', type: 'helper', z: 'flow', x: 1, y: 2 },
			{ id: 'catch', type: 'catch', z: 'flow', x: 1, y: 3, scope: ['balance'], uncaught: false, wires: [['caught']] },
			{ id: 'caught', type: 'helper', z: 'flow', x: 1, y: 4 },
		],
		{ account: { user: 'demo', password } },
	);
}

async function askBalance(baseUrl: string, threshold: string, password = PASSWORD) {
	await loadBalanceFlow(baseUrl, { threshold }, password);
	const got: Array<Record<string, unknown>> = [];
	helper.getNode('out').on('input', (msg: Record<string, unknown>) => got.push(msg));
	helper.getNode('caught').on('input', (msg: Record<string, unknown>) => got.push(msg));
	helper.getNode('balance').receive({ payload: 'tick', topic: 'daily' });
	await waitFor('messages', () => got.length, 1);
	kit.watch.record('balance message', got);
	return got[0];
}

it('puts the balance in payload, a number, and keeps the message', async () => {
	const sandbox = await kit.start({ credit: 1234.5 });
	const msg = await askBalance(sandbox.url, '');
	expect(msg.payload).toEqual({ balance: 1234.5 });
	expect(msg.topic).toBe('daily');
});

it.each([
	['2000', true],
	['1000', false],
])('with threshold %s says belowThreshold: %s', async (threshold, below) => {
	const sandbox = await kit.start({ credit: 1234.5 });
	const msg = await askBalance(sandbox.url, threshold);
	expect(msg.payload).toEqual({ balance: 1234.5, belowThreshold: below });
});

it('gives the message to Catch with "FAIL Invalid password" for a refused account', async () => {
	const sandbox = await kit.start({});
	const msg = await askBalance(sandbox.url, '', WRONG_PASSWORD);
	expect((msg.error as { message: string }).message).toMatch(/FAIL Invalid password: .*account "sandbox"/);
	expect(msg.payload).toBe('tick');
});

afterAll(() => expectNoLeaks(kit.watch));

describe('only when it crosses the threshold', () => {
	it('sends once when the balance falls below it, and again only after it was back at or above', async () => {
		const sandbox = await kit.start({ credit: 500 });
		await loadBalanceFlow(sandbox.url, { threshold: '100', onlyWhenCrossed: true });
		const sent: Array<Record<string, unknown>> = [];
		helper.getNode('out').on('input', (msg: Record<string, unknown>) => sent.push(msg));
		const node = helper.getNode('balance');
		let asked = 0;
		for (const balance of [500, 400, 90, 80, 120, 70]) {
			sandbox.setCredit('demo', balance);
			node.receive({ payload: 'tick' });
			asked++;
			// Each check has answered once the sandbox saw its balance request (and a moment after).
			await waitFor('balance requests', () => sandbox.requests.filter((r) => r.kind === 'balance').length, asked);
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		kit.watch.record('crossing messages', sent);
		expect(sent.map((msg) => msg.payload)).toEqual([
			{ balance: 90, belowThreshold: true, threshold: 100, previousBalance: 400 },
			{ balance: 70, belowThreshold: true, threshold: 100, previousBalance: 120 },
		]);
	});

	it('without a threshold is a configuration error a Catch node receives', async () => {
		const sandbox = await kit.start({ credit: 50 });
		await loadBalanceFlow(sandbox.url, { threshold: '', onlyWhenCrossed: true });
		const caught: Array<Record<string, unknown>> = [];
		helper.getNode('caught').on('input', (msg: Record<string, unknown>) => caught.push(msg));
		helper.getNode('balance').receive({ payload: 'tick' });
		await waitFor('caught', () => caught.length, 1);
		expect((caught[0].error as { message: string }).message).toMatch(/needs a Threshold/);
	});
});
