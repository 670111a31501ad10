import { ProtocolError } from '../../engine/protocol/errors';
import { parseLegacyCsv } from '../../engine/protocol/legacyCsv';

describe('parseLegacyCsv', () => {
	it('reads the documented line', () => {
		expect(parseLegacyCsv('447788450450 23415,234158341040126,44778')).toEqual([
			{ msisdn: '447788450450', plmn: '23415', imsi: '234158341040126', msc: '44778' },
		]);
	});

	it('reads one line per number, with CRLF and blank lines', () => {
		expect(
			parseLegacyCsv(
				'\r\n447788450450 23415,234158341040126,44778\r\n\r\n447788450451 23410,234100000000000\r\n',
			),
		).toEqual([
			{ msisdn: '447788450450', plmn: '23415', imsi: '234158341040126', msc: '44778' },
			{ msisdn: '447788450451', plmn: '23410', imsi: '234100000000000' },
		]);
	});

	it('leaves missing and empty parts out', () => {
		expect(parseLegacyCsv('447788450450 23415')).toEqual([
			{ msisdn: '447788450450', plmn: '23415' },
		]);
		expect(parseLegacyCsv('447788450450 ,,44778')).toEqual([
			{ msisdn: '447788450450', msc: '44778' },
		]);
		expect(parseLegacyCsv('447788450450')).toEqual([{ msisdn: '447788450450' }]);
		expect(parseLegacyCsv('447788450450 23415,234158341040126,44778,extra')).toEqual([
			{ msisdn: '447788450450', plmn: '23415', imsi: '234158341040126', msc: '44778' },
		]);
	});

	it('tolerates tabs, several spaces, a comma after the msisdn, and a leading +', () => {
		expect(parseLegacyCsv('447788450450\t 23415, 234158341040126 ,44778')).toEqual([
			{ msisdn: '447788450450', plmn: '23415', imsi: '234158341040126', msc: '44778' },
		]);
		expect(parseLegacyCsv('+447788450450,23415,234158341040126,44778')).toEqual([
			{ msisdn: '447788450450', plmn: '23415', imsi: '234158341040126', msc: '44778' },
		]);
	});

	it('returns nothing for an empty body', () => {
		expect(parseLegacyCsv('')).toEqual([]);
		expect(parseLegacyCsv('\r\n \n')).toEqual([]);
	});

	it('throws a ProtocolError (without secrets) on a line that is not legacy CSV', () => {
		expect(() => parseLegacyCsv('<html>Bad Gateway</html>')).toThrow(ProtocolError);
		expect(() =>
			parseLegacyCsv('447788450450 23415\nFAIL Invalid password pw123', ['pw123']),
		).toThrow(/^Expected legacy CSV lines "msisdn plmn,imsi,msc": "FAIL Invalid password \*\*\*"$/);
	});
});
