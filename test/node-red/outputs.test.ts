/**
 * npl-lookup inside Node-RED's runtime against the sandbox: every output of each Route By, the
 * typed fields, what a message keeps, every kind of payload, done() once per message.
 */
import { TEST_NUMBERS } from '../../sandbox/testNumbers';
import { useSandbox, type Sandbox } from '../node/sandboxAccount';
import { loadLookupFlow, useNodeRed, waitFor, type Collected } from './flows';

useNodeRed();
const sandboxes = useSandbox();

/** Sends one message per payload (each with `seq` and a property of its own), waits for every done. */
async function run(
	sandbox: Sandbox,
	payloads: unknown[],
	lookup: Record<string, unknown> = {},
	expectedOut?: number,
): Promise<Collected> {
	const { node, collected } = await loadLookupFlow({ baseUrl: sandbox.url, lookup });
	payloads.forEach((payload, seq) => node.receive({ payload, seq, topic: `t${seq}` }));
	await waitFor('completed messages', () => collected.completed.length + collected.caught.length, payloads.length);
	if (expectedOut !== undefined) expect(collected.out).toHaveLength(expectedOut);
	return collected;
}

describe('npl-lookup, Route By Validity', () => {
	it('sends each number to Valid, Invalid, Undetermined or Not Looked Up, as a typed result', async () => {
		const sandbox = await sandboxes.start({ errorShare: 0 });
		const payloads = [
			TEST_NUMBERS[0], // valid, errorcode 0
			`+${TEST_NUMBERS[1]}`, // errorcode 1, validnumber false
			TEST_NUMBERS.nanpMobile, // undetermined
			'not a number', // invalid, answered locally
			'', // no number: Not Looked Up
		];
		const collected = await run(sandbox, payloads, {}, 5);
		const byInput = new Map(collected.out.map(({ output, msg }) => [msg.seq, { output, msg }]));
		expect(byInput.get(0)?.output).toBe(0);
		expect(byInput.get(1)?.output).toBe(1);
		expect(byInput.get(2)?.output).toBe(2);
		expect(byInput.get(3)?.output).toBe(1);
		expect(byInput.get(4)?.output).toBe(3);

		const valid = byInput.get(0)!.msg;
		expect(valid.topic).toBe('t0');
		expect(valid.payload).toMatchObject({
			msisdn: TEST_NUMBERS[0],
			errorcode: 0,
			validnumber: true,
			reachable: true,
			ported: false,
			mobile: true,
			input: TEST_NUMBERS[0],
			number: TEST_NUMBERS[0],
			lookedUp: true,
			reason: null,
			reasonText: null,
			route: 'Valid',
		});
		expect(typeof (valid.payload as { transactioncost: unknown }).transactioncost).toBe('number');
		// Every documented field is there, null when absent (the n8n node's items have the same keys).
		expect(Object.keys(valid.payload as object)).toHaveLength(36);
		expect((byInput.get(2)!.msg.payload as { carrier: string }).carrier).toEqual(expect.any(String));

		const empty = byInput.get(4)!.msg.payload as Record<string, unknown>;
		expect(empty).toMatchObject({ lookedUp: false, reason: 'no_number', input: '', number: null, route: 'Not Looked Up' });
		expect(String(empty.reasonText)).toMatch(/no phone number/);
		const invalid = byInput.get(3)!.msg.payload as Record<string, unknown>;
		expect(invalid).toMatchObject({ lookedUp: false, reason: 'invalid_number', route: 'Invalid' });

		// done() once per input message, after its results; nothing caught.
		expect(collected.completed.map((m) => m.seq).sort()).toEqual([0, 1, 2, 3, 4]);
		expect(collected.caught).toEqual([]);
		// Only the three valid numbers were sent, in one request.
		expect(sandbox.ledger.entries.map((e) => e.msisdn).sort()).toEqual(
			[TEST_NUMBERS[0], TEST_NUMBERS[1], TEST_NUMBERS.nanpMobile].sort(),
		);
		expect(sandbox.requests.filter((r) => r.kind === 'lookup')).toHaveLength(1);
	});
});

