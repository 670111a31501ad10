import { ProtocolError } from '../../engine/protocol/errors';
import { parseBalance } from '../../engine/protocol/balance';

describe('parseBalance', () => {
	it.each([
		['9876.40', 9876.4],
		['  9876.40\r\n', 9876.4],
		['0', 0],
		['12', 12],
		['-3.50', -3.5],
		['.5', 0.5],
		['OK 9876.40', 9876.4],
		['OK: 9876.40', 9876.4],
		['OK:9876.40\n', 9876.4],
		['ok 12', 12],
		['OK=12', 12],
		['{"balance":9876.4}', 9876.4],
		['{"balance":"9876.40"}', 9876.4],
		['{"userbalance":"150.00"}', 150],
		['{"userbalance":0}', 0],
		[' {"balance": 1.2, "currency": "credits"} ', 1.2],
		['"9876.40"', 9876.4],
	])('reads %j', (body, balance) => {
		expect(parseBalance(body)).toBe(balance);
	});

	it.each([
		'',
		'OK',
		'FAIL Invalid password',
		'NaN',
		'Infinity',
		'0x10',
		'1,234.50',
		'9876.40 credits',
		'{"balance":null}',
		'{"balance":"lots"}',
		'{"credit":5}',
		'[9876.4]',
		'"abc"',
		'{broken',
		'<html>9876.40</html>',
	])('refuses %j with a ProtocolError, never reading it as 0', (body) => {
		expect(() => parseBalance(body)).toThrow(ProtocolError);
	});

	it('quotes the body in the error without the secrets', () => {
		expect(() => parseBalance('FAIL user=me pass=hunter2', ['hunter2'])).toThrow(
			'Expected the account balance as a number: "FAIL user=me pass=***"',
		);
	});
});
