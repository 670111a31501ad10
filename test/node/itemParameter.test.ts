import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { fieldPathOf } from '../../nodes/NumberPortabilityLookup/helpers/itemParameter';
import { runNode } from '../harness/n8nEngine';
import { credentialFor, useSandbox } from './sandboxAccount';

const sandboxes = useSandbox();

/**
 * The node reads `{{ $json.phone }}` itself, without n8n's expression engine, where the field
 * holds text or a number (helpers/itemParameter.ts). `{{ $json["phone"] }}` is the same
 * expression in a form it leaves to n8n: both runs must give every item the same input.
 */
const ITEMS: IDataObject[] = [
	{ phone: '+44 7400 900000' },
	{ phone: ' 0044 7400 900001 ' },
	{ phone: 447400900002 },
	{ phone: 4.47400900003e11 },
	{ phone: -447400900004 },
	{ phone: 0 },
	{ phone: 1.5 },
	{ phone: '' },
	{ phone: 'n/a' },
	{ phone: '٤٤٧٤٠٠٩٠٠٠٠٥' },
	{ phone: null },
	{},
	{ phone: true },
	{ phone: ['447400900006'] },
	{ phone: { number: '447400900007' } },
	{ phone: Number.NaN },
	{ phone: Number.POSITIVE_INFINITY },
	{ other: '447400900008' },
];

/** Per input item (its pairedItem), what the node made of it. */
function byItem(outputs: INodeExecutionData[][]) {
	const seen: unknown[][] = [];
	outputs.forEach((items, output) => {
		for (const item of items) {
			const json = item.json as IDataObject;
			const { item: index } = item.pairedItem as { item: number };
			(seen[index] ??= []).push([output, json.input, json.number, json.lookedUp, json.reason]);
		}
	});
	return seen;
}

describe('reading the number field of each item', () => {
	it('recognises only an expression that names a field, and leaves names n8n treats specially to n8n', () => {
		expect(fieldPathOf('={{ $json.phone }}')).toEqual(['phone']);
		expect(fieldPathOf('={{$json.contact.phone}}')).toEqual(['contact', 'phone']);
		expect(fieldPathOf('={{ $json.$phone_2 }}')).toEqual(['$phone_2']);
		for (const other of [
			'={{ $json["phone"] }}',
			'={{ $json.phone.trim() }}',
			'={{ $json.phone }} ',
			'=+{{ $json.phone }}',
			'={{ $json.phone || $json.mobile }}',
			'={{ $json.constructor }}',
			'={{ $json.__proto__ }}',
			'{{ $json.phone }}',
			'+44 7400 900000',
			42,
			undefined,
		]) {
			expect(fieldPathOf(other)).toBeNull();
		}
	});

	it.each([
		['Look Up Number', 'lookup', 'phoneNumber', 'phone'],
		['Look Up Numbers', 'lookupMany', 'phoneNumbers', 'phone'],
		['a nested field', 'lookup', 'phoneNumber', 'contact.phone'],
		['Validate Offline', 'validate', 'phoneNumber', 'phone'],
	])('%s: gives each item what n8n’s own evaluation gives it', async (_name, operation, parameter, field) => {
		const sandbox = await sandboxes.start();
		const nest = (json: IDataObject) => (field === 'contact.phone' ? { contact: json } : json);
		const items = ITEMS.map(nest);
		const run = async (expression: string) =>
			await runNode({
				items,
				parameters: { operation, [parameter]: expression, options: { defaultCountry: 'GB', skipInvalid: false } },
				credential: credentialFor(sandbox),
				onError: 'continueRegularOutput',
			});
		const path = field.split('.');
		const direct = await run(`={{ $json.${path.join('.')} }}`);
		const byN8n = await run(`={{ $json${path.map((key) => `["${key}"]`).join('')} }}`);
		expect(direct.error).toBeUndefined();
		expect(byN8n.error).toBeUndefined();
		expect(byItem(direct.outputs)).toHaveLength(ITEMS.length);
		expect(byItem(direct.outputs)).toEqual(byItem(byN8n.outputs));
	});
});
