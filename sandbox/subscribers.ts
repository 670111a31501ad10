import { parsePhoneNumberFromString, type PhoneNumber } from 'libphonenumber-js/max';

import {
	ERROR_TEXTS,
	flagsForErrorCode,
	weightedErrorCode,
	type Flag,
	type ReachableFlag,
} from './errorCodes';
import {
	countryForCallingCode,
	countryProfile,
	NANP_CARRIERS,
	type CountryProfile,
	type MobileNetwork,
	type NanpNumberType,
} from './networks';
import { digitsFrom, hash32, pickFrom, unitFrom } from './rng';
import { testNumberSpec, type GsmTestNumberSpec, type NanpTestNumberSpec } from './testNumbers';

/** What the HLR side knows about one number, before cost and balance are added. */
export interface GsmSubscriber {
	readonly shape: 'gsm';
	readonly msisdn: string;
	readonly countrycode: string;
	readonly countryiso: string;
	readonly countryname: string;
	readonly errorcode: number;
	readonly errortext: string;
	readonly imsi: string;
	readonly landline: boolean;
	readonly localformat: string;
	readonly mobile: boolean;
	readonly network: MobileNetwork | null;
	/** The range holder the number was ported away from; null when not ported. */
	readonly original: MobileNetwork | null;
	readonly numbertype: string;
	readonly operatorname: string;
	readonly ported: boolean;
	readonly reachable: ReachableFlag;
	readonly timezone: string;
	readonly validnumber: Flag;
	/** Serving-MSC prefix (up to 5 digits), empty unless errorcode 0. Sent only with msc=1. */
	readonly msc: string;
}

export interface NanpSubscriber {
	readonly shape: 'nanp';
	readonly msisdn: string;
	readonly ocn: string;
	readonly carrier: string;
	readonly numbertype: NanpNumberType;
	readonly lrn: string;
	/** Absent from the answer when null. */
	readonly spid: string | null;
}

export type Subscriber = GsmSubscriber | NanpSubscriber;

export interface GeneratorSettings {
	readonly seed: number;
	/** Share of ordinary mobile numbers that are ported, 0..1. */
	readonly portedShare: number;
	/** Share of ordinary mobile numbers that answer a non-zero error code, 0..1. */
	readonly errorShare: number;
}

/** What the service answers for a list entry: surrounding spaces and one leading '+' dropped. */
export function normaliseEntry(entry: string): string {
	return entry.trim().replace(/^\+/, '');
}

/**
 * The answer for one number: a test number's fixed answer, else the deterministic generator
 * (a pure function of the number and the seed).
 */
export function lookupSubscriber(entry: string, settings: GeneratorSettings): Subscriber {
	const msisdn = normaliseEntry(entry);
	const parsed = /^\d{1,17}$/.test(msisdn) ? parsePhoneNumberFromString(`+${msisdn}`) : undefined;
	const spec = testNumberSpec(msisdn);
	if (spec && parsed) {
		return spec.shape === 'nanp' ? nanpFromSpec(msisdn, spec) : gsmFromSpec(msisdn, parsed, spec);
	}
	// With the 'max' metadata every country has type patterns, so isValid() is exactly
	// getType() !== undefined: one type match instead of two (it is the costly part).
	const type = parsed?.getType();
	if (!parsed || type === undefined) return unknownNumber(msisdn, parsed);
	if (parsed.countryCallingCode === '1') return nanpNumber(msisdn, parsed, type, settings.seed);
	return gsmNumber(msisdn, parsed, type, settings);
}

type NumberType = ReturnType<PhoneNumber['getType']>;

type Kind = 'MOBILE' | 'LANDLINE' | 'TOLLFREE' | 'VOIP';

function kindOf(type: NumberType): Kind {
	switch (type) {
		case 'MOBILE':
		case 'FIXED_LINE_OR_MOBILE':
			return 'MOBILE';
		case 'TOLL_FREE':
			return 'TOLLFREE';
		case 'VOIP':
			return 'VOIP';
		default:
			return 'LANDLINE';
	}
}

function profileOf(parsed: PhoneNumber): CountryProfile {
	const callingCode = String(parsed.countryCallingCode);
	const iso = parsed.country ?? countryForCallingCode(callingCode)?.iso ?? '';
	return countryProfile(iso, callingCode);
}

/** IMSI = MCC + MNC + MSIN, 15 digits, the last six masked to zeros as the reference describes. */
function imsiFor(network: MobileNetwork, ...parts: Array<string | number>): string {
	const prefix = network.mcc + network.mnc;
	const visible = 15 - prefix.length - 6;
	return prefix + digitsFrom(visible, 'imsi', ...parts) + '000000';
}

function mscFor(callingCode: string, ...parts: Array<string | number>): string {
	return (callingCode + digitsFrom(5, 'msc', ...parts)).slice(0, 5);
}

function base(msisdn: string, parsed: PhoneNumber, profile: CountryProfile) {
	return {
		shape: 'gsm' as const,
		msisdn,
		countrycode: String(parsed.countryCallingCode),
		countryiso: profile.iso,
		countryname: profile.name,
		localformat: parsed.formatNational(),
		timezone: profile.timezone,
	};
}

/** A non-mobile number: the HLR rejects it (38), nothing certain. */
function nonMobile(
	msisdn: string,
	parsed: PhoneNumber,
	profile: CountryProfile,
	kind: Kind,
): GsmSubscriber {
	return {
		...base(msisdn, parsed, profile),
		errorcode: 38,
		errortext: ERROR_TEXTS[38],
		imsi: '',
		landline: kind === 'LANDLINE',
		mobile: false,
		network: null,
		original: null,
		numbertype: kind,
		operatorname: kind === 'LANDLINE' ? profile.fixedOperator : '',
		ported: false,
		...flagsForErrorCode(38),
		msc: '',
	};
}

