import { reasonText } from '../../engine/results/reasons';
import { NOT_LOOKED_UP_REASONS } from '../../engine/types';

describe('reasonText', () => {
	it.each(NOT_LOOKED_UP_REASONS)('has a sentence for %s that says what to do', (reason) => {
		const text = reasonText(reason);
		expect(text).toMatch(/^[A-Z].{30,}\.$/);
		expect(text).toMatch(/check|fix|top up|run again|raise|lower/i);
	});

	it('gives each reason its own sentence', () => {
		expect(new Set(NOT_LOOKED_UP_REASONS.map(reasonText)).size).toBe(NOT_LOOKED_UP_REASONS.length);
	});

	it('says the documented sentence for running out of credit', () => {
		expect(reasonText('insufficient_credit')).toBe(
			'Your Number Portability Lookup account ran out of credit before this number was looked up; top up and run again.',
		);
		expect(reasonText('invalid_number')).toMatch(/no credit was spent/);
	});
});
