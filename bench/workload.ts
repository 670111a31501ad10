import type { IDataObject } from 'n8n-workflow';

/**
 * `count` distinct, valid UK mobile numbers (+44 7712 000000 upwards), as a CRM export holds
 * them: half written `+44 7712 000123`, half in the API's own form `447712000123`.
 */
export function uniqueNumbers(count: number, offset = 0): IDataObject[] {
	if (count + offset > 1_000_000) throw new RangeError('at most 1,000,000 numbers');
	const items: IDataObject[] = new Array<IDataObject>(count);
	for (let i = 0; i < count; i++) {
		const subscriber = String(offset + i).padStart(6, '0');
		items[i] = { phone: i % 2 === 0 ? `+44 7712 ${subscriber}` : `447712${subscriber}` };
	}
	return items;
}

/**
 * A list with the usual dirt, for the credit check: `count` items of which about 10% repeat a
 * number already in the list (in another format) and about 5% cannot be numbers. Returns the
 * items and how many distinct valid numbers they hold.
 */
export function dirtyNumbers(count: number): { items: IDataObject[]; uniqueValid: number } {
	const items: IDataObject[] = [];
	const garbage = ['n/a', '', '12', 'call me', '+44 7712 00012O'];
	let next = 0;
	for (let i = 0; i < count; i++) {
		if (i % 20 === 19) {
			items.push({ phone: garbage[i % garbage.length] });
		} else if (i % 10 === 9 && next > 0) {
			const again = String((i * 7919) % next).padStart(6, '0');
			items.push({ phone: `0044 7712 ${again}` });
		} else {
			const subscriber = String(next++).padStart(6, '0');
			items.push({ phone: i % 2 === 0 ? `+44 7712 ${subscriber}` : `447712${subscriber}` });
		}
	}
	return { items, uniqueValid: next };
}