function mobileAnswer(
	msisdn: string,
	parsed: PhoneNumber,
	profile: CountryProfile,
	current: MobileNetwork,
	original: MobileNetwork | null,
	errorcode: number,
	flags: { validnumber: Flag; reachable: ReachableFlag },
	hashParts: Array<string | number>,
): GsmSubscriber {
	return {
		...base(msisdn, parsed, profile),
		errorcode,
		errortext: ERROR_TEXTS[errorcode],
		imsi: errorcode === 0 ? imsiFor(current, ...hashParts) : '',
		landline: false,
		mobile: true,
		network: current,
		original,
		numbertype: 'MOBILE',
		operatorname: current.name,
		ported: original !== null,
		...flags,
		msc: errorcode === 0 ? mscFor(String(parsed.countryCallingCode), ...hashParts) : '',
	};
}

function gsmNumber(
	msisdn: string,
	parsed: PhoneNumber,
	type: NumberType,
	settings: GeneratorSettings,
): GsmSubscriber {
	const profile = profileOf(parsed);
	const kind = kindOf(type);
	if (kind !== 'MOBILE') return nonMobile(msisdn, parsed, profile, kind);
	const { seed } = settings;
	// The range holder depends on the number block (country code + first four national digits),
	// so neighbouring numbers share it; a ported number has moved to another network.
	const block = String(parsed.countryCallingCode) + String(parsed.nationalNumber).slice(0, 4);
	const rangeHolder = pickFrom(profile.mobile, seed, 'range', block);
	const ported = unitFrom(seed, 'ported', msisdn) < settings.portedShare;
	const others = profile.mobile.filter((network) => network !== rangeHolder);
	const current = ported ? pickFrom(others, seed, 'port-to', msisdn) : rangeHolder;
	const errorcode =
		unitFrom(seed, 'error', msisdn) < settings.errorShare
			? weightedErrorCode(unitFrom(seed, 'error-code', msisdn))
			: 0;
	return mobileAnswer(
		msisdn,
		parsed,
		profile,
		current,
		ported ? rangeHolder : null,
		errorcode,
		flagsForErrorCode(errorcode),
		[seed, msisdn],
	);
}

const VODAFONE_UK: MobileNetwork = { mcc: '234', mnc: '15', name: 'Vodafone UK' };
const O2_UK: MobileNetwork = { mcc: '234', mnc: '10', name: 'O2 UK' };

function gsmFromSpec(msisdn: string, parsed: PhoneNumber, spec: GsmTestNumberSpec): GsmSubscriber {
	const profile = profileOf(parsed);
	if (spec.numbertype === 'LANDLINE') return nonMobile(msisdn, parsed, profile, 'LANDLINE');
	return mobileAnswer(
		msisdn,
		parsed,
		profile,
		spec.ported ? O2_UK : VODAFONE_UK,
		spec.ported ? VODAFONE_UK : null,
		spec.errorcode,
		{ validnumber: spec.validnumber, reachable: spec.reachable },
		['test-number', msisdn],
	);
}

/** Invalid for libphonenumber (or not digits at all): answered like an unassigned number. */
function unknownNumber(msisdn: string, parsed: PhoneNumber | undefined): GsmSubscriber {
	const callingCode = parsed ? String(parsed.countryCallingCode) : '';
	const profile = parsed?.country
		? countryProfile(parsed.country, callingCode)
		: countryForCallingCode(callingCode);
	return {
		shape: 'gsm',
		msisdn,
		countrycode: callingCode,
		countryiso: profile?.iso ?? '',
		countryname: profile?.name ?? '',
		errorcode: 1,
		errortext: ERROR_TEXTS[1],
		imsi: '',
		landline: false,
		localformat: parsed ? parsed.formatNational() : '',
		mobile: false,
		network: null,
		original: null,
		numbertype: '',
		operatorname: '',
		ported: false,
		...flagsForErrorCode(1),
		timezone: profile?.timezone ?? '',
		msc: '',
	};
}

function nanpNumber(
	msisdn: string,
	parsed: PhoneNumber,
	type: NumberType,
	seed: number,
): NanpSubscriber {
	const national = String(parsed.nationalNumber);
	if (type === 'TOLL_FREE') {
		return {
			shape: 'nanp',
			msisdn,
			ocn: '',
			carrier: 'Toll-Free (RespOrg)',
			numbertype: 'TOLLFREE',
			lrn: '',
			spid: null,
		};
	}
	const carriers = NANP_CARRIERS[parsed.country === 'CA' ? 'CA' : 'US'];
	const chosen = carriers[hash32(seed, 'nanp', msisdn) % carriers.length];
	return {
		shape: 'nanp',
		msisdn,
		ocn: chosen.ocn,
		carrier: chosen.name,
		numbertype: chosen.numbertype,
		// The LRN names the serving switch: same NPA, a switch NXX, line 0000.
		lrn: national.slice(0, 3) + digitsFrom(3, seed, 'lrn', msisdn).replace(/^[01]/, '2') + '0000',
		spid: chosen.mobile ? chosen.ocn : null,
	};
}

function nanpFromSpec(msisdn: string, spec: NanpTestNumberSpec): NanpSubscriber {
	const { carrier, ocn, numbertype, lrn, spid } = spec;
	return { shape: 'nanp', msisdn, ocn, carrier, numbertype, lrn, spid };
}
