import { flagsForErrorCode, type Flag, type ReachableFlag } from './errorCodes';
import type { NanpNumberType } from './networks';

/**
 * Numbers with a fixed, documented answer, whatever the seed: one per error code of the reference,
 * plus named extras. All of them are valid for libphonenumber-js/max (the node only sends valid
 * numbers). The GSM ones live in the block 447400900000–447400900999 (UK mobile, 07400 900xxx),
 * reserved for them: the last three digits are the error code. A number of that block that is not
 * listed answers like TEST_NUMBERS[0] (errorcode 0, Vodafone UK, not ported).
 *
 * Usage: `TEST_NUMBERS[6]` → '447400900006' (Absent Subscriber (SM)); `TEST_NUMBERS.ported`.
 */
export const TEST_NUMBERS = Object.freeze({
	0: '447400900000',
	1: '447400900001',
	5: '447400900005',
	6: '447400900006',
	7: '447400900007',
	8: '447400900008',
	9: '447400900009',
	11: '447400900011',
	12: '447400900012',
	13: '447400900013',
	21: '447400900021',
	27: '447400900027',
	31: '447400900031',
	32: '447400900032',
	33: '447400900033',
	34: '447400900034',
	35: '447400900035',
	36: '447400900036',
	38: '447400900038',
	/** errorcode 0, ported from Vodafone UK (234/15) to O2 UK (234/10). */
	ported: '447400900100',
	/** errorcode 11 (Teleservice Not Provisioned), validnumber "true", reachable "not_sms_capable". */
	notSmsCapable: '447400900111',
	/** A London fixed line (Ofcom drama range 020 7946 0xxx): errorcode 38 Rejected, LANDLINE. */
	landline: '442079460000',
	/** NANP shape, T-Mobile USA (OCN 6529, PCS), with lrn and spid. */
	nanpMobile: '12015550100',
	/** NANP shape, Verizon New Jersey (OCN 9208, RBOC), with lrn, without spid. */
	nanpLandline: '12015550101',
	/** NANP shape, toll-free (TOLLFREE), empty ocn and lrn, without spid. */
	nanpTollFree: '18005550100',
} as const);

export type TestNumberKey = keyof typeof TEST_NUMBERS;

/** The error codes that have a test number, ascending (every code of the reference). */
export const TEST_NUMBER_CODES: readonly number[] = Object.freeze(
	Object.keys(TEST_NUMBERS)
		.filter((key) => /^\d+$/.test(key))
		.map(Number)
		.sort((a, b) => a - b),
);

/** The first and last number of the reserved GSM block. */
export const TEST_NUMBER_BLOCK = Object.freeze({ first: '447400900000', last: '447400900999' });

export interface GsmTestNumberSpec {
	readonly shape: 'gsm';
	readonly key: TestNumberKey;
	readonly errorcode: number;
	readonly validnumber: Flag;
	readonly reachable: ReachableFlag;
	readonly ported: boolean;
	readonly numbertype: 'MOBILE' | 'LANDLINE';
}

export interface NanpTestNumberSpec {
	readonly shape: 'nanp';
	readonly key: TestNumberKey;
	readonly carrier: string;
	readonly ocn: string;
	readonly numbertype: NanpNumberType;
	readonly lrn: string;
	readonly spid: string | null;
}

export type TestNumberSpec = GsmTestNumberSpec | NanpTestNumberSpec;

function gsm(key: TestNumberKey, errorcode: number, extra: Partial<GsmTestNumberSpec> = {}) {
	return {
		shape: 'gsm',
		key,
		errorcode,
		...flagsForErrorCode(errorcode),
		ported: false,
		numbertype: 'MOBILE',
		...extra,
	} as GsmTestNumberSpec;
}

const SPECS = new Map<string, TestNumberSpec>();
for (const code of TEST_NUMBER_CODES) {
	const key = code as TestNumberKey;
	SPECS.set(TEST_NUMBERS[key], gsm(key, code));
}
SPECS.set(TEST_NUMBERS.ported, gsm('ported', 0, { ported: true }));
SPECS.set(TEST_NUMBERS.notSmsCapable, gsm('notSmsCapable', 11, { reachable: 'not_sms_capable' }));
SPECS.set(TEST_NUMBERS.landline, gsm('landline', 38, { numbertype: 'LANDLINE' }));
SPECS.set(TEST_NUMBERS.nanpMobile, {
	shape: 'nanp',
	key: 'nanpMobile',
	carrier: 'T-Mobile USA',
	ocn: '6529',
	numbertype: 'PCS',
	lrn: '2014790000',
	spid: '6529',
});
SPECS.set(TEST_NUMBERS.nanpLandline, {
	shape: 'nanp',
	key: 'nanpLandline',
	carrier: 'Verizon New Jersey',
	ocn: '9208',
	numbertype: 'RBOC',
	lrn: '2015550000',
	spid: null,
});
SPECS.set(TEST_NUMBERS.nanpTollFree, {
	shape: 'nanp',
	key: 'nanpTollFree',
	carrier: 'Toll-Free (RespOrg)',
	ocn: '',
	numbertype: 'TOLLFREE',
	lrn: '',
	spid: null,
});

/** The fixed answer of a test number, or undefined for any other number. */
export function testNumberSpec(msisdn: string): TestNumberSpec | undefined {
	const listed = SPECS.get(msisdn);
	if (listed) return listed;
	if (msisdn.length === TEST_NUMBER_BLOCK.first.length && msisdn.startsWith('447400900')) {
		return { ...(SPECS.get(TEST_NUMBERS[0]) as GsmTestNumberSpec) };
	}
	return undefined;
}
