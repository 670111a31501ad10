import { LookupSession, lookUpInputs, type LookupSettings } from '../../engine/lookupSession';
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

	// At 200 ms a request, building 10,000 results after the last answer took 8-16 ms in n8n:
	// those already answered are built while the last requests are out.
	it('builds the results already answered while the last request is out, and the rest after it', async () => {
		let release!: () => void;
		const lastAnswer = new Promise<void>((resolve) => (release = resolve));
		const numbers = ['447712000001', '447712000002', '447712000003', '447712000004', '447712000005', '447712000006'];
		const transport = new ScriptedTransport();
		const held: ScriptedTransport = Object.assign(Object.create(transport), {
			// The third and last request is answered only when the test says so.
			lookup: async (...args: Parameters<ScriptedTransport['lookup']>) => {
				if (transport.requests.length === 2) await lastAnswer;
				return await transport.lookup(...args);
			},
		});
		const session = new LookupSession({ ...settings, maxConnections: 1 }, held, nodeClock);
		numbers.forEach((input, itemIndex) => session.add({ itemIndex, input }));
		const finished = session.finish();
		// The last request is held: the session has nothing to wait for but its answer.
		for (let turn = 0; turn < 50 && session.resultsBuilt < 4; turn++) await new Promise((resolve) => setTimeout(resolve, 1));
		expect(transport.requests).toHaveLength(2);
		expect(session.resultsBuilt).toBe(4);
		release();
		const { results } = await finished;
		expect(transport.requests).toHaveLength(3);
		expect(results.map((result) => result.json.msisdn)).toEqual(numbers);
	});
});
