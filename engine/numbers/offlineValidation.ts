import { validatePhoneNumberLength, type PhoneNumber } from 'libphonenumber-js/max';

import { readPhoneNumber } from './normalise';

/**
 * "Validate Offline": what libphonenumber can tell about a number, with no request and no credit.
 * The reading is normaliseNumber's own (same rules, same digits), so a number this operation calls
 * valid is exactly one Look Up Number would send.
 */
export interface OfflineValidation {
	/** libphonenumber isValid: the number is in a range allocated in its country. */
	valid: boolean;
	/** libphonenumber isPossible: its length fits its country (a weaker check than valid). */
	possible: boolean;
	/** E.164 digits without '+', as the lookup would send them; null when not a number. */
	number: string | null;
	e164: string | null;
	/** e.g. "+44 7788 450450" */
	international: string | null;
	/** e.g. "07788 450450" */
	national: string | null;
	/** ISO 3166 alpha-2, e.g. "GB"; null when unknown (invalid, or a non-geographic number). */
	countryiso: string | null;
	/** Country calling code, e.g. "44". */
	countrycode: string | null;
	/** libphonenumber getType: MOBILE, FIXED_LINE, FIXED_LINE_OR_MOBILE, VOIP, TOLL_FREE, …; null when unknown. */
	numbertype: string | null;
	/** Why the number is not valid, in words; null when valid. */
	reason: string | null;
}

/** Says, in words, why libphonenumber does not accept a number as valid. */
function invalidReason(e164: string, phone: PhoneNumber | null, possible: boolean): string {
	const where = phone ? (phone.country ?? `+${phone.countryCallingCode}`) : 'its country code';
	if (!possible) {
		// Only for the numbers that fail: this re-reads the number, the valid path never does.
		switch (validatePhoneNumberLength(e164)) {
			case 'TOO_SHORT':
				return `The number is too short for ${where}.`;
			case 'TOO_LONG':
				return `The number is too long for ${where}.`;
			case 'INVALID_COUNTRY':
				return 'No country uses the country code this number starts with.';
			default:
				return `The number does not have a length used in ${where}.`;
		}
	}
	return `The number has a possible length but is not in a range allocated in ${where}.`;
}

export function validateOffline(input: unknown, defaultCountry?: string): OfflineValidation {
	const { result, phone } = readPhoneNumber(input, defaultCountry);
	if (!result.ok) {
		return {
			valid: false,
			possible: false,
			number: null,
			e164: null,
			international: null,
			national: null,
			countryiso: null,
			countrycode: null,
			numbertype: null,
			reason: result.message,
		};
	}
	if (phone === null) {
		// Digits kept as given: libphonenumber cannot read them (unknown country code, too short).
		return {
			valid: false,
			possible: false,
			number: result.digits,
			e164: result.e164,
			international: result.e164,
			national: null,
			countryiso: null,
			countrycode: null,
			numbertype: null,
			reason: invalidReason(result.e164, null, false),
		};
	}
	const possible = result.valid || phone.isPossible();
	return {
		valid: result.valid,
		possible,
		number: result.digits,
		e164: result.e164,
		international: phone.formatInternational(),
		national: phone.formatNational(),
		countryiso: phone.country ?? null,
		countrycode: phone.countryCallingCode,
		numbertype: result.valid ? (phone.getType() ?? null) : null,
		reason: result.valid ? null : invalidReason(result.e164, phone, possible),
	};
}
