import { splitNumberList } from '../../engine/numbers/splitNumberList';

describe('splitNumberList', () => {
	it('splits text on commas, semicolons and new lines, trimming and dropping empty pieces', () => {
		expect(splitNumberList('447788450450, 447788450451;447788450452\n 17044518989 \r\n')).toEqual([
			'447788450450',
			'447788450451',
			'447788450452',
			'17044518989',
		]);
		expect(splitNumberList(',,a,,;\n\n')).toEqual(['a']);
	});

	it('does not split on spaces, dots or dashes: they are inside numbers', () => {
		expect(splitNumberList('+44 7788 450450, (704) 451-8989')).toEqual([
			'+44 7788 450450',
			'(704) 451-8989',
		]);
	});

	it('gives the elements of an array, flattening one level, keeping values as given', () => {
		const object = { phone: '1' };
		expect(splitNumberList(['447788450450', 17044518989, [' 1 ', ['2']], object])).toEqual([
			'447788450450',
			17044518989,
			' 1 ',
			['2'],
			object,
		]);
	});

	it('keeps a string element with a comma whole, so it yields its own error, not two lookups', () => {
		expect(splitNumberList(['447788450450,447788450451'])).toEqual(['447788450450,447788450451']);
	});

	it('skips empty values, in arrays too', () => {
		expect(splitNumberList([null, undefined, '', '  ', '447788450450', [null, '']])).toEqual([
			'447788450450',
		]);
	});

	it('turns a single value into one element, and empty values into none', () => {
		expect(splitNumberList(447788450450)).toEqual([447788450450]);
		expect(splitNumberList(BigInt(5))).toEqual([BigInt(5)]);
		expect(splitNumberList({ a: 1 })).toEqual([{ a: 1 }]);
		expect(splitNumberList(true)).toEqual([true]);
		expect(splitNumberList(null)).toEqual([]);
		expect(splitNumberList(undefined)).toEqual([]);
		expect(splitNumberList('')).toEqual([]);
		expect(splitNumberList(' \n ')).toEqual([]);
		expect(splitNumberList([])).toEqual([]);
	});
});
