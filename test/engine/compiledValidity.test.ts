import {
	parsePhoneNumberFromString as parseWithMetadata,
	type MetadataJson,
} from 'libphonenumber-js/core';
import {
	getCountries,
	getCountryCallingCode,
	parsePhoneNumberFromString,
} from 'libphonenumber-js/max';
import maxMetadata from 'libphonenumber-js/max/metadata';
import examples from 'libphonenumber-js/mobile/examples';

import { CompiledValidity } from '../../engine/numbers/compiledValidity';
import {
	normaliseNumber,
	readPhoneNumber,
} from '../../engine/numbers/normalise';

/** What libphonenumber itself says of +digits: the reading compiledValidity must agree with. */
function libphonenumber(digits: string): {
	valid: boolean;
	sameDigits: boolean;
	country: string | undefined;
} {
	const phone = parsePhoneNumberFromString('+' + digits, { extract: false });
	if (phone === undefined) return { valid: false, sameDigits: false, country: undefined };
	return {
		valid: phone.isValid(),
		sameDigits: phone.number === '+' + digits,
		country: phone.country,
	};
}

/** mulberry32: the corpus is the same on every run, so a failure can be replayed. */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * E.164 digits for every country: its mobile example with the tail redrawn after a random cut
 * (mostly valid numbers, of every type near the example's range), and random national numbers of
 * every length from 1 to 15 digits in all (mostly invalid, fixed lines and odd ranges).
 */
function corpus(perCountry: number): string[] {
	const next = random(20261128);
	const digit = () => String(Math.floor(next() * 10));
	const numbers: string[] = [];
	for (const country of getCountries()) {
		const code = getCountryCallingCode(country);
		const example = (examples as Record<string, string | undefined>)[country] ?? '';
		for (let i = 0; i < perCountry; i++) {
			let national: string;
			if (example !== '' && i % 3 !== 0) {
				national = example.slice(0, Math.floor(next() * (example.length + 1)));
				while (national.length < example.length) national += digit();
			} else {
				const length = 1 + Math.floor(next() * (15 - code.length));
				national = '';
				while (national.length < length) national += digit();
			}
			const digits = code + national;
			if (/^[1-9]\d{0,14}$/.test(digits)) numbers.push(digits);
		}
	}
	return numbers;
}

describe('CompiledValidity: the same answers as libphonenumber', () => {
	const compiled = new CompiledValidity();
	const numbers = corpus(600);

	it('every number it calls valid, libphonenumber calls valid, in the same country, with the same digits', () => {
		const disagreements: string[] = [];
		for (const digits of numbers) {
			const plan = compiled.readValid(digits);
			if (plan === undefined) continue;
			const lib = libphonenumber(digits);
			if (!lib.valid || !lib.sameDigits || lib.country !== plan.country) {
				disagreements.push(
					`+${digits}: compiled ${plan.country}, libphonenumber ${JSON.stringify(lib)}`,
				);
			}
		}
		expect(disagreements.slice(0, 10)).toEqual([]);
	});

	it('answers for almost every number libphonenumber calls valid (else it would not pay)', () => {
		let valid = 0;
		let answered = 0;
		const byCountry = new Map<string, number>();
		for (const digits of numbers) {
			const lib = libphonenumber(digits);
			if (!lib.valid || !lib.sameDigits) continue;
			valid++;
			if (compiled.readValid(digits) !== undefined) answered++;
			else byCountry.set(lib.country ?? '?', (byCountry.get(lib.country ?? '?') ?? 0) + 1);
		}
		// The corpus holds tens of thousands of valid numbers from over 200 countries.
		expect(valid).toBeGreaterThan(50_000);
		// The ones left to libphonenumber: national prefixes it might strip (Argentina's matches
		// every number), and shared calling codes a leading-digit rule cannot place.
		expect(answered / valid).toBeGreaterThan(0.95);
		expect([...byCountry.keys()]).toContain('AR');
	});

	it.each([
		['447788450450', 'GB'],
		['447797123456', 'JE'],
		['447624369230', 'IM'],
		['12684641234', 'AG'],
		['17044518989', 'US'],
		['14165550123', 'CA'],
		['393123456789', 'IT'],
		['61449100123', 'AU'],
		['4915123456789', 'DE'],
	])('+%s is valid in %s', (digits, country) => {
		expect(libphonenumber(digits)).toEqual({ valid: true, sameDigits: true, country });
		expect(compiled.readValid(digits)?.country).toBe(country);
	});

	it.each([
		['447788', 'too short for GB'],
		['4407788450450', 'a national prefix libphonenumber strips'],
		['5491123456789', 'Argentina: its national prefix pattern matches every number'],
		['80012345678', 'a non-geographic calling code'],
		['999123456', 'no such calling code'],
	])('+%s is left to libphonenumber (%s)', (digits) => {
		expect(compiled.readValid(digits)).toBeUndefined();
	});

	it('follows the metadata where a type pattern and the number pattern or lengths disagree', () => {
		// Today's metadata never has a type match that the number pattern or the type's lengths
		// rule out, so these two checks of getNumberType are tried on metadata edited to have one.
		const edited = JSON.parse(JSON.stringify(maxMetadata)) as MetadataJson & {
			countries: { GB: unknown[] };
		};
		const gb = edited.countries.GB;
		gb[2] = `(?!2079)(?:${String(gb[2])})`; // the number pattern: no 2079… numbers
		const types = gb[11] as Array<[string, number[]?] | undefined>;
		types[1] = [String(types[1]?.[0]), [11]]; // mobiles: 11 digits only
		const editedCompiled = new CompiledValidity(edited);
		for (const digits of ['442079460000', '447712000123', '442081234567']) {
			const phone = parseWithMetadata('+' + digits, { extract: false }, edited);
			const libValid = phone?.isValid() === true;
			expect([digits, editedCompiled.readValid(digits)?.country]).toEqual([
				digits,
				libValid ? phone?.country : undefined,
			]);
		}
		// Each edit bites: libphonenumber now refuses the 2079 landline and the 10-digit mobile.
		expect(parsePhoneNumberFromString('+442079460000')?.isValid()).toBe(true);
		expect(parsePhoneNumberFromString('+447712000123')?.isValid()).toBe(true);
		expect(parseWithMetadata('+442079460000', edited)?.isValid()).toBe(false);
		expect(parseWithMetadata('+447712000123', edited)?.isValid()).toBe(false);
		expect(parseWithMetadata('+442081234567', edited)?.isValid()).toBe(true);
	});

	it('a libphonenumber whose metadata reads differently is asked about every number', () => {
		const broken = new CompiledValidity(JSON.parse(JSON.stringify(examples)) as unknown);
		expect(() => broken.readValid('447788450450')).not.toThrow();
		expect(broken.readValid('447788450450')).toBeUndefined();
	});
});

describe('normaliseNumber with CompiledValidity: the result of the full libphonenumber reading', () => {
	it('equals readPhoneNumber (which always asks libphonenumber) on the whole corpus and in every form', () => {
		const differences: string[] = [];
		for (const digits of corpus(60)) {
			for (const [input, country] of [
				['+' + digits, undefined],
				[digits, undefined],
				['00' + digits, undefined],
				[digits, 'GB'],
				[digits, 'US'],
				[`+${digits.slice(0, 2)} ${digits.slice(2)}`, 'DE'],
			] as const) {
				const fast = normaliseNumber(input, country);
				const full = readPhoneNumber(input, country).result;
				if (JSON.stringify(fast) !== JSON.stringify(full)) {
					differences.push(
						`${input} (${country}): ${JSON.stringify(fast)} vs ${JSON.stringify(full)}`,
					);
				}
			}
		}
		expect(differences.slice(0, 10)).toEqual([]);
	});
});
