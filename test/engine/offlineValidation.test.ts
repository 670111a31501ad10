import { normaliseNumber } from '../../engine/numbers/normalise';
import { validateOffline } from '../../engine/numbers/offlineValidation';

describe('validateOffline', () => {
	it('describes a valid GB mobile', () => {
		expect(validateOffline('07788 450450', 'GB')).toEqual({
			valid: true,
			possible: true,
			number: '447788450450',
			e164: '+447788450450',
			international: '+44 7788 450450',
			national: '07788 450450',
			countryiso: 'GB',
			countrycode: '44',
			numbertype: 'MOBILE',
			reason: null,
		});
	});

	it('describes a US number and a toll-free non-geographic one', () => {
		expect(validateOffline('(704) 451-8989', 'US')).toMatchObject({
			valid: true,
			number: '17044518989',
			international: '+1 704 451 8989',
			national: '(704) 451-8989',
			countryiso: 'US',
			countrycode: '1',
			numbertype: 'FIXED_LINE_OR_MOBILE',
		});
		expect(validateOffline('+800 1234 5678')).toMatchObject({
			valid: true,
			countryiso: null,
			countrycode: '800',
			numbertype: 'TOLL_FREE',
		});
	});

	it('reads exactly as normaliseNumber does', () => {
		for (const [input, country] of [
			['447788450450', undefined],
			['17044518989', 'GB'],
			['0044 7788 450450', 'US'],
			[447788450450, 'US'],
		] as Array<[unknown, string | undefined]>) {
			const normalised = normaliseNumber(input, country);
			const offline = validateOffline(input, country);
			expect(normalised.ok && normalised.digits).toBe(offline.number);
			expect(normalised.ok && normalised.valid).toBe(offline.valid);
		}
	});

	it('explains a number that is too short or too long', () => {
		expect(validateOffline('+44 12')).toMatchObject({
			valid: false,
			possible: false,
			number: '4412',
			numbertype: null,
			reason: expect.stringMatching(/too short/),
		});
		expect(validateOffline('+44 7788 450450 123')).toMatchObject({
			valid: false,
			reason: expect.stringMatching(/too long/),
		});
	});

	it('explains a number of possible length outside the allocated ranges', () => {
		expect(validateOffline('+44 778845045')).toMatchObject({
			valid: false,
			possible: true,
			number: '44778845045',
			countrycode: '44',
			numbertype: null,
			reason: expect.stringMatching(/not in a range allocated/),
		});
	});

	it('explains an unknown country code', () => {
		expect(validateOffline('+999 123456')).toEqual({
			valid: false,
			possible: false,
			number: '999123456',
			e164: '+999123456',
			international: '+999123456',
			national: null,
			countryiso: null,
			countrycode: null,
			numbertype: null,
			reason: expect.stringMatching(/No country uses/),
		});
	});

	it('gives the normalisation message for what is not a number', () => {
		expect(validateOffline('447788450450,447788450451')).toEqual({
			valid: false,
			possible: false,
			number: null,
			e164: null,
			international: null,
			national: null,
			countryiso: null,
			countrycode: null,
			numbertype: null,
			reason: expect.stringMatching(/list/),
		});
		expect(validateOffline(null).reason).toMatch(/null/);
		expect(validateOffline('07788 450450').reason).toMatch(/Default Country/);
	});
});
