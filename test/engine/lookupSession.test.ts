import { lookUpInputs, type LookupSettings } from '../../engine/lookupSession';
import { nodeClock } from '../../transport/nodeClock';
import { ScriptedTransport } from '../scheduling/scriptedTransport';

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
		// Answers every number it is sent as valid, and records the requests.
		const transport = new ScriptedTransport();
		const { results } = await lookUpInputs(
			spellings.map((input, itemIndex) => ({ itemIndex, input })),
			{ ...settings, defaultCountry: 'GB' },
			transport,
			nodeClock,
		);
		expect(transport.requests.flat().sort()).toEqual(['447712000001', '447712000002', '447712000003']);
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
