import type { IDataObject } from 'n8n-workflow';

import { TEST_NUMBERS } from '../../sandbox/testNumbers';
import { NODE_NAME, runNode } from '../harness/n8nEngine';
import { credentialFor, jsonOf, useSandbox } from './sandboxAccount';

const sandboxes = useSandbox();

const VALIDITY = ['Valid', 'Invalid', 'Undetermined', 'Not Looked Up'];
const GROUPS = ['Live', 'Absent', 'Unknown', 'Restricted', 'Temporary', 'Failed'];

/** What DESIGN §2 says each error code's group is. */
const GROUP_OF_CODE: Record<number, string> = {
	0: 'Live', 6: 'Absent', 27: 'Absent', 1: 'Unknown', 5: 'Unknown',
	7: 'Restricted', 8: 'Restricted', 9: 'Restricted', 11: 'Restricted', 12: 'Restricted', 13: 'Restricted', 21: 'Restricted',
	31: 'Temporary', 32: 'Temporary', 33: 'Temporary',
	34: 'Failed', 35: 'Failed', 36: 'Failed', 38: 'Failed',
};

const errorCodeNumbers = Object.entries(TEST_NUMBERS)
	.filter(([key]) => /^\d+$/.test(key))
	.map(([code, msisdn]) => ({ code: Number(code), msisdn }));

/** 1,000 inputs: national, international and garbage formats, duplicates, NANP, every test number. */
function mixedInputs(): unknown[] {
	const inputs: unknown[] = [];
	for (const { msisdn } of errorCodeNumbers) inputs.push(msisdn, `+${msisdn}`);
	inputs.push(TEST_NUMBERS.nanpMobile, '(201) 555-0101', `+1 800 555 0100`, TEST_NUMBERS.ported);
	const garbage = ['n/a', '', '12', 'call me', '+44 7788 45045O', '447788450450,447788450451', null, '🙂', '0'];
	for (let i = 0; inputs.length < 1000; i++) {
		const subscriber = String(7700000000 + ((i * 7919) % 400)).padStart(10, '0'); // repeats: duplicates
		switch (i % 6) {
			case 0: inputs.push(`+44 ${subscriber.slice(0, 4)} ${subscriber.slice(4)}`); break;
			case 1: inputs.push(`0${subscriber}`); break; // national, needs GB
			case 2: inputs.push(`0044${subscriber}`); break;
			case 3: inputs.push(`44${subscriber}`); break; // the API's own form
			case 4: inputs.push(Number(`44${subscriber}`)); break; // a number from a spreadsheet
			default: inputs.push(garbage[i % garbage.length]);
		}
	}
	return inputs;
}

