import type { IDataObject } from 'n8n-workflow';

import { configuredOutputs } from '../../nodes/NumberPortabilityLookup/helpers/outputs';
import { routeNamesFor } from '../../engine/results/routes';
import { TEST_NUMBERS } from '../../sandbox/testNumbers';
import { testCredential } from '../harness/credentialTest';
import { runNode } from '../harness/n8nEngine';
import { credentialFor, jsonOf, useSandbox } from './sandboxAccount';

const sandboxes = useSandbox();

describe('Look Up Numbers (batch)', () => {
	it('splits text and arrays into one paired item per number, pooled across items', async () => {
		const sandbox = await sandboxes.start();
		const { outputs, error } = await runNode({
			items: [
				{ phones: `${TEST_NUMBERS[0]}, +${TEST_NUMBERS[1]};\n${TEST_NUMBERS[6]}` },
				{ phones: [TEST_NUMBERS[0], TEST_NUMBERS.nanpMobile, 'nope'] },
			],
			parameters: { operation: 'lookupMany', phoneNumbers: '={{ $json.phones }}' },
			credential: credentialFor(sandbox),
		});
		expect(error).toBeUndefined();
		const all = outputs.flatMap((items) => items.map((item) => ({ json: item.json as IDataObject, item: (item.pairedItem as { item: number }).item })));
		expect(all).toHaveLength(6);
		expect(all.filter((entry) => entry.item === 0).map((entry) => entry.json.number).sort()).toEqual(
			[TEST_NUMBERS[0], TEST_NUMBERS[1], TEST_NUMBERS[6]].sort(),
		);
		expect(all.filter((entry) => entry.item === 1)).toHaveLength(3);
		expect(sandbox.ledger.entries).toHaveLength(4); // TEST_NUMBERS[0] twice, paid once
		expect(sandbox.requests).toHaveLength(1);
	});

	it('gives an item that holds no number one Invalid item saying so, instead of dropping it', async () => {
		const sandbox = await sandboxes.start();
		const { outputs } = await runNode({
			items: [{ phones: '' }, { phones: [] }, { phones: TEST_NUMBERS[0] }],
			parameters: { operation: 'lookupMany', phoneNumbers: '={{ $json.phones }}' },
			credential: credentialFor(sandbox),
		});
		const invalid = outputs[1].map((item) => (item.pairedItem as { item: number }).item);
		expect(invalid).toEqual([0, 1]);
		expect(jsonOf(outputs[1]).every((json) => json.reason === 'invalid_number')).toBe(true);
		expect(jsonOf(outputs[0])).toHaveLength(1);
	});

	it('keeps the input field when the expression gives nothing (a CSV row with an empty cell)', async () => {
		const sandbox = await sandboxes.start();
		const { outputs } = await runNode({
			items: [{ name: 'no phone column' }],
			parameters: { operation: 'lookup', phoneNumber: '={{ $json.phone }}' },
			credential: credentialFor(sandbox),
		});
		expect(Object.keys(outputs[1][0].json)).toContain('input');
		expect(outputs[1][0].json.input).toBeNull();
	});
});

describe('Get Balance', () => {
	it.each(['plain', 'ok', 'json'] as const)('reads a %s balance and flags it below the threshold', async (balanceFormat) => {
		const sandbox = await sandboxes.start({ balanceFormat, accounts: [{ user: 'demo', pass: 'demo', credit: 42.5 }] });
		const { outputs } = await runNode({
			items: [{}, {}],
			parameters: { operation: 'getBalance', options: { lowBalanceThreshold: 100 } },
			credential: credentialFor(sandbox),
		});
		expect(outputs).toHaveLength(1);
		expect(outputs[0]).toHaveLength(1);
		expect(outputs[0][0].json).toEqual({ balance: 42.5, lowBalanceThreshold: 100, belowThreshold: true });
		expect(outputs[0][0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('fails with the service message on a wrong password', async () => {
		const sandbox = await sandboxes.start();
		const { error } = await runNode({
			items: [{}],
			parameters: { operation: 'getBalance' },
			credential: credentialFor(sandbox, 'demo', 'nope'),
		});
		expect(error?.description).toMatch(/FAIL Invalid password/);
	});
});

describe('Validate Offline', () => {
	it('checks numbers without a request', async () => {
		const { outputs } = await runNode({
			items: [{ phone: '07788 450450' }, { phone: '12' }],
			parameters: { operation: 'validate', phoneNumber: '={{ $json.phone }}', options: { defaultCountry: 'GB' } },
		});
		const [valid, invalid] = jsonOf(outputs[0]);
		expect(valid).toMatchObject({ input: '07788 450450', valid: true, number: '447788450450', countryiso: 'GB' });
		expect(invalid).toMatchObject({ input: '12', valid: false });
		expect(outputs[0][1].pairedItem).toEqual({ item: 1 });
		const empty = await runNode({
			items: [{}],
			parameters: { operation: 'validate', phoneNumber: '={{ $json.phone }}' },
		});
		expect(empty.outputs[0][0].json).toMatchObject({ input: null, valid: false });
	});
});

describe('the credential test', () => {
	const test = testCredential;

	it('passes with the right password and fails clearly with a wrong one', async () => {
		const sandbox = await sandboxes.start();
		await expect(test(credentialFor(sandbox))).resolves.toMatchObject({ status: 'OK' });
		const wrong = await test(credentialFor(sandbox, 'demo', 'nope'));
		expect(wrong.status).toBe('Error');
		expect(wrong.message).toMatch(/FAIL Invalid password/);
		expect(wrong.message).toMatch(/Check the user and password/);
	});
});

describe('outputs', () => {
	it('shows the same output names as the engine routes', () => {
		for (const routeBy of ['validity', 'errorGroup', 'none'] as const) {
			for (const operation of ['lookup', 'lookupMany']) {
				expect(configuredOutputs({ operation, routeBy }).map((o) => o.displayName)).toEqual([...routeNamesFor(routeBy)]);
			}
		}
		expect(configuredOutputs({ operation: 'getBalance', routeBy: 'validity' })).toHaveLength(1);
		expect(configuredOutputs({ operation: 'validate' })).toHaveLength(1);
	});
});
