import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

import { ERROR_CODES, TEST_NUMBER_CODES, TEST_NUMBERS } from '../../sandbox';
import { lookupJson, NANP_FIELDS, sandboxes } from './helpers';

const start = sandboxes();

/** The reference's table, written out by hand (not derived from the sandbox's own code). */
const EXPECTED: Array<[code: number, errortext: string, validnumber: string, reachable: string]> = [
	[0, 'Lookup Complete', 'true', 'true'],
	[1, 'Unknown Subscriber', 'false', 'false'],
	[5, 'Unidentified Subscriber', 'false', 'false'],
	[6, 'Absent Subscriber (SM)', 'true', 'false'],
	[7, 'Unknown Equipment', 'true', 'false'],
	[8, 'Roaming Not Allowed', 'true', 'false'],
	[9, 'Illegal Subscriber', 'true', 'false'],
	[11, 'Teleservice Not Provisioned', 'true', 'false'],
	[12, 'Illegal Equipment', 'true', 'false'],
	[13, 'Call Barred', 'true', 'false'],
	[21, 'Facility not Supported', 'true', 'false'],
	[27, 'Absent Subscriber', 'true', 'false'],
	[31, 'Subscriber Busy for MT SMS', 'true', 'false'],
	[32, 'SM Delivery Failure', 'true', 'false'],
	[33, 'Message Waiting List Full', 'true', 'false'],
	[34, 'Partner System Failure', 'undetermined', 'undetermined'],
	[35, 'Data Missing or Unroutable', 'undetermined', 'undetermined'],
	[36, 'Lookup Failure', 'undetermined', 'undetermined'],
	[38, 'Rejected', 'undetermined', 'undetermined'],
];

const ALL_TEST_NUMBERS = Object.values(TEST_NUMBERS) as string[];

describe('TEST_NUMBERS', () => {
	test('there is one for every per-number error code of the reference', () => {
		expect([...TEST_NUMBER_CODES]).toEqual(EXPECTED.map(([code]) => code));
		expect([...ERROR_CODES]).toEqual(EXPECTED.map(([code]) => code));
	});

	test.each(ALL_TEST_NUMBERS)('%s is valid for libphonenumber-js/max', (msisdn) => {
		const parsed = parsePhoneNumberFromString(`+${msisdn}`);
		expect(parsed?.isValid()).toBe(true);
	});

	test('the GSM error-code numbers are UK mobiles of the reserved block 447400900NNN (NNN = code)', () => {
		for (const code of TEST_NUMBER_CODES) {
			const msisdn = TEST_NUMBERS[code as keyof typeof TEST_NUMBERS];
			expect(msisdn).toBe(`447400900${String(code).padStart(3, '0')}`);
			const parsed = parsePhoneNumberFromString(`+${msisdn}`);
			expect(parsed?.country).toBe('GB');
			expect(parsed?.getType()).toBe('MOBILE');
		}
	});

	test('every code answers its errortext and flags, whatever the seed', async () => {
		const numbers = EXPECTED.map(([code]) => TEST_NUMBERS[code as keyof typeof TEST_NUMBERS]);
		const withSeed1 = await lookupJson(await start({ seed: 1 }), numbers);
		const withSeed99 = await lookupJson(
			await start({ seed: 99, errorShare: 1, portedShare: 1 }),
			numbers,
		);
		EXPECTED.forEach(([code, errortext, validnumber, reachable], i) => {
			expect(withSeed1[i]).toMatchObject({
				msisdn: numbers[i],
				errorcode: String(code),
				errortext,
				validnumber,
				reachable,
				ported: 'false',
				operatorname: 'Vodafone UK',
				plmn: '23415',
			});
			expect(withSeed1[i].imsi === '').toBe(code !== 0);
		});
		expect(withSeed99).toEqual(withSeed1);
	});

	test('named extras: ported, notSmsCapable, landline', async () => {
		const sb = await start({ seed: 5 });
		const [ported, notSms, landline] = await lookupJson(sb, [
			TEST_NUMBERS.ported,
			TEST_NUMBERS.notSmsCapable,
			TEST_NUMBERS.landline,
		]);
		expect(ported).toMatchObject({
			errorcode: '0',
			ported: 'true',
			operatorname: 'O2 UK',
			mcc: '234',
			mnc: '10',
			originalmcc: '234',
			originalmnc: '15',
			originaloperatorname: 'Vodafone UK',
			originalcarrier: 'Vodafone UK',
			validnumber: 'true',
			reachable: 'true',
		});
		expect(notSms).toMatchObject({
			errorcode: '11',
			errortext: 'Teleservice Not Provisioned',
			validnumber: 'true',
			reachable: 'not_sms_capable',
		});
		expect(landline).toMatchObject({
			errorcode: '38',
			numbertype: 'LANDLINE',
			landline: 'true',
			mobile: 'false',
			operatorname: 'BT',
			localformat: '020 7946 0000',
			validnumber: 'undetermined',
			reachable: 'undetermined',
		});
	});

	test('named extras: NANP mobile, landline, toll-free', async () => {
		const sb = await start({ seed: 5 });
		const [mobile, landline, tollFree] = await lookupJson(sb, [
			TEST_NUMBERS.nanpMobile,
			TEST_NUMBERS.nanpLandline,
			TEST_NUMBERS.nanpTollFree,
		]);
		expect(mobile).toEqual({
			msisdn: '12015550100',
			carrier: 'T-Mobile USA',
			ocn: '6529',
			numbertype: 'PCS',
			lrn: '2014790000',
			spid: '6529',
			reachable: 'undetermined',
			validnumber: 'undetermined',
			transactioncost: '1.00',
			userbalance: '9999.00',
		});
		expect(Object.keys(landline).sort()).toEqual(NANP_FIELDS);
		expect(landline).toMatchObject({
			carrier: 'Verizon New Jersey',
			ocn: '9208',
			numbertype: 'RBOC',
			lrn: '2015550000',
		});
		expect(tollFree).toMatchObject({ numbertype: 'TOLLFREE', ocn: '', lrn: '' });
		expect(tollFree).not.toHaveProperty('spid');
	});

	test('an unlisted number of the reserved block answers like TEST_NUMBERS[0], whatever the seed', async () => {
		const [a] = await lookupJson(await start({ seed: 3, errorShare: 1 }), ['447400900777']);
		expect(a).toMatchObject({ errorcode: '0', ported: 'false', operatorname: 'Vodafone UK' });
	});
});
