import {
	isSupportedCountry,
	parsePhoneNumberFromString,
	type CountryCode,
	type PhoneNumber,
} from 'libphonenumber-js/max';

import { CompiledValidity } from './compiledValidity';

/**
 * Turns whatever an item holds into the digits the service expects (E.164 without '+'), or a
 * clear reason why it cannot (DESIGN §2). What it guarantees, because the digits go straight into
 * a request: the output is digits only, /^[1-9]\d{0,14}$/, built from the digits of the input; raw
 * text never passes through, so "447788450450,447788450451" or "…&user=x" cannot smuggle a second
 * number or a parameter in. Text is checked character by character before libphonenumber sees
 * it, because libphonenumber extracts a number from surrounding text and reads vanity letters.
 */

export type NormaliseFailureReason =
	/** null, undefined, '' or only spaces. */
	| 'empty'
	/** A boolean, object, array, function…: not something a phone number is written in. */
	| 'wrong_type'
	/** Text with characters a phone number does not have, or no usable digits. */
	| 'not_a_number'
	/** More digits than any phone number has (E.164 allows 15), or an over-long text. */
	| 'too_long'
	/** National format (leading 0) with no Default Country to read it by. */
	| 'needs_country'
	/** The Default Country is not a country libphonenumber knows. */
	| 'unknown_country';

export type NormalisedNumber =
	| {
			ok: true;
			/** E.164 without '+': what is sent to the service. 1–15 digits, never a leading 0. */
			digits: string;
			/** With '+', for display. */
			e164: string;
			/** ISO 3166 alpha-2 of the number, when libphonenumber can tell. */
			country: string | null;
			/** libphonenumber's isValid of the reading; the caller decides whether to send invalid ones. */
			valid: boolean;
	  }
	| { ok: false; reason: NormaliseFailureReason; message: string };

/** The result plus libphonenumber's reading, for callers that format it (offline validation). */
export interface PhoneNumberReading {
	result: NormalisedNumber;
	/**
	 * null when the digits were kept as given without a libphonenumber reading, or when the caller
	 * did not ask for one and a valid number was told without it.
	 */
	phone: PhoneNumber | null;
}

/**
 * Whether the caller formats libphonenumber's reading ('reading') or needs only the result
 * ('result'): then valid E.164 digits are told by compiledValidity, the same answer at a fraction
 * of the cost.
 */
type Wanted = 'reading' | 'result';

const compiledValidity = new CompiledValidity();

/** Longer text is refused before any parsing: phone numbers with separators fit easily. */
export const MAX_TEXT_LENGTH = 64;

/** The most digits a dialled form can have: an international prefix ('011') + 15. */
const MAX_TEXT_DIGITS = 18;

/** The largest 15-digit number; JS numbers and bigints above it cannot be phone numbers. */
const MAX_E164_NUMBER = 999_999_999_999_999;

const E164_DIGITS = /^[1-9]\d{0,14}$/;

const LETTER = /\p{L}/u;

const NOT_A_DIGIT = /\D/g;

function failure(reason: NormaliseFailureReason, message: string): PhoneNumberReading {
	return { result: { ok: false, reason, message }, phone: null };
}

/**
 * Separators people put in phone numbers: spaces (incl. no-break), tab, dot, dash, parentheses,
 * slash, and the Unicode dashes that word processors substitute for '-'.
 */
function isSeparator(c: number): boolean {
	return (
		c === 0x20 ||
		c === 0x2d ||
		c === 0x2e ||
		c === 0x28 ||
		c === 0x29 ||
		c === 0x2f ||
		c === 0x09 ||
		c === 0xa0 ||
		c === 0x202f ||
		(c >= 0x2010 && c <= 0x2015)
	);
}

/** Why a character rules the text out, in words that say what to change. */
function badCharacter(text: string, index: number): PhoneNumberReading {
	const codePoint = text.codePointAt(index) ?? 0;
	const char = String.fromCodePoint(codePoint);
	if (char === ',' || char === ';') {
		return failure(
			'not_a_number',
			`The value contains "${char}", so it looks like a list of numbers; give one number per value, or use the Look Up Numbers (batch) operation.`,
		);
	}
	if (char === '+') {
		return failure(
			'not_a_number',
			'The value has a "+" that is not at the start; "+" may only come first, before the country code.',
		);
	}
	if (LETTER.test(char)) {
		return failure(
			'not_a_number',
			`The value contains letters ("${char}"); write the number with digits only. Letter (vanity) numbers and extensions are not read.`,
		);
	}
	if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f)) {
		const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
		return failure(
			'not_a_number',
			`The value contains a line break or control character (U+${hex}); give one number per value.`,
		);
	}
	return failure(
		'not_a_number',
		`The value contains "${char}", which is not part of a phone number; use digits, optionally with a leading "+" and spaces, dots, dashes, slashes or parentheses.`,
	);
}

