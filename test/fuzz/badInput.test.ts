/**
 * Issue 6, bad input: 10,000 generated inputs (fast-check) through n8n's engine against the
 * sandbox. Unicode, digits with separators, commas, '&', '%', new lines, 10 KB strings, emoji,
 * and null, undefined, numbers, booleans, arrays and objects coming from expressions.
 *
 * Whatever the input: the node never fails, every input yields one item on its route, paired to
 * its item; only 1–15 digit numbers reach the service, never more than Numbers Per Request in
 * one request; a value holding anything but digits and separators is never sent; every number
 * sent is one the node reports, and the ledger balances.
 */
import fc from 'fast-check';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import {
	credentialFor,
	expectCleanRequests,
	expectLedgerBalanced,
	expectNoLeaks,
	expectOnePerInput,
	expectRightRoutes,
	expectWithin,
	LOOKUP,
	LOOKUP_MANY,
	mixedNumber,
	resultsOf,
	textOf,
	useFaultKit,
	type Result,
	type Sandbox,
} from '../faults/support';

const kit = useFaultKit('fuzz');

const SEED = Number(process.env.FUZZ_SEED ?? 20261128);

// ---------------------------------------------------------------------------------------------
// Inputs

const validDigits = fc.integer({ min: 0, max: 3_999_999 }).map(mixedNumber);

/** A valid number, written the ways people write it. */
const validText = fc
	.tuple(validDigits, fc.constantFrom('plain', 'plus', '00', 'spaced', 'dashed', 'dotted', 'nbsp', 'parens'))
	.map(([digits, style]) => {
		const groups = digits.match(/.{1,3}/g) ?? [digits];
		switch (style) {
			case 'plus':
				return `+${digits}`;
			case '00':
				return `00${digits}`;
			case 'spaced':
				return `+${groups.join(' ')}`;
			case 'dashed':
				return `+${groups.join('-')}`;
			case 'dotted':
				return groups.join('.');
			case 'nbsp':
				return ` +${groups.join('\u00a0')} `;
			case 'parens':
				return `+${digits.slice(0, 2)} (${digits.slice(2, 5)}) ${digits.slice(5)}`;
			default:
				return digits;
		}
	});

/** Pieces that must never pass into a request: list and form separators, escapes, lookalikes. */
const INJECTIONS = [',', ';', '&', '%', '\n', '\r\n', '%2C', '%26', '&msisdn=447788000001', '&pass=x', '=', '#', '?', '+', '*', 'x', 'ext. 12', '\u0000', '\u2028', '١', '４', '📞', '4\ufe0f\u20e3'];

const digitOrSeparator = fc.constantFrom(
	...'0123456789'.split(''),
	' ', '-', '.', '(', ')', '/', '\t', '\u00a0', '\u2013', '\u202f',
	...INJECTIONS,
);

/** Digits with separators, and anything else that may sit between digits. */
const phoneish = fc
	.tuple(fc.constantFrom('', '+', '00', '0', '+0', ' ', '++'), fc.array(digitOrSeparator, { maxLength: 24 }))
	.map(([head, parts]) => head + parts.join(''));

/** Two valid numbers glued by something: never two lookups, never one. */
const glued = fc
	.tuple(validText, fc.constantFrom(...INJECTIONS), validText)
	.map(([a, glue, b]) => `${a}${glue}${b}`);

const emoji = fc
	.tuple(fc.constantFrom('📞', '🙂', '4️⃣4️⃣7️⃣', '☎️', '👨‍👩‍👧', '🇬🇧'), validText)
	.map(([e, number]) => `${e} ${number}`);

/** About 10 KB. */
const huge = fc
	.tuple(fc.constantFrom('9', '4', '+44 7788 450450,', '📞', 'a&b%c\n', '٤'), fc.integer({ min: 9_000, max: 10_240 }))
	.map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

const unicodeText = fc.oneof(
	fc.string({ unit: 'grapheme', maxLength: 30 }),
	fc.string({ unit: 'binary', maxLength: 30 }),
	fc.string({ unit: 'grapheme-ascii', maxLength: 30 }),
);

