/**
 * Writes examples/crm-numbers.csv (a messy CRM export, 200 rows) and e2e/crm-expected.json (what
 * the end-to-end test expects the CRM example to make of it). Deterministic: run it again and
 * both files come out the same. Run: `npx tsx e2e/gen-crm-numbers.ts`.
 *
 * The expectation is worked out here from first principles, not by running the node:
 * - a number is read as libphonenumber-js/max reads it with Default Country GB (the example's
 *   setting); text with letters or other characters no phone number has is not a number;
 * - what cannot be a valid number is answered locally → Invalid, no credit;
 * - the rest is looked up, each distinct number once, in order of first appearance, until the
 *   example's Max Credits (150, one credit a lookup) is used up → the rest: Not Looked Up;
 * - the sandbox of the test (e2e/sandbox.ts: errorShare 0) answers its documented test numbers
 *   (sandbox/testNumbers.ts) as documented, any other mobile number with errorcode 0 (Valid), any
 *   other non-mobile number with errorcode 38 (Undetermined), NANP numbers in the NANP shape
 *   (validnumber undetermined → Undetermined).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

const ROOT = join(__dirname, '..');
export const MAX_CREDITS = 150;

type Route = 'Valid' | 'Invalid' | 'Undetermined' | 'Not Looked Up';

/** The sandbox's fixed answers that matter here (sandbox/testNumbers.ts, errorCodes.ts). */
const TEST_NUMBER_ROUTES: Record<string, Route> = {
	'447400900000': 'Valid', // 0
	'447400900001': 'Invalid', // 1 Unknown Subscriber
	'447400900005': 'Invalid', // 5 Unidentified Subscriber
	'447400900006': 'Valid', // 6 Absent Subscriber (SM): validnumber true
	'447400900013': 'Valid', // 13 Call Barred: validnumber true
	'447400900031': 'Valid', // 31 Busy for MT SMS: validnumber true
	'447400900034': 'Undetermined', // 34 Partner System Failure
	'447400900036': 'Undetermined', // 36 Lookup Failure
	'447400900038': 'Undetermined', // 38 Rejected
	'447400900100': 'Valid', // ported
	'447400900111': 'Valid', // 11, not_sms_capable
	'442079460000': 'Undetermined', // London landline: 38
	'12015550100': 'Undetermined', // NANP mobile
	'12015550101': 'Undetermined', // NANP landline
	'18005550100': 'Undetermined', // NANP toll-free
};