describe('Look Up Number inside n8n', () => {
	it('routes 1,000 mixed inputs: one typed, paired item each, each on the output its answer says', async () => {
		const sandbox = await sandboxes.start();
		const inputs = mixedInputs();
		const { outputs, error } = await runNode({
			items: inputs.map((phone) => ({ phone }) as IDataObject),
			parameters: { operation: 'lookup', phoneNumber: '={{ $json.phone }}', options: { defaultCountry: 'GB' } },
			credential: credentialFor(sandbox),
		});
		expect(error).toBeUndefined();
		expect(outputs).toHaveLength(4);

		const seen = new Array<number>(inputs.length).fill(0);
		outputs.forEach((items, outputIndex) => {
			for (const item of items) {
				const json = item.json as IDataObject;
				const paired = item.pairedItem as { item: number };
				seen[paired.item]++;
				expect(json.input).toEqual(inputs[paired.item]);
				expect(json.route).toBe(VALIDITY[outputIndex]);
				if (json.lookedUp) {
					const expected = { true: 'Valid', false: 'Invalid', undetermined: 'Undetermined' }[String(json.validnumber)];
					expect(json.route).toBe(expected);
					expect(json.number).toMatch(/^[1-9]\d{0,14}$/);
					expect(['boolean', 'object']).toContain(typeof json.ported); // boolean, or null in the NANP shape
					expect(typeof json.transactioncost).toBe('number');
				} else {
					expect(json.reason).toBe('invalid_number');
					expect(json.route).toBe('Invalid');
				}
				expect(Object.keys(json)).toEqual(expect.arrayContaining(['msisdn', 'errorcode', 'validnumber', 'reachable', 'ocn', 'lrn', 'input', 'route']));
			}
		});
		expect(seen.every((count) => count === 1)).toBe(true);

		// Every test number is on its documented output with its typed fields.
		const all = outputs.flat().map((item) => item.json as IDataObject);
		for (const { code, msisdn } of errorCodeNumbers) {
			const answer = all.find((json) => json.input === msisdn)!;
			expect(answer.errorcode).toBe(code);
			expect(answer.msisdn).toBe(msisdn);
		}
		const nanp = all.find((json) => json.input === TEST_NUMBERS.nanpMobile)!;
		expect(nanp).toMatchObject({ route: 'Undetermined', validnumber: 'undetermined', reachable: 'undetermined' });
		expect(typeof nanp.ocn).toBe('string');
		expect(all.find((json) => json.input === TEST_NUMBERS.ported)).toMatchObject({ ported: true, route: 'Valid' });

		// Each distinct valid number was paid for once; invalid ones never reached the service.
		const distinct = new Set(all.filter((json) => json.lookedUp).map((json) => json.number));
		expect(sandbox.ledger.entries).toHaveLength(distinct.size);
		expect(sandbox.requests.every((r) => r.numbers.every((n) => /^[1-9]\d{0,14}$/.test(n)))).toBe(true);
		expect(Math.max(...sandbox.requests.map((r) => r.numbers.length))).toBeLessThanOrEqual(100);
	});

	it('sorts every error code onto its group with Route By = Error Code Group', async () => {
		const sandbox = await sandboxes.start();
		const inputs = [...errorCodeNumbers.map(({ msisdn }) => msisdn), 'not a number'];
		const { outputs } = await runNode({
			items: inputs.map((phone) => ({ phone })),
			parameters: { operation: 'lookup', phoneNumber: '={{ $json.phone }}', routeBy: 'errorGroup' },
			credential: credentialFor(sandbox),
		});
		expect(outputs).toHaveLength(6);
		for (const { code, msisdn } of errorCodeNumbers) {
			const index = outputs.findIndex((items) => jsonOf(items).some((json) => json.input === msisdn));
			expect([code, GROUPS[index]]).toEqual([code, GROUP_OF_CODE[code]]);
		}
		expect(jsonOf(outputs[GROUPS.indexOf('Unknown')]).some((json) => json.input === 'not a number')).toBe(true);
	});

	it('puts everything on one output with Route By = Single Output', async () => {
		const sandbox = await sandboxes.start();
		const { outputs } = await runNode({
			items: [{ phone: TEST_NUMBERS[0] }, { phone: TEST_NUMBERS[1] }, { phone: 'x' }],
			parameters: { operation: 'lookup', phoneNumber: '={{ $json.phone }}', routeBy: 'none' },
			credential: credentialFor(sandbox),
		});
		expect(outputs).toHaveLength(1);
		expect(jsonOf(outputs[0]).map((json) => json.route)).toEqual(['Result', 'Result', 'Result']);
	});

	it('survives 250 numbers against a 10-per-request, 1-connection service, paying once each', async () => {
		const sandbox = await sandboxes.start({ maxPerRequest: 10, maxConnections: 1 });
		const numbers = Array.from({ length: 250 }, (_, i) => `447788${String(i).padStart(6, '0')}`);
		const { outputs, error } = await runNode({
			items: numbers.map((phone) => ({ phone })),
			parameters: { operation: 'lookup', phoneNumber: '={{ $json.phone }}', options: { maxConnections: 1 } },
			credential: credentialFor(sandbox),
		});
		expect(error).toBeUndefined();
		const all = outputs.flat().map((item) => item.json as IDataObject);
		expect(all).toHaveLength(250);
		expect(all.every((json) => json.lookedUp === true)).toBe(true);
		expect(sandbox.ledger.entries).toHaveLength(250);
		expect(sandbox.ledger.numbersChargedTwiceForDeliveredResult()).toEqual([]);
		expect(sandbox.connections.peakOpenSockets('demo')).toBe(1);
		// Only the first request is over the limit; the node then stays within it.
		const tooLong = sandbox.requests.filter((r) => r.outcome === 'request_too_long');
		expect(tooLong).toHaveLength(1);
		expect(sandbox.requests.filter((r) => r.outcome === 'ok').every((r) => r.numbers.length <= 10)).toBe(true);
	});

	it('looks up a number once however many items hold it, unless told otherwise', async () => {
		const sandbox = await sandboxes.start();
		const items = [{ phone: '+44 7400 900000' }, { phone: '447400900000' }, { phone: '07400 900000' }];
		const parameters = { operation: 'lookup', phoneNumber: '={{ $json.phone }}', options: { defaultCountry: 'GB' } };
		const once = await runNode({ items, parameters, credential: credentialFor(sandbox) });
		expect(jsonOf(once.outputs[0])).toHaveLength(3);
		expect(sandbox.ledger.entries).toHaveLength(1);

		await runNode({
			items,
			parameters: { ...parameters, options: { defaultCountry: 'GB', lookUpDuplicatesOnce: false } },
			credential: credentialFor(sandbox),
		});
		expect(sandbox.ledger.entries).toHaveLength(4);
	});

	it('reads the credential once per execution, not once per request', async () => {
		const sandbox = await sandboxes.start();
		const items = Array.from({ length: 30 }, (_, i) => ({ phone: `+44 7400 9001${String(i).padStart(2, '0')}` }));
		const run = await runNode({
			items,
			parameters: { operation: 'lookup', phoneNumber: '={{ $json.phone }}', options: { numbersPerRequest: 10 } },
			credential: credentialFor(sandbox),
		});
		expect(jsonOf(run.outputs[0])).toHaveLength(30);
		expect(sandbox.requests.filter((r) => r.kind === 'lookup')).toHaveLength(3);
		// In n8n each read is a database query and a decryption: the helper signs with this one.
		expect(run.credentialReads).toBe(1);
	});

	it('asks for the serving MSC at 1.2 credits when told to', async () => {
		const sandbox = await sandboxes.start();
		const { outputs } = await runNode({
			items: [{ phone: TEST_NUMBERS[0] }],
			parameters: { operation: 'lookup', phoneNumber: '={{ $json.phone }}', options: { includeMsc: true } },
			credential: credentialFor(sandbox),
		});
		const [json] = jsonOf(outputs[0]);
		expect(json.transactioncost).toBe(1.2);
		expect(typeof json.msc).toBe('string');
		expect(sandbox.ledger.totalCharged()).toBe(1.2);
	});

	it('sends numbers that cannot be valid when Skip Invalid Numbers is off, if they are digits', async () => {
		const sandbox = await sandboxes.start();
		await runNode({
			items: [{ phone: '4412' }, { phone: 'abc' }],
			parameters: { operation: 'lookup', phoneNumber: '={{ $json.phone }}', options: { skipInvalid: false } },
			credential: credentialFor(sandbox),
		});
		expect(sandbox.requests.flatMap((r) => r.numbers)).toEqual(['4412']);
	});

	it(`names the node ${NODE_NAME} and refuses a plain-http base URL that is not loopback`, async () => {
		const { error } = await runNode({
			items: [{ phone: TEST_NUMBERS[0] }],
			parameters: { operation: 'lookup', phoneNumber: '={{ $json.phone }}' },
			credential: { user: 'demo', password: 'demo', baseUrl: 'http://api.example.com/npl' },
		});
		expect(error?.message).toMatch(/must use https/);
	});
});