function resolveCountry(defaultCountry: unknown): CountryCode | undefined | PhoneNumberReading {
	if (defaultCountry === undefined || defaultCountry === null) return undefined;
	const code = String(defaultCountry).trim().toUpperCase();
	if (code === '') return undefined;
	if (isSupportedCountry(code)) return code;
	return failure(
		'unknown_country',
		`The Default Country "${code.slice(0, 12)}" is not a two-letter country code libphonenumber knows; use an ISO 3166 code such as GB, US or AU.`,
	);
}

function fromPhone(phone: PhoneNumber, valid: boolean): PhoneNumberReading {
	return {
		result: {
			ok: true,
			digits: phone.number.slice(1),
			e164: phone.number,
			country: phone.country ?? null,
			valid,
		},
		phone,
	};
}

/** libphonenumber allows national numbers up to 17 digits; only E.164-sized readings are used. */
function fitsE164(phone: PhoneNumber | undefined): phone is PhoneNumber {
	return phone !== undefined && E164_DIGITS.test(phone.number.slice(1));
}

function parseE164(digits: string): PhoneNumber | undefined {
	return parsePhoneNumberFromString('+' + digits, { extract: false });
}

/**
 * Valid E.164 digits told without libphonenumber's reading, for a caller that wants only the
 * result; undefined when libphonenumber must read them (and always for a caller that formats).
 */
function compiledValidE164(digits: string, wanted: Wanted): PhoneNumberReading | undefined {
	if (wanted === 'reading' || !E164_DIGITS.test(digits)) return undefined;
	const plan = compiledValidity.readValid(digits);
	if (plan === undefined) return undefined;
	return {
		result: { ok: true, digits, e164: '+' + digits, country: plan.country, valid: true },
		phone: null,
	};
}

/** Digits kept as the international number they claim to be, when libphonenumber has no reading. */
function keepDigits(digits: string): PhoneNumberReading {
	return {
		result: { ok: true, digits, e164: '+' + digits, country: null, valid: false },
		phone: null,
	};
}

function tooLong(count: number): PhoneNumberReading {
	return failure(
		'too_long',
		`The value has ${count} digits; a phone number has at most 15, country code included.`,
	);
}

/** '+' then digits: the country code is given, so no default country is needed. */
function readInternational(digits: string, wanted: Wanted): PhoneNumberReading {
	const compiled = compiledValidE164(digits, wanted);
	if (compiled !== undefined) return compiled;
	const phone = parseE164(digits);
	if (fitsE164(phone)) return fromPhone(phone, phone.isValid());
	if (E164_DIGITS.test(digits)) return keepDigits(digits);
	if (digits.length > 15) return tooLong(digits.length);
	return failure(
		'not_a_number',
		'After "+" comes the country code, which never starts with 0; remove the 0 or the "+".',
	);
}

/**
 * Digits without '+': first as written in the default country (which also understands its
 * national prefix, its international prefix, and the country code written without '+'); if that
 * is not a valid number, as international (the API's own form, '447788450450'), with a leading
 * '00' read as the international prefix most of the world dials. Each reading is parsed once.
 */
function readDigits(
	digits: string,
	country: CountryCode | undefined,
	wanted: Wanted,
): PhoneNumberReading {
	let national: PhoneNumber | undefined;
	if (country !== undefined) {
		national = parsePhoneNumberFromString(digits, { defaultCountry: country, extract: false });
		if (fitsE164(national) && national.isValid()) return fromPhone(national, true);
	}
	const international = digits.startsWith('00') ? digits.slice(2) : digits;
	const compiled = compiledValidE164(international, wanted);
	if (compiled !== undefined) return compiled;
	let asE164: PhoneNumber | undefined;
	if (E164_DIGITS.test(international)) {
		asE164 = parseE164(international);
		if (fitsE164(asE164) && asE164.isValid()) return fromPhone(asE164, true);
	}

	// Nothing valid. Still give digits (valid: false) when a reading makes sense, so the caller
	// can choose to send it (skipInvalid off): prefer a reading of a possible length.
	const readings = [national, asE164].filter(fitsE164);
	const best = readings.find((phone) => phone.isPossible()) ?? readings[0];
	if (best !== undefined) return fromPhone(best, false);
	if (E164_DIGITS.test(international)) return keepDigits(international);
	if (international.length > 15) return tooLong(international.length);
	if (country === undefined && digits.startsWith('0')) {
		return failure(
			'needs_country',
			'The number starts with 0, so it is written the national way; set the Default Country, or write it with its country code (e.g. +44 7788 450450).',
		);
	}
	return failure(
		'not_a_number',
		country === undefined
			? 'The value cannot be read as an international phone number (country code first, e.g. 447788450450).'
			: `The value cannot be read as a phone number of ${country}, nor as an international number (country code first, e.g. 447788450450).`,
	);
}