/** What an expression may hand the node besides text. */
const jsonish = fc.oneof(
	fc.constant(null),
	fc.constant(undefined),
	fc.boolean(),
	fc.integer(),
	fc.double(),
	fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 0, 1e21, Number.MAX_SAFE_INTEGER, 447788123456, 4915123000001),
	validDigits.map(Number),
	fc.array(fc.oneof(validText, fc.integer(), fc.constant(null)), { maxLength: 4 }),
	fc.object({ maxDepth: 2, maxKeys: 3 }),
	fc.constantFrom({ phone: '447788000001' }, [['447788000001']], { toString: '447788000001' }),
);

/** One value a "Phone Number" expression may give. */
const anyInput: fc.Arbitrary<unknown> = fc.oneof(
	{ arbitrary: validText, weight: 30 },
	{ arbitrary: validDigits, weight: 10 },
	{ arbitrary: phoneish, weight: 20 },
	{ arbitrary: glued, weight: 10 },
	{ arbitrary: emoji, weight: 4 },
	{ arbitrary: unicodeText, weight: 10 },
	{ arbitrary: huge, weight: 2 },
	{ arbitrary: jsonish, weight: 14 },
);

/** One value a "Phone Numbers" expression may give: text lists, arrays, single values. */
const anyList: fc.Arbitrary<unknown> = fc.oneof(
	{
		arbitrary: fc
			.tuple(fc.array(fc.oneof(validText, phoneish, unicodeText, emoji), { maxLength: 8 }), fc.constantFrom(',', ';', '\n', ', ', ' ;\r\n', ',,'))
			.map(([parts, separator]) => parts.join(separator)),
		weight: 40,
	},
	{ arbitrary: fc.array(fc.oneof(anyInput, fc.array(anyInput, { maxLength: 3 })), { maxLength: 8 }), weight: 45 },
	{ arbitrary: anyInput, weight: 15 },
);

// ---------------------------------------------------------------------------------------------
// What the README says Look Up Numbers makes of a value (independent of the node's code)

const isBlank = (value: unknown) =>
	value === null || value === undefined || (typeof value === 'string' && value.trim() === '');

function splitList(value: unknown): unknown[] {
	if (typeof value === 'string') return value.split(/[,;\r\n]/).map((piece) => piece.trim()).filter((piece) => piece !== '');
	if (Array.isArray(value)) {
		return value.flatMap((element: unknown) => (Array.isArray(element) ? element : [element])).filter((element) => !isBlank(element));
	}
	return isBlank(value) ? [] : [value];
}

/** The values an item yields one output item each for; an item holding no number yields itself. */
function listElements(value: unknown): unknown[] {
	const elements = splitList(value);
	return elements.length > 0 ? elements : [value];
}

/** Text that holds anything but digits, separators and a leading '+' can never be a number sent. */
const SENDABLE_TEXT = /^\s*\+?[\d \-.()/\t\u00a0\u202f\u2010-\u2015]*\s*$/;

// ---------------------------------------------------------------------------------------------

interface Settings {
	numbersPerRequest: number;
	defaultCountry: string;
	skipInvalid: boolean;
	lookUpDuplicatesOnce: boolean;
}

const settingsArb: fc.Arbitrary<Settings> = fc.record({
	numbersPerRequest: fc.constantFrom(1, 7, 10, 33, 100),
	defaultCountry: fc.constantFrom('', 'GB', 'DE', 'US', 'FR'),
	skipInvalid: fc.boolean(),
	lookUpDuplicatesOnce: fc.boolean(),
});

let inputsSeen = 0;

/**
 * A failure names the seed and the problem (checkRun lists the offending inputs); the whole
 * 1,000-value counterexample would bury it. FUZZ_SEED=<seed> replays a run.
 */
function briefReport<Ts>(details: fc.RunDetails<Ts>): void {
	if (!details.failed) return;
	const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
	throw new Error(`Property failed (seed ${details.seed}, path ${details.counterexamplePath}):\n${error}`);
}

