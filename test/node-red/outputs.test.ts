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
