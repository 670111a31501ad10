import { getExampleNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';

import { COUNTRIES, lookupSubscriber, TEST_NUMBERS, type GsmSubscriber } from '../../sandbox';
import { gbMobiles, GSM_FIELDS, lookupJson, NANP_FIELDS, sandboxes } from './helpers';

const start = sandboxes();
const SETTINGS = { seed: 1, portedShare: 0.15, errorShare: 0.1 };

/** Distinct valid GB mobiles outside the test block. */
const GB = gbMobiles(600).filter((n) => parsePhoneNumberFromString(`+${n}`)?.isValid());

function gsm(msisdn: string, settings = SETTINGS): GsmSubscriber {
	const sub = lookupSubscriber(msisdn, settings);
	if (sub.shape !== 'gsm') throw new Error(`${msisdn} answered ${sub.shape}`);
	return sub;
}

describe('deterministic subscribers', () => {
	test('the generator sample is large enough to mean something', () => {
		expect(GB.length).toBeGreaterThan(400);
	});

	test('same seed, same answers (two separate sandboxes, over HTTP)', async () => {
		const numbers = GB.slice(0, 60);
		const a = await lookupJson(await start({ seed: 7 }), numbers);
		const b = await lookupJson(await start({ seed: 7 }), numbers);
		expect(b).toEqual(a);
	});

	test('a different seed changes some answers', async () => {
		const numbers = GB.slice(0, 60);
		const a = await lookupJson(await start({ seed: 7 }), numbers);
		const b = await lookupJson(await start({ seed: 8 }), numbers);
		const differing = a.filter((answer, i) => JSON.stringify(answer) !== JSON.stringify(b[i]));
		expect(differing.length).toBeGreaterThan(0);
	});

	test.each(['GB', 'DE', 'FR', 'NL', 'ES', 'IT', 'AU', 'IN', 'ZA', 'BR', 'IE'] as const)(
		'%s mobiles answer with a network of that country (real MCC/MNC, operator, time zone)',
		(iso) => {
			const profile = COUNTRIES[iso];
			const example = getExampleNumber(iso, examples);
			if (!example) throw new Error(`no example for ${iso}`);
			const base = example.number.slice(1);
			const seen = new Set<string>();
			for (let i = 0; i < 40; i++) {
				// Vary the last digits; keep the ones libphonenumber calls valid mobiles.
				const msisdn = base.slice(0, -3) + String(i * 17).padStart(3, '0');
				const parsed = parsePhoneNumberFromString(`+${msisdn}`);
				if (!parsed?.isValid() || parsed.getType() !== 'MOBILE') continue;
				const sub = gsm(msisdn, { seed: 1, portedShare: 0.5, errorShare: 0 });
				expect(sub.countryiso).toBe(iso);
				expect(sub.countryname).toBe(profile.name);
				expect(sub.countrycode).toBe(profile.callingCode);
				expect(sub.timezone).toBe(profile.timezone);
				expect(sub.network).not.toBeNull();
				expect(profile.mobile).toContainEqual(sub.network);
				expect(sub.operatorname).toBe(sub.network?.name);
				expect(sub.imsi).toHaveLength(15);
				expect(sub.imsi.startsWith(`${sub.network?.mcc}${sub.network?.mnc}`)).toBe(true);
				seen.add(sub.operatorname);
			}
			expect(seen.size).toBeGreaterThan(1);
		},
	);

	test('GB networks are the real ones: 234/10 O2, 234/15 Vodafone, 234/20 Three, 234/30 EE', () => {
		expect(COUNTRIES.GB.mobile.map((n) => `${n.mcc}/${n.mnc} ${n.name}`)).toEqual([
			'234/10 O2 UK',
			'234/15 Vodafone UK',
			'234/20 Three UK',
			'234/30 EE',
		]);
	});

	test('about 15% of ordinary mobiles are ported; ported ones name a different original network', () => {
		const subs = GB.map((n) => gsm(n));
		const ported = subs.filter((s) => s.ported);
		const share = ported.length / subs.length;
		expect(share).toBeGreaterThan(0.08);
		expect(share).toBeLessThan(0.22);
		for (const s of ported) {
			expect(s.original).not.toBeNull();
			expect(s.original).not.toEqual(s.network);
		}
		for (const s of subs.filter((x) => !x.ported)) expect(s.original).toBeNull();
	});

	test('numbers of one block share the range holder unless ported', () => {
		const block = GB.filter((n) => n.startsWith('447500')).map((n) =>
			gsm(n, { ...SETTINGS, portedShare: 0 }),
		);
		expect(new Set(block.map((s) => s.operatorname)).size).toBe(1);
	});

	test('about 10% of ordinary mobiles get a non-zero error code, with the flags of that code', () => {
		const subs = GB.map((n) => gsm(n));
		const errors = subs.filter((s) => s.errorcode !== 0);
		expect(errors.length / subs.length).toBeGreaterThan(0.04);
		expect(errors.length / subs.length).toBeLessThan(0.18);
		for (const s of errors) {
			expect(s.imsi).toBe('');
			expect(s.reachable).not.toBe('true');
		}
	});

	test('portedShare 0 and errorShare 0 switch the variety off', () => {
		const subs = GB.map((n) => gsm(n, { seed: 1, portedShare: 0, errorShare: 0 }));
		expect(subs.every((s) => !s.ported && s.errorcode === 0)).toBe(true);
	});

	test('a number libphonenumber calls invalid answers like an unassigned number (1, false/false)', async () => {
		const sb = await start();
		const [invalid, garbage] = await lookupJson(sb, ['447700900123', 'abc']);
		expect(invalid).toMatchObject({
			msisdn: '447700900123',
			errorcode: '1',
			errortext: 'Unknown Subscriber',
			validnumber: 'false',
			reachable: 'false',
			countrycode: '44',
			countryiso: 'GB',
			imsi: '',
			mcc: '',
			operatorname: '',
		});
		expect(garbage).toMatchObject({
			msisdn: 'abc',
			errorcode: '1',
			validnumber: 'false',
			countrycode: '',
		});
		expect(Object.keys(garbage).sort()).toEqual(GSM_FIELDS);
		expect(sb.balance('demo')).toBe(9998);
	});

	test('fixed lines are rejected by the HLR (38, LANDLINE, undetermined)', () => {
		const sub = gsm('4930123456');
		expect(sub).toMatchObject({
			errorcode: 38,
			numbertype: 'LANDLINE',
			landline: true,
			mobile: false,
			validnumber: 'undetermined',
			reachable: 'undetermined',
			operatorname: 'Deutsche Telekom',
			imsi: '',
		});
	});

	test('a country outside the table answers from the ITU test network 001', () => {
		const sub = gsm('819012345678');
		expect(sub.countryiso).toBe('JP');
		expect(sub.countryname).toBe('Japan');
		expect(sub.network?.mcc).toBe('001');
		expect(sub.timezone).toBe('');
	});
});

describe('NANP (+1) shape', () => {
	test('msisdn, ocn, carrier, numbertype, lrn (+ spid where present), undetermined flags, no errorcode', async () => {
		const sb = await start();
		const numbers = [
			'12125550143',
			'13105550199',
			'14155550123',
			'16135550100',
			'17044518989',
			TEST_NUMBERS.nanpMobile,
		];
		const answers = await lookupJson(sb, numbers);
		for (const answer of answers) {
			const keys = Object.keys(answer)
				.filter((k) => k !== 'spid')
				.sort();
			expect(keys).toEqual(NANP_FIELDS);
			expect(answer).not.toHaveProperty('errorcode');
			expect(answer.reachable).toBe('undetermined');
			expect(answer.validnumber).toBe('undetermined');
			expect(answer.transactioncost).toBe('1.00');
			expect(answer.lrn).toMatch(/^\d{10}$/);
			for (const value of Object.values(answer)) expect(typeof value).toBe('string');
			if (answer.spid !== undefined)
				expect(['MOBILE', 'PCS', 'WIRELESS']).toContain(answer.numbertype);
		}
		const canadian = answers[3];
		expect([
			'Rogers Communications',
			'Bell Mobility',
			'TELUS Mobility',
			'Bell Canada',
			'Cogeco Connexion',
		]).toContain(canadian.carrier);
	});

	test('with msc=1 a NANP lookup costs 1.20 and has no msc field', async () => {
		const sb = await start();
		const [answer] = await lookupJson(sb, [TEST_NUMBERS.nanpLandline], { msc: '1' });
		expect(answer.transactioncost).toBe('1.20');
		expect(answer).not.toHaveProperty('msc');
	});
});
