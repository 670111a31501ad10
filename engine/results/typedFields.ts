import type { LookupFields, RawLookupObject, TriState } from '../types';

/**
 * Turns one raw answer object into typed fields. The service's values may be strings
 * ("true", "0", "1.00") or JSON-typed (true, 0, 1.0), so each converter accepts both; anything it
 * cannot read becomes null (never NaN, never a guess). Every documented field is always present,
 * in LOOKUP_FIELD_NAMES order, so all items have the same keys whatever shape (GSM or NANP) came.
 *
 * Written as one object literal with small converters: no tables walked, one allocation per call.
 */

/** Text fields: strings as sent (trimmed), numbers as their decimal text; empty → null. */
function text(value: unknown): string | null {
	if (typeof value === 'string') {
		const trimmed = value.trim();
		return trimmed === '' ? null : trimmed;
	}
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
	if (typeof value === 'boolean') return String(value);
	return null;
}

/** Reads the usual spellings of a yes/no; null when it is neither. */
function flag(value: unknown): boolean | null {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : null;
	if (typeof value !== 'string') return null;
	switch (value.trim().toLowerCase()) {
		case 'true':
		case 'yes':
		case 'y':
		case '1':
			return true;
		case 'false':
		case 'no':
		case 'n':
		case '0':
			return false;
		default:
			return null;
	}
}

/**
 * `reachable` / `validnumber`: true, false or 'undetermined'. Public clients also see reachable
 * "not_sms_capable" (a number that exists but takes no SMS); TriState has no room for it and
 * "not reachable for SMS" is what it means to the routing users do, so it reads as false.
 */
function triState(value: unknown): TriState | null {
	const yesNo = flag(value);
	if (yesNo !== null) return yesNo;
	if (typeof value !== 'string') return null;
	switch (value.trim().toLowerCase()) {
		case 'undetermined':
		case 'unknown':
			return 'undetermined';
		case 'not_sms_capable':
			return false;
		default:
			return null;
	}
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A finite number, from a number or a decimal string ("1.00"); no hex, no '' → 0. */
function decimal(value: unknown): number | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value !== 'string') return null;
	const trimmed = value.trim();
	if (!DECIMAL.test(trimmed)) return null;
	const parsed = Number(trimmed);
	return Number.isFinite(parsed) ? parsed : null;
}

/** An error code: a whole number ("0", 6, "06"). */
function integer(value: unknown): number | null {
	const parsed = decimal(value);
	return parsed !== null && Number.isInteger(parsed) ? parsed : null;
}

export function toLookupFields(raw: RawLookupObject): LookupFields {
	return {
		msisdn: text(raw.msisdn),
		errorcode: integer(raw.errorcode),
		errortext: text(raw.errortext),
		validnumber: triState(raw.validnumber),
		reachable: triState(raw.reachable),
		ported: flag(raw.ported),
		mobile: flag(raw.mobile),
		landline: flag(raw.landline),
		numbertype: text(raw.numbertype),
		countrycode: text(raw.countrycode),
		countryiso: text(raw.countryiso),
		countryname: text(raw.countryname),
		localformat: text(raw.localformat),
		timezone: text(raw.timezone),
		operatorname: text(raw.operatorname),
		mcc: text(raw.mcc),
		mnc: text(raw.mnc),
		plmn: text(raw.plmn),
		imsi: text(raw.imsi),
		msc: text(raw.msc),
		originalmcc: text(raw.originalmcc),
		originalmnc: text(raw.originalmnc),
		originalcarrier: text(raw.originalcarrier),
		originaloperatorname: text(raw.originaloperatorname),
		ocn: text(raw.ocn),
		carrier: text(raw.carrier),
		lrn: text(raw.lrn),
		spid: text(raw.spid),
		transactioncost: decimal(raw.transactioncost),
		userbalance: decimal(raw.userbalance),
	};
}

/** All fields null: for numbers answered locally or not looked up. */
export function emptyLookupFields(): LookupFields {
	return {
		msisdn: null,
		errorcode: null,
		errortext: null,
		validnumber: null,
		reachable: null,
		ported: null,
		mobile: null,
		landline: null,
		numbertype: null,
		countrycode: null,
		countryiso: null,
		countryname: null,
		localformat: null,
		timezone: null,
		operatorname: null,
		mcc: null,
		mnc: null,
		plmn: null,
		imsi: null,
		msc: null,
		originalmcc: null,
		originalmnc: null,
		originalcarrier: null,
		originaloperatorname: null,
		ocn: null,
		carrier: null,
		lrn: null,
		spid: null,
		transactioncost: null,
		userbalance: null,
	};
}
