/**
 * Turns the value of "Look Up Numbers (batch)" into one value per number, for normaliseNumber.
 * Splitting happens here, on list separators only (comma, semicolon, new line), and never inside
 * normalisation: one value that holds a comma is an error there, not two lookups.
 *
 * - An array gives its elements; nested arrays are flattened one level (a column of cells that
 *   are themselves lists). Objects stay as elements so each yields a clear per-number error.
 * - Text is split on , ; and new lines; pieces are trimmed and empty ones dropped ("a,,b", a
 *   trailing comma or new line). Spaces do not split: "+44 7788 450450" is one number.
 * - Empty values (null, undefined, blank text), in arrays too, are skipped: they are holes in a
 *   list, not numbers. Any other single value (a number, a bigint, an object) is one element.
 */

const SEPARATORS = /[,;\r\n]/;

function isBlank(value: unknown): boolean {
	return (
		value === null || value === undefined || (typeof value === 'string' && value.trim() === '')
	);
}

/** Array elements are kept as given (they are what the item held); only blanks are skipped. */
function addElement(out: unknown[], value: unknown): void {
	if (!isBlank(value)) out.push(value);
}

export function splitNumberList(value: unknown): unknown[] {
	if (typeof value === 'string') {
		const out: unknown[] = [];
		for (const piece of value.split(SEPARATORS)) {
			const trimmed = piece.trim();
			if (trimmed !== '') out.push(trimmed);
		}
		return out;
	}
	if (Array.isArray(value)) {
		const out: unknown[] = [];
		for (const element of value) {
			if (Array.isArray(element)) for (const inner of element) addElement(out, inner);
			else addElement(out, element);
		}
		return out;
	}
	return isBlank(value) ? [] : [value];
}
