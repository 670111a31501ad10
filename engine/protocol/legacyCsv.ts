import type { RawLookupObject } from '../types';
import { ProtocolError } from './errors';

/**
 * Reads the legacy answer (request without `format=json`): one line per number,
 * `msisdn plmn,imsi,msc`, e.g. `447788450450 23415,234158341040126,44778`. The node asks for
 * JSON; this is here for accounts or proxies that still answer in the old format, so the
 * result is the same raw object shape the JSON answer gives and typing/routing stay one path.
 * Missing or empty parts are left out (they become null when typed).
 */

const FIELDS = ['plmn', 'imsi', 'msc'] as const;

/** An msisdn as the service writes it: digits, perhaps with a leading '+'. */
const MSISDN = /^\+?\d{1,20}$/;

export function parseLegacyCsv(body: string, secrets: readonly string[] = []): RawLookupObject[] {
	const results: RawLookupObject[] = [];
	for (const rawLine of body.split('\n')) {
		const line = rawLine.trim(); // also drops the '\r' of CRLF
		if (line === '') continue;
		// The documented separator after the msisdn is a space; a comma there is tolerated too.
		const match = /^(\S+?)(?:\s+|,)(.*)$/.exec(line);
		const msisdn = match ? match[1] : line;
		if (!MSISDN.test(msisdn)) {
			throw new ProtocolError('Expected legacy CSV lines "msisdn plmn,imsi,msc"', line, secrets);
		}
		const result: RawLookupObject = { msisdn: msisdn.replace('+', '') };
		if (match) {
			const parts = match[2].split(',');
			for (let k = 0; k < FIELDS.length && k < parts.length; k++) {
				const value = parts[k].trim();
				if (value !== '') result[FIELDS[k]] = value;
			}
		}
		results.push(result);
	}
	return results;
}
