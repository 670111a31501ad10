import {
	emptyLookupFields,
	toLookupFields,
} from '../../engine/results/typedFields';
import { LOOKUP_FIELD_NAMES } from '../../engine/types';

/** A GSM answer as public clients see it: every value a string. */
const GSM_STRINGS = {
	countrycode: '44',
	countryiso: 'GB',
	countryname: 'United Kingdom',
	errorcode: '0',
	errortext: 'Lookup Complete',
	imsi: '234158341040126',
	landline: 'false',
	localformat: '07788 450450',
	mobile: 'true',
	mcc: '234',
	mnc: '15',
	msc: '44778',
	msisdn: '447788450450',
	numbertype: 'MOBILE',
	operatorname: 'Vodafone',
	originalmcc: '234',
	originalmnc: '10',
	originalcarrier: 'O2',
	originaloperatorname: 'O2 (UK)',
	plmn: '23415',
	ported: 'true',
	reachable: 'true',
	timezone: 'Europe/London',
	transactioncost: '1.00',
	userbalance: '9876.40',
	validnumber: 'true',
};

const GSM_TYPED = {
	countrycode: '44',
	countryiso: 'GB',
	countryname: 'United Kingdom',
	errorcode: 0,
	errortext: 'Lookup Complete',
	imsi: '234158341040126',
	landline: false,
	localformat: '07788 450450',
	mobile: true,
	mcc: '234',
	mnc: '15',
	msc: '44778',
	msisdn: '447788450450',
	numbertype: 'MOBILE',
	operatorname: 'Vodafone',
	originalmcc: '234',
	originalmnc: '10',
	originalcarrier: 'O2',
	originaloperatorname: 'O2 (UK)',
	plmn: '23415',
	ported: true,
	reachable: true,
	timezone: 'Europe/London',
	transactioncost: 1,
	userbalance: 9876.4,
	validnumber: true,
	ocn: null,
	carrier: null,
	lrn: null,
	spid: null,
};

describe('toLookupFields', () => {
	it('types a GSM answer sent as strings', () => {
		expect(toLookupFields(GSM_STRINGS)).toEqual(GSM_TYPED);
	});

	it('types the same answer sent JSON-typed', () => {
		expect(
			toLookupFields({
				...GSM_STRINGS,
				countrycode: 44,
				errorcode: 0,
				landline: false,
				mobile: true,
				mcc: 234,
				mnc: 15,
				ported: true,
				reachable: true,
				transactioncost: 1.0,
				userbalance: 9876.4,
				validnumber: true,
			}),
		).toEqual(GSM_TYPED);
	});

	it('always has every documented field, in LOOKUP_FIELD_NAMES order', () => {
		expect(Object.keys(toLookupFields({}))).toEqual([...LOOKUP_FIELD_NAMES]);
		expect(Object.keys(toLookupFields(GSM_STRINGS))).toEqual([...LOOKUP_FIELD_NAMES]);
		expect(Object.keys(emptyLookupFields())).toEqual([...LOOKUP_FIELD_NAMES]);
	});

	it('drops fields that are not documented', () => {
		// As the stream parser produces it: "__proto__" is an own key there, not a prototype.
		const raw = JSON.parse('{"msisdn":"1","debug":"x","__proto__":{"errorcode":5}}');
		expect(toLookupFields(raw)).toEqual({
			...emptyLookupFields(),
			msisdn: '1',
		});
	});

	it('types a NANP answer: carrier fields, the rest null, tri-states undetermined', () => {
		expect(
			toLookupFields({
				msisdn: '17044518989',
				ocn: '6214',
				carrier: 'T-Mobile USA, Inc.',
				numbertype: 'WIRELESS',
				lrn: '7044510000',
				spid: '6214',
				reachable: 'undetermined',
				validnumber: 'undetermined',
			}),
		).toEqual({
			...emptyLookupFields(),
			msisdn: '17044518989',
			ocn: '6214',
			carrier: 'T-Mobile USA, Inc.',
			numbertype: 'WIRELESS',
			lrn: '7044510000',
			spid: '6214',
			reachable: 'undetermined',
			validnumber: 'undetermined',
		});
	});

	it.each([
		['true', true],
		['TRUE', true],
		[' True ', true],
		['yes', true],
		['1', true],
		[1, true],
		[true, true],
		['false', false],
		['FALSE', false],
		['no', false],
		['0', false],
		[0, false],
		[false, false],
		['', null],
		['maybe', null],
		[2, null],
		[null, null],
		[undefined, null],
		[{}, null],
	])('reads the flag %j as %j', (value, expected) => {
		const fields = toLookupFields({ ported: value, mobile: value, landline: value });
		expect([fields.ported, fields.mobile, fields.landline]).toEqual([expected, expected, expected]);
	});

	it.each([
		['true', true],
		[true, true],
		['false', false],
		[false, false],
		['undetermined', 'undetermined'],
		['UNDETERMINED', 'undetermined'],
		['unknown', 'undetermined'],
		['not_sms_capable', false],
		['', null],
		['perhaps', null],
		[null, null],
	])('reads the tri-state %j as %j', (value, expected) => {
		const fields = toLookupFields({ reachable: value, validnumber: value });
		expect([fields.reachable, fields.validnumber]).toEqual([expected, expected]);
	});

	it.each([
		['0', 0],
		['06', 6],
		[' 27 ', 27],
		[38, 38],
		['1.0', 1],
		['1.5', null],
		['', null],
		['abc', null],
		['0x10', null],
		['NaN', null],
		[Number.NaN, null],
		[Number.POSITIVE_INFINITY, null],
		[true, null],
		[null, null],
	])('reads the errorcode %j as %j', (value, expected) => {
		expect(toLookupFields({ errorcode: value }).errorcode).toBe(expected);
	});

	it.each([
		['1.00', 1],
		['1.2', 1.2],
		[1.2, 1.2],
		['9876.40', 9876.4],
		['-5', -5],
		['1e2', 100],
		['', null],
		['  ', null],
		['free', null],
		['1,00', null],
		['Infinity', null],
		[Number.NaN, null],
		['1e400', null],
		[false, null],
	])('reads the amount %j as %j', (value, expected) => {
		const fields = toLookupFields({ transactioncost: value, userbalance: value });
		expect([fields.transactioncost, fields.userbalance]).toEqual([expected, expected]);
	});

	it('never yields NaN', () => {
		const fields = toLookupFields({ errorcode: 'x', transactioncost: 'NaN', userbalance: NaN });
		for (const value of Object.values(fields)) expect(Number.isNaN(value)).toBe(false);
	});

	it('reads text fields: empty → null, trimmed, numbers as their text, objects → null', () => {
		const fields = toLookupFields({
			operatorname: '  Vodafone ',
			countryname: '',
			timezone: '   ',
			mcc: 234,
			mnc: Number.NaN,
			imsi: { masked: true },
			lrn: ['1'],
			spid: false,
		});
		expect(fields.operatorname).toBe('Vodafone');
		expect(fields.countryname).toBeNull();
		expect(fields.timezone).toBeNull();
		expect(fields.mcc).toBe('234');
		expect(fields.mnc).toBeNull();
		expect(fields.imsi).toBeNull();
		expect(fields.lrn).toBeNull();
		expect(fields.spid).toBe('false');
	});
});

describe('emptyLookupFields', () => {
	it('has every field null, and a fresh object each time', () => {
		const empty = emptyLookupFields();
		expect(Object.values(empty).every((value) => value === null)).toBe(true);
		expect(emptyLookupFields()).not.toBe(empty);
	});
});