// A small deterministic generator (mulberry32), so the file is the same on every run.
let state = 0x5eed1234;
function random(): number {
	state = (state + 0x6d2b79f5) | 0;
	let t = state;
	t = Math.imul(t ^ (t >>> 15), t | 1);
	t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
	return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');

const FIRST = [
	'Olivia',
	'George',
	'Amelia',
	'Harry',
	'Isla',
	'Noah',
	'Ava',
	'Jack',
	'Mia',
	'Leo',
	'Freya',
	'Oscar',
	'Lily',
	'Arthur',
	'Grace',
	'Theo',
	'Sofia',
	'Muhammad',
	'Ella',
	'Finley',
	'Priya',
	'Lukas',
	'Chloé',
	'Aoife',
	'Mateo',
];
const LAST = [
	'Smith',
	'Jones',
	'Taylor',
	'Brown',
	'Williams',
	'Wilson',
	'Johnson',
	'Davies',
	'Patel',
	'Wright',
	'Walker',
	'Evans',
	'Murphy',
	'Khan',
	'Roberts',
	"O'Brien",
	'Müller',
	'Dubois',
	'García',
	'Rossi',
];
const COMPANY = [
	'Acme Ltd',
	'Brightside Energy',
	'Northwind Traders',
	'Kestrel Logistics',
	'Harbour Dental',
	'Pennine Builders',
	'Thames Valley Motors',
	'',
	'Blue Finch Studio',
	'Greenleaf Foods',
];

/** Ways people write a UK mobile in a CRM. `n` is the national number without the 0 (7xxx xxxxxx). */
const UK_FORMATS: Array<(n: string) => string> = [
	(n) => `+44 ${n.slice(0, 4)} ${n.slice(4)}`,
	(n) => `0${n.slice(0, 4)} ${n.slice(4)}`,
	(n) => `0${n}`,
	(n) => `0044 ${n.slice(0, 4)} ${n.slice(4)}`,
	(n) => `44${n}`,
	(n) => `+44${n}`,
	(n) => `0${n.slice(0, 4)}-${n.slice(4, 7)}-${n.slice(7)}`,
	(n) => `(0${n.slice(0, 4)}) ${n.slice(4)}`,
	(n) => `+44 (0)${n.slice(0, 4)} ${n.slice(4)}`.replace('(0)', ''),
	(n) => `0${n.slice(0, 4)}.${n.slice(4, 7)}.${n.slice(7)}`,
];

interface Row {
	phone: string;
}

/** An ordinary UK mobile outside the sandbox's test block, valid for libphonenumber. */
function ukMobile(): string {
	for (;;) {
		const n = `7${pick(['4', '5', '7', '8', '9'])}${digits(8)}`;
		if (n.startsWith('7400900')) continue;
		const parsed = parsePhoneNumberFromString(`+44${n}`);
		if (parsed?.isValid() && parsed.getType() === 'MOBILE') return n;
	}
}

const INTERNATIONAL = [
	'+49 151 23456789',
	'+33 6 12 34 56 78',
	'+353 87 123 4567',
	'+61 412 345 678',
	'+34 612 345 678',
	'+31 6 12345678',
	'+39 312 345 6789',
	'+27 82 123 4567',
	'+91 98765 43210',
	'+55 11 91234 5678',
	'0049 1523 4567890',
	'+49 (0)170 1234567'.replace('(0)', ''),
];

const GARBAGE = [
	'n/a',
	'12',
	'',
	'unknown',
	'TBC',
	'0',
	'+44',
	'07400 9000',
	'call reception',
	'07788 450450 ext. 12',
	'-',
	'07788 450450 / 07788 450451',
	'99999999999999999999',
	'+44 7788 450450;+44 7788 450451',
];

/** Text a person put in, in the order the CSV lists it. */
function phones(): string[] {
	const head: string[] = [
		// The number of DESIGN §2, in every way people write it: one lookup, five items.
		'+44 7788 450450',
		'0044 7788 450450',
		'07788 450450',
		'447788450450',
		// The sandbox's documented answers, written messily.
		'+44 7400 900000',
		'07400 900001',
		'0044 7400 900005',
		'447400900006',
		'07400-900-013',
		'+44 7400 900031',
		'07400 900034',
		'+447400900036',
		'07400.900.038',
		'+44 7400 900100',
		'07400 900111',
		'020 7946 0000',
		'+1 (201) 555-0100',
		'001 201 555 0101',
		'+1 800 555 0100',
		// US numbers: with the country code; and without it, which a GB list reads as a UK
		// 070 personal number (a landline-like number: errorcode 38, Undetermined).
		'+1 (704) 451-8989',
		'(704) 451-8989',
		...INTERNATIONAL,
	];
	const middle: string[] = [];
	for (let i = 0; i < 120; i++) {
		middle.push(pick(UK_FORMATS)(ukMobile()));
	}
	// Garbage and repeats spread through the middle.
	for (const g of GARBAGE) middle.splice(Math.floor(random() * middle.length), 0, g);
	const repeats = [
		'07400 900001',
		'+44 7400 900034',
		'07400 900000',
		'447400900100',
		'+44 (0) 7788 450450'.replace('(0) ', ''),
	];
	for (const r of repeats) middle.splice(Math.floor(random() * middle.length), 0, r);
	// The tail: distinct UK mobiles that nothing else repeats, so the cap falls among them.
	const tail: string[] = [];
	while (head.length + middle.length + tail.length < 200) tail.push(pick(UK_FORMATS)(ukMobile()));
	return [...head, ...middle, ...tail];
}

const LETTERS_OR_ODD = /[^0-9+\s().\-/]/u;

/** How the example reads one cell: E.164 digits when it can be a valid number, else null. */
function read(text: string): { digits: string; mobile: boolean } | null {
	const trimmed = text.trim();
	if (trimmed === '' || LETTERS_OR_ODD.test(trimmed)) return null;
	if (trimmed.indexOf('+') > 0) return null;
	const parsed = parsePhoneNumberFromString(trimmed, 'GB');
	if (!parsed?.isValid()) return null;
	const type = parsed.getType();
	return {
		digits: parsed.number.slice(1),
		mobile: type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE',
	};
}

function csvCell(value: string): string {
	return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function main(): void {
	const list = phones();
	const rows: Array<Row & { id: number; name: string; company: string }> = list.map((phone, i) => ({
		id: 1001 + i,
		name: `${pick(FIRST)} ${pick(LAST)}`,
		company: pick(COMPANY),
		phone,
	}));

	const lookedUp = new Map<string, Route>();
	const order: string[] = [];
	const perItem: Array<{ input: string; number: string | null; route: Route }> = [];
	for (const { phone } of rows) {
		const reading = read(phone);
		if (!reading) {
			perItem.push({ input: phone, number: null, route: 'Invalid' });
			continue;
		}
		if (!lookedUp.has(reading.digits)) {
			order.push(reading.digits);
			const withinCap = order.length <= MAX_CREDITS;
			let route: Route;
			if (!withinCap) route = 'Not Looked Up';
			else if (reading.digits in TEST_NUMBER_ROUTES) route = TEST_NUMBER_ROUTES[reading.digits];
			else if (reading.digits.startsWith('1')) route = 'Undetermined';
			else route = reading.mobile ? 'Valid' : 'Undetermined';
			lookedUp.set(reading.digits, route);
		}
		perItem.push({
			input: phone,
			number: reading.digits,
			route: lookedUp.get(reading.digits) as Route,
		});
	}
	const counts: Record<Route, number> = {
		Valid: 0,
		Invalid: 0,
		Undetermined: 0,
		'Not Looked Up': 0,
	};
	for (const item of perItem) counts[item.route]++;
	const credits = Math.min(order.length, MAX_CREDITS);

	const csv = [
		'id,name,company,phone',
		...rows.map((r) => [String(r.id), r.name, r.company, r.phone].map(csvCell).join(',')),
	];
	writeFileSync(join(ROOT, 'examples', 'crm-numbers.csv'), csv.join('\n') + '\n');
	const expected = {
		comment:
			'Written by e2e/gen-crm-numbers.ts: what examples/crm-list-cleaning.json makes of examples/crm-numbers.csv against the e2e sandbox.',
		rows: rows.length,
		distinctValidNumbers: order.length,
		maxCredits: MAX_CREDITS,
		credits,
		counts,
		items: perItem,
	};
	writeFileSync(
		join(ROOT, 'e2e', 'crm-expected.json'),
		JSON.stringify(expected, null, '\t') + '\n',
	);
	console.log(JSON.stringify({ rows: rows.length, distinct: order.length, credits, counts }));
}

main();