function readText(input: string, defaultCountry: unknown, wanted: Wanted): PhoneNumberReading {
	// Refuse long text before any work: a 10 KB string is not a phone number.
	if (input.length > MAX_TEXT_LENGTH) {
		return failure(
			'too_long',
			`The value is ${input.length} characters long; a phone number is at most ${MAX_TEXT_LENGTH} characters, separators included.`,
		);
	}
	const text = input.trim();
	if (text === '') return failure('empty', 'The value is empty; give a phone number.');

	// One pass: count the digits, skip separators, reject everything else. The digits are then
	// cut out in one go rather than joined a character at a time (a string per character).
	const plus = text.charCodeAt(0) === 0x2b;
	const first = plus ? 1 : 0;
	let digitCount = 0;
	for (let i = first; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c >= 0x30 && c <= 0x39) digitCount++;
		else if (!isSeparator(c)) return badCharacter(text, i);
	}
	const digits =
		digitCount === text.length - first ? text.slice(first) : text.replace(NOT_A_DIGIT, '');
	if (digits === '')
		return failure('not_a_number', 'The value has no digits; give a phone number.');
	if (digits.length > MAX_TEXT_DIGITS) return tooLong(digits.length);

	const country = resolveCountry(defaultCountry);
	if (typeof country === 'object') return country;
	return plus ? readInternational(digits, wanted) : readDigits(digits, country, wanted);
}

/** A number from a spreadsheet cell or JSON: only a positive whole number can be a phone number. */
function readNumeric(
	input: number | bigint,
	defaultCountry: unknown,
	wanted: Wanted,
): PhoneNumberReading {
	if (typeof input === 'number') {
		if (!Number.isFinite(input)) {
			return failure('not_a_number', `The value is the number ${input}, not a phone number.`);
		}
		if (input > MAX_E164_NUMBER) {
			return failure(
				'too_long',
				`The value is the number ${input}, which has more than 15 digits; a phone number has at most 15. Store phone numbers as text so no digits are lost.`,
			);
		}
		if (!Number.isInteger(input) || input <= 0) {
			return failure(
				'not_a_number',
				`The value is the number ${input}; a phone number is a positive whole number. Store phone numbers as text so none is changed.`,
			);
		}
	} else {
		if (input <= 0n) {
			return failure(
				'not_a_number',
				`The value is the number ${input}; a phone number is positive.`,
			);
		}
		if (input > BigInt(MAX_E164_NUMBER)) return tooLong(input.toString().length);
	}
	const country = resolveCountry(defaultCountry);
	if (typeof country === 'object') return country;
	// A number cannot hold '+' or a leading 0: read it like digits typed without '+'.
	return readDigits(input.toString(), country, wanted);
}

function read(
	input: unknown,
	defaultCountry: string | undefined,
	wanted: Wanted,
): PhoneNumberReading {
	switch (typeof input) {
		case 'string':
			return readText(input, defaultCountry, wanted);
		case 'number':
		case 'bigint':
			return readNumeric(input, defaultCountry, wanted);
		case 'undefined':
			return failure('empty', 'The value is empty (undefined); give a phone number.');
		case 'boolean':
			return failure(
				'wrong_type',
				`The value is a boolean (${input}), not a phone number; check the expression that gives the number.`,
			);
		case 'object':
			if (input === null)
				return failure('empty', 'The value is empty (null); give a phone number.');
			if (Array.isArray(input)) {
				return failure(
					'wrong_type',
					'The value is an array, not one phone number; pick one element, or use the Look Up Numbers (batch) operation for lists.',
				);
			}
			return failure(
				'wrong_type',
				'The value is an object, not a phone number; point the expression at the field that holds the number (e.g. {{ $json.phone }}).',
			);
		default:
			return failure('wrong_type', `The value is a ${typeof input}, not a phone number.`);
	}
}

/**
 * Reads one phone number. `ok: true` always carries 1–15 digits safe to send; `valid` says
 * whether libphonenumber considers the number valid (the caller decides whether invalid ones are
 * sent). `ok: false` carries a message that says what to fix.
 */
export function normaliseNumber(input: unknown, defaultCountry?: string): NormalisedNumber {
	return read(input, defaultCountry, 'result').result;
}

/** normaliseNumber with libphonenumber's reading, for formatting; the same rules, parsed once. */
export function readPhoneNumber(input: unknown, defaultCountry?: string): PhoneNumberReading {
	return read(input, defaultCountry, 'reading');
}