describe('npl-lookup, Route By Error Code Group and Single Output', () => {
	it('sends each number to Live, Absent, Unknown, Restricted, Temporary or Failed', async () => {
		const sandbox = await sandboxes.start({ errorShare: 0 });
		// One number per group, then a number that cannot be valid (Unknown) and an empty payload (Failed).
		const payloads = [TEST_NUMBERS[0], TEST_NUMBERS[6], TEST_NUMBERS[1], TEST_NUMBERS[7], TEST_NUMBERS[31], TEST_NUMBERS[34], '12', null];
		const collected = await run(sandbox, payloads, { routeBy: 'errorGroup' }, payloads.length);
		const outputOf = (seq: number) => collected.out.find(({ msg }) => msg.seq === seq)?.output;
		expect(payloads.map((_, seq) => outputOf(seq))).toEqual([0, 1, 2, 3, 4, 5, 2, 5]);
		const routes = collected.out.map(({ msg }) => (msg.payload as { route: string }).route);
		expect(new Set(routes)).toEqual(new Set(['Live', 'Absent', 'Unknown', 'Restricted', 'Temporary', 'Failed']));
	});

	it('sends everything to its one output with Single Output', async () => {
		const sandbox = await sandboxes.start({ errorShare: 0 });
		const collected = await run(sandbox, [TEST_NUMBERS[0], 'nope', ''], { routeBy: 'none' }, 3);
		expect(collected.out.map(({ output }) => output)).toEqual([0, 0, 0]);
		expect(collected.out.every(({ msg }) => (msg.payload as { route: string }).route === 'Result')).toBe(true);
	});
});

describe('npl-lookup, what a message holds', () => {
	it('takes a list in text, a number, an array and nested arrays; one message out per number', async () => {
		const sandbox = await sandboxes.start({ errorShare: 0 });
		const payloads = [
			`${TEST_NUMBERS[0]}, +44 7400 900005; 07400900006\n${TEST_NUMBERS[7]},,`,
			Number(TEST_NUMBERS[31]),
			[TEST_NUMBERS[32], [TEST_NUMBERS[33], null], ''],
		];
		const collected = await run(sandbox, payloads, { defaultCountry: 'gb' }, 7);
		const inputsOf = (seq: number) =>
			collected.out
				.filter(({ msg }) => msg.seq === seq)
				.map(({ msg }) => (msg.payload as { input: unknown }).input)
				.sort();
		expect(inputsOf(0)).toEqual([TEST_NUMBERS[0], '+44 7400 900005', '07400900006', TEST_NUMBERS[7]].sort());
		expect(inputsOf(1)).toEqual([Number(TEST_NUMBERS[31])]);
		expect(inputsOf(2)).toEqual([TEST_NUMBERS[32], TEST_NUMBERS[33]]);
		// National format read with Default Country GB: looked up as the E.164 digits.
		expect(collected.out.every(({ msg }) => (msg.payload as { lookedUp: boolean }).lookedUp)).toBe(true);
		expect(collected.completed).toHaveLength(3);
	});

	it("keeps the input message's other properties in each message out, as copies", async () => {
		const sandbox = await sandboxes.start({ errorShare: 0 });
		const { node, collected } = await loadLookupFlow({ baseUrl: sandbox.url });
		const customer = { id: 42, tags: ['vip'] };
		node.receive({ payload: [TEST_NUMBERS[0], TEST_NUMBERS[1]], seq: 0, customer, topic: 'crm' });
		await waitFor('completed messages', () => collected.completed.length, 1);
		expect(collected.out).toHaveLength(2);
		for (const { msg } of collected.out) {
			expect(msg).toMatchObject({ customer: { id: 42, tags: ['vip'] }, topic: 'crm', seq: 0 });
			expect(msg.customer).not.toBe(customer);
		}
		expect(collected.out[0].msg).not.toBe(collected.out[1].msg);
	});

	it('answers numbers that cannot be valid, and values that are not numbers, without losing a message', async () => {
		const sandbox = await sandboxes.start({ errorShare: 0 });
		const payloads: unknown[] = [{ phone: TEST_NUMBERS[0] }, true, 'x'.repeat(10_000), '+', [[]], [{}, 7], '١٢٣', undefined, '   '];
		const collected = await run(sandbox, payloads, {});
		// Every message answered and done; one message out per value (an empty payload: one).
		expect(collected.completed.map((m) => m.seq).sort()).toEqual(payloads.map((_, i) => i));
		const perMessage = payloads.map((_, seq) => collected.out.filter(({ msg }) => msg.seq === seq).length);
		expect(perMessage).toEqual([1, 1, 1, 1, 1, 2, 1, 1, 1]);
		for (const { msg } of collected.out) {
			const json = msg.payload as { lookedUp: boolean; reason: string; reasonText: string };
			expect(json.lookedUp).toBe(false);
			expect(['invalid_number', 'no_number']).toContain(json.reason);
			expect(json.reasonText.length).toBeGreaterThan(20);
		}
		expect(sandbox.requests).toHaveLength(0);
	});
});
