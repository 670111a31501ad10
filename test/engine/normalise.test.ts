import fc from 'fast-check';

import {
	MAX_TEXT_LENGTH,
	normaliseNumber,
	type NormalisedNumber,
} from '../../engine/numbers/normalise';

const E164_DIGITS = /^[1-9]\d{0,14}$/;

function digitsOf(result: NormalisedNumber): string {
	if (!result.ok) throw new Error(`expected ok, got ${result.reason}: ${result.message}`);
	return result.digits;
}

describe('normaliseNumber: readings that must just work', () => {
	it.each<[unknown, string | undefined, string, string]>([
		['+44 7788 450450', undefined, '447788450450', 'GB'],
		['+44 7788 450450', 'US', '447788450450', 'GB'],
		['0044 7788 450450', 'GB', '447788450450', 'GB'],
		// No default country: a leading 00 is read as the international prefix.
		['0044 7788 450450', undefined, '447788450450', 'GB'],
		// US default: libphonenumber does not know 00 for the US, the international reading does.
		['0044 7788 450450', 'US', '447788450450', 'GB'],
		['011 44 7788 450450', 'US', '447788450450', 'GB'],
		['07788 450450', 'GB', '447788450450', 'GB'],
		['07788-450-450', 'gb', '447788450450', 'GB'],
		['(704) 451-8989', 'US', '17044518989', 'US'],
		['704.451.8989', 'US', '17044518989', 'US'],
		['+1 (704) 451-8989', undefined, '17044518989', 'US'],
		// The API's own form, E.164 without '+', with and without a default country.
		['447788450450', undefined, '447788450450', 'GB'],
		['447788450450', 'GB', '447788450450', 'GB'],
		['447788450450', 'US', '447788450450', 'GB'],
		['17044518989', undefined, '17044518989', 'US'],
		['17044518989', 'GB', '17044518989', 'US'],
		['61449100123', undefined, '61449100123', 'AU'],
		['0449100123', 'AU', '61449100123', 'AU'],
		// The UK habit of a bracketed trunk 0 after the country code.
		['+44 (0) 7788 450450', undefined, '447788450450', 'GB'],
		// Surrounding whitespace, tabs, no-break spaces, slashes and typographic dashes.
		['  \t+44 7788 450450\n', undefined, '447788450450', 'GB'],
		['+44\u00a07788\u00a0450450', undefined, '447788450450', 'GB'],
		['07788 / 450450', 'GB', '447788450450', 'GB'],
		['07788\u2013450450', 'GB', '447788450450', 'GB'],
	])('%j with %s → %s', (input, country, digits, iso) => {
		const result = normaliseNumber(input, country);
		expect(result).toEqual({ ok: true, digits, e164: `+${digits}`, country: iso, valid: true });
	});

	it('reads JS numbers (spreadsheet cells) and bigints', () => {
		expect(normaliseNumber(447788450450)).toMatchObject({
			ok: true,
			digits: '447788450450',
			valid: true,
		});
		expect(normaliseNumber(17044518989, 'GB')).toMatchObject({
			ok: true,
			digits: '17044518989',
			valid: true,
		});
		// A national number stored as a number lost its leading 0; the default country restores it.
		expect(normaliseNumber(7788450450, 'GB')).toMatchObject({
			ok: true,
			digits: '447788450450',
			valid: true,
		});
		expect(normaliseNumber(BigInt('447788450450'))).toMatchObject({
			ok: true,
			digits: '447788450450',
			valid: true,
		});
	});

	it('reads a non-geographic number without a country', () => {
		expect(normaliseNumber('+800 1234 5678')).toEqual({
			ok: true,
			digits: '80012345678',
			e164: '+80012345678',
			country: null,
			valid: true,
		});
	});
});

describe('normaliseNumber: not valid, but digits the caller may choose to send', () => {
	it.each<[unknown, string | undefined, string]>([
		['12345', undefined, '12345'],
		['+4412', undefined, '4412'],
		['+44 778845045', undefined, '44778845045'],
		// A country code libphonenumber does not know is kept as given.
		['+999 123456', undefined, '999123456'],
		['999123456', undefined, '999123456'],
		['07788 45045', 'GB', '44778845045'],
	])('%j with %s → %s, valid false', (input, country, digits) => {
		const result = normaliseNumber(input, country);
		expect(result).toMatchObject({ ok: true, digits, e164: `+${digits}`, valid: false });
	});
});