async function checkRun(
	label: string,
	items: IDataObject[],
	parameters: INodeParameters,
	settings: Settings,
	inputsOf: (index: number) => unknown[],
): Promise<void> {
	kit.sent.clear();
	const sandbox: Sandbox = await kit.start();
	const run = await kit.run(label, {
		items,
		parameters: { ...parameters, options: { ...settings } },
		credential: credentialFor(sandbox),
	});
	if (run.error) throw new Error(`${label}: the node failed: ${textOf(run.error)}`);
	const results: Result[] = resultsOf(run.outputs);
	const expectedCount = items.reduce((sum, _item, index) => sum + inputsOf(index).length, 0);
	inputsSeen += expectedCount;

	// One item per input, paired, on its route; nothing but invalid input left unlooked-up.
	expectOnePerInput(results, items.length, inputsOf);
	expect(results).toHaveLength(expectedCount);
	expectRightRoutes(results, []);

	// Text with anything a phone number does not hold never goes out.
	const smuggled = results
		.filter(({ json }) => json.lookedUp && typeof json.input === 'string' && !SENDABLE_TEXT.test(json.input))
		.map(({ json }) => textOf(json.input));
	expect(smuggled).toEqual([]);

	// Each answer is for the number sent; what was sent is exactly what the node reports.
	const mismatched = results.filter(({ json }) => json.lookedUp && json.msisdn !== json.number);
	expect(mismatched.map(({ json }) => `${json.number} answered as ${json.msisdn}`)).toEqual([]);
	const sent = new Set(sandbox.requests.flatMap((request) => request.numbers));
	const reported = new Set(results.filter(({ json }) => json.lookedUp).map(({ json }) => json.number));
	expect([...sent].sort()).toEqual([...reported].sort());

	expectCleanRequests(sandbox, kit.sent, settings.numbersPerRequest);
	expectLedgerBalanced(sandbox, results, { duplicatesOnce: settings.lookUpDuplicatesOnce });
	expectWithin(`${label} [${expectedCount} inputs, ${sandbox.requests.length} requests, ${JSON.stringify(settings)}]`, run.ms, 30_000);
}

describe('bad input (property-based, fast-check)', () => {
	it('Look Up Number: 7 runs × 1,000 generated values from {{ $json.phone }}', async () => {
		let runIndex = 0;
		await fc.assert(
			fc.asyncProperty(fc.array(anyInput, { minLength: 1_000, maxLength: 1_000 }), settingsArb, async (values, settings) => {
				const items = values.map((phone) => ({ phone }) as IDataObject);
				await checkRun(`Look Up Number run ${++runIndex}`, items, LOOKUP, settings, (index) => [values[index]]);
			}),
			{ numRuns: 7, seed: SEED, endOnFailure: true, reporter: briefReport },
		);
	}, 150_000);

	it('Look Up Numbers: 3 runs × 1,000 generated values from {{ $json.phones }} (lists, arrays, single values)', async () => {
		let runIndex = 0;
		await fc.assert(
			fc.asyncProperty(fc.array(anyList, { minLength: 600, maxLength: 600 }), settingsArb, async (lists, settings) => {
				// About 1,000 values per run: as many items as it takes.
				const items: IDataObject[] = [];
				let values = 0;
				for (const phones of lists) {
					if (values >= 1_000) break;
					items.push({ phones } as IDataObject);
					values += listElements(phones).length;
				}
				await checkRun(`Look Up Numbers run ${++runIndex}`, items, LOOKUP_MANY, settings, (index) => listElements(items[index].phones));
			}),
			{ numRuns: 3, seed: SEED + 1, endOnFailure: true, reporter: briefReport },
		);
	}, 150_000);

	it('saw 10,000 inputs, never showed the password, and reached nothing but loopback', () => {
		expect(inputsSeen).toBeGreaterThanOrEqual(9_000);
		expect(kit.guard.blocked).toEqual([]);
		expectNoLeaks(kit.watch);
	});
});
