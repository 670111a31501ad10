import { ProtocolError } from './errors';

/**
 * Reads the `query=balance` answer. The reference does not show its body, so every plausible
 * form is accepted: a bare number (`9876.40`), `OK 9876.40`, `OK: 9876.40`, or JSON (a bare
 * number or numeric string, or an object with `balance` or `userbalance`). Anything else throws,
 * so a wrong answer never reads as a balance of 0.
 */

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const OK_NUMBER = /^OK\s*[:=]?\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))$/i;

function toBalance(value: unknown): number | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value === 'string') {
		const text = value.trim();
		return NUMBER.test(text) ? Number(text) : null;
	}
	return null;
}

export function parseBalance(body: string, secrets: readonly string[] = []): number {
	const text = String(body).trim();
	if (NUMBER.test(text)) return Number(text);
	const ok = OK_NUMBER.exec(text);
	if (ok) return Number(ok[1]);
	const first = text.charAt(0);
	if (first === '{' || first === '"') {
		let json: unknown;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
			const record = json as Record<string, unknown>;
			const balance = toBalance(record.balance ?? record.userbalance);
			if (balance !== null) return balance;
		} else {
			const balance = toBalance(json);
			if (balance !== null) return balance;
		}
	}
	throw new ProtocolError('Expected the account balance as a number', text, secrets);
}