describe('normaliseNumber: refused, with a message that says what to fix', () => {
	it.each<[string, unknown, string | undefined, string, RegExp]>([
		['letters', 'abc', undefined, 'not_a_number', /letters/],
		['vanity letters', '1-800-FLOWERS', 'US', 'not_a_number', /letters/],
		['an extension', '+44 7788 450450 ext. 12', undefined, 'not_a_number', /letters/],
		['an x extension', '+44 7788 450450 x12', undefined, 'not_a_number', /letters/],
		['empty text', '', undefined, 'empty', /empty/],
		['blank text', '   ', undefined, 'empty', /empty/],
		['null', null, undefined, 'empty', /null/],
		['undefined', undefined, undefined, 'empty', /undefined/],
		['an object', {}, undefined, 'wrong_type', /object/],
		['an array', [], undefined, 'wrong_type', /array/],
		['an array of one number', ['447788450450'], undefined, 'wrong_type', /array/],
		['a boolean', true, undefined, 'wrong_type', /boolean/],
		['a function', () => 1, undefined, 'wrong_type', /function/],
		['a symbol', Symbol('x'), undefined, 'wrong_type', /symbol/],
		['an emoji', '😀', undefined, 'not_a_number', /😀/],
		['a digit and an emoji', '44778845045😀', undefined, 'not_a_number', /😀/],
		['a list', '447788450450,447788450451', undefined, 'not_a_number', /list/],
		['a ; list', '447788450450;447788450451', undefined, 'not_a_number', /list/],
		['a query string', '44 7788 450450&user=x', undefined, 'not_a_number', /"&"/],
		['URL encoding', '%2B447788450450', undefined, 'not_a_number', /"%"/],
		['an inner new line', '4477884\n50450', undefined, 'not_a_number', /U\+000A/],
		['a NUL', '44778\u000084504', undefined, 'not_a_number', /U\+0000/],
		['a + in the middle', '44+7788450450', undefined, 'not_a_number', /"\+"/],
		['two +', '++447788450450', undefined, 'not_a_number', /"\+"/],
		['full-width digits', '４４７７８８４５０４５０', undefined, 'not_a_number', /４/],
		['no digits', '+ ( ) -', undefined, 'not_a_number', /no digits/],
		['+ then 0', '+0447788450450', undefined, 'not_a_number', /never starts with 0/],
		['national without country', '07788 450450', undefined, 'needs_country', /Default Country/],
		['nothing left after the prefix', '0', 'GB', 'not_a_number', /GB/],
		['too many digits', '4477884504504477', undefined, 'too_long', /16 digits/],
		['too many digits after +', '+4477884504504477', undefined, 'too_long', /16 digits/],
		['a long digit string', '1'.repeat(40), undefined, 'too_long', /40 digits/],
		['10 KB of text', '4'.repeat(10_000), undefined, 'too_long', /10000 characters/],
		['an unknown default country', '447788450450', 'XX', 'unknown_country', /"XX"/],
		['a default country name', '07788 450450', 'United Kingdom', 'unknown_country', /UNITED KING/],
		['NaN', Number.NaN, undefined, 'not_a_number', /NaN/],
		['Infinity', Number.POSITIVE_INFINITY, undefined, 'not_a_number', /Infinity/],
		['a decimal', 447788450450.5, undefined, 'not_a_number', /whole number/],
		['a negative number', -447788450450, undefined, 'not_a_number', /positive/],
		['zero', 0, undefined, 'not_a_number', /positive/],
		['a huge number', 1e20, undefined, 'too_long', /more than 15 digits/],
		['a negative bigint', BigInt(-5), undefined, 'not_a_number', /positive/],
		['a huge bigint', BigInt('12345678901234567890'), undefined, 'too_long', /20 digits/],
	])('%s', (_name, input, country, reason, message) => {
		const result = normaliseNumber(input, country);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.reason).toBe(reason);
		expect(result.message).toMatch(message);
	});

	it('refuses over-long text before reading it', () => {
		const text = ' '.repeat(MAX_TEXT_LENGTH) + '447788450450';
		expect(normaliseNumber(text)).toMatchObject({ ok: false, reason: 'too_long' });
		expect(normaliseNumber('+44 7788 450450'.padEnd(MAX_TEXT_LENGTH, ' '))).toMatchObject({
			ok: true,
		});
	});

	it('treats an empty default country as none', () => {
		expect(digitsOf(normaliseNumber('447788450450', ''))).toBe('447788450450');
		expect(normaliseNumber('07788 450450', '  ')).toMatchObject({ reason: 'needs_country' });
	});
});

describe('normaliseNumber: the digits are safe to send, whatever the input', () => {
	const countries = fc.constantFrom(undefined, '', 'GB', 'US', 'AU', 'DE', 'IN', 'xx');
	// Inputs close to phone numbers exercise libphonenumber; the rest, the guards.
	const phoneish = fc
		.array(fc.constantFrom(...'+0123456789 ()-./,;&%\n\tx#*'.split('')), { maxLength: 30 })
		.map((chars) => chars.join(''));
	const anything = fc.oneof(
		fc.string(),
		fc.string({ unit: 'grapheme' }),
		fc.string({ unit: 'binary' }),
		phoneish,
		fc.integer(),
		fc.double(),
		fc.bigInt(),
		fc.anything(),
	);

	it('never throws, and ok results always hold 1–15 digits, no leading 0', () => {
		fc.assert(
			fc.property(anything, countries, (input, country) => {
				const result = normaliseNumber(input, country);
				if (result.ok) {
					expect(result.digits).toMatch(E164_DIGITS);
					expect(result.e164).toBe(`+${result.digits}`);
				} else {
					expect(result.message.length).toBeGreaterThan(10);
				}
			}),
			{ numRuns: 3000 },
		);
	});

	it('never invents digits: the output is a country code (0–3 digits) + the end of the input digits', () => {
		fc.assert(
			fc.property(phoneish, countries, (input, country) => {
				const result = normaliseNumber(input, country);
				if (!result.ok) return;
				// libphonenumber may add a country code and drop a national or international prefix;
				// everything after the country code is the input's own last digits.
				const inputDigits = input.replace(/\D/g, '');
				const fromInput = [0, 1, 2, 3].some((cc) => {
					const rest = result.digits.slice(cc);
					return rest !== '' && inputDigits.endsWith(rest);
				});
				expect(fromInput).toBe(true);
			}),
			{ numRuns: 3000 },
		);
	});

	it('never accepts text with a list separator or a query-string character', () => {
		fc.assert(
			fc.property(
				fc.stringMatching(/^[0-9 ]{1,20}$/),
				fc.constantFrom(',', ';', '&', '%', '=', '\n', '\r'),
				fc.stringMatching(/^[0-9 ]{1,20}$/),
				(before, separator, after) => {
					const text = `${before}${separator}${after}`;
					// Separators at the very ends are trimmed away (new lines) or still refused.
					if (text.trim() !== text) return;
					expect(normaliseNumber(text, 'GB').ok).toBe(false);
				},
			),
		);
	});
});
