import { classifyTextAnswer } from '../../engine/protocol/textAnswer';

describe('classifyTextAnswer', () => {
	it.each([
		['FAIL Invalid password', 'invalid_password'],
		['FAIL Insufficient credit', 'insufficient_credit'],
		['No numbers specified', 'no_numbers'],
		['Request too long', 'request_too_long'],
		['ERR RATE_LIMIT_EXCEEDED', 'rate_limited'],
	])('recognises the documented %j', (body, error) => {
		expect(classifyTextAnswer(body)).toBe(error);
	});

	it.each([
		['\r\n  FAIL Invalid password\r\n', 'invalid_password'],
		['fail invalid PASSWORD', 'invalid_password'],
		['FAIL: Invalid password for user bob', 'invalid_password'],
		['FAIL Invalid username or password', 'invalid_password'],
		['Invalid password', 'invalid_password'],
		['\ufeffFAIL Insufficient credit\n', 'insufficient_credit'],
		['FAIL Insufficient credit. Please add funds.', 'insufficient_credit'],
		['FAIL insufficient credits', 'insufficient_credit'],
		['  no numbers specified\n', 'no_numbers'],
		['No number specified', 'no_numbers'],
		['Request too long: more than ten', 'request_too_long'],
		['Request too long (max 10 numbers)', 'request_too_long'],
		['request TOO long', 'request_too_long'],
		['err rate_limit_exceeded', 'rate_limited'],
		['ERR: RATE LIMIT EXCEEDED\r\n', 'rate_limited'],
		['ERR RATE_LIMIT_EXCEEDED - too many connections', 'rate_limited'],
		['RATE_LIMIT_EXCEEDED', 'rate_limited'],
	])('recognises the variant %j', (body, error) => {
		expect(classifyTextAnswer(body)).toBe(error);
	});

	it.each([
		'',
		'   ',
		'[{"msisdn":"447788450450","errortext":"FAIL Invalid password"}]',
		'{"error":"Request too long"}',
		'447788450450 23415,234158341040126,44778',
		'OK 9876.40',
		'<html>ERR RATE_LIMIT_EXCEEDED</html>',
		'The request too long ago',
		'FAIL Something else',
		'Requested too long',
	])('does not take %j for an error', (body) => {
		expect(classifyTextAnswer(body)).toBeNull();
	});

	it('looks only at the start of a huge body', () => {
		expect(classifyTextAnswer('FAIL Insufficient credit' + ' '.repeat(1_000_000))).toBe(
			'insufficient_credit',
		);
		expect(classifyTextAnswer(' '.repeat(1_000) + 'FAIL Insufficient credit')).toBeNull();
	});
});
