import { lookUpInputs, type LookupSettings } from '../../engine/lookupSession';
import type { LookupTransport } from '../../engine/scheduling/transportContract';
import { nodeClock } from '../../transport/nodeClock';

/** Answers every number it is sent as valid, and records the requests (a unit stand-in). */
function answeringTransport(): LookupTransport & { sent: string[] } {
	const sent: string[] = [];
	return {
		sent,
		lookup: async (numbers, onResult) => {
			sent.push(...numbers);
			await Promise.resolve();
			for (const msisdn of numbers) onResult({ msisdn, errorcode: '0', validnumber: 'true' });
			return null;
		},
	};
}

const settings: LookupSettings = {
	routeBy: 'validity',
	skipInvalid: true,
	lookUpDuplicatesOnce: true,
	numbersPerRequest: 2,
	maxConnections: 2,
	includeMsc: false,
};

describe('lookUpInputs', () => {
	// The session drops each outcome once its last input has its result (a 100,000-number run
	// held every outcome and every item at once): inputs that share a number must all get it.
	it('gives every input that shares a number that number’s answer, however often and wherever it repeats', async () => {
		const spellings = ['+44 7712 000001', '447712000002', '07712 000001', '+447712000001', '447712000002', '+44 7712 000003'];
		const transport = answeringTransport();
		const { results } = await lookUpInputs(
			spellings.map((input, itemIndex) => ({ itemIndex, input })),
			{ ...settings, defaultCountry: 'GB' },
			transport,
			nodeClock,
		);
		expect(transport.sent.sort()).toEqual(['447712000001', '447712000002', '447712000003']);
		expect(results.map((result) => [result.itemIndex, result.json.lookedUp, result.json.msisdn])).toEqual([
			[0, true, '447712000001'],
			[1, true, '447712000002'],
			[2, true, '447712000001'],
			[3, true, '447712000001'],
			[4, true, '447712000002'],
			[5, true, '447712000003'],
		]);
	});
});
