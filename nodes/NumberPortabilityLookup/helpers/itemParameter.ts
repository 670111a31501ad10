import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * Reads a parameter item by item, as n8n's getNodeParameter does. n8n builds an expression
 * context for every item it evaluates (0.07-0.15 ms an item): the node's largest cost where CPU
 * is the limit, and at 200 ms a request what kept the fifth of a run's first five requests
 * waiting 50-95 ms after the first (each connection then sends one request after another, so
 * the run ended that much later). Where the parameter is one expression naming a field of the
 * item (`{{ $json.phone }}`, how almost every workflow gives the number) and the field holds
 * text or a finite number, the field is read directly: n8n would return that very value. Any
 * other expression, and any other value (missing, null, an object, a list), goes through n8n.
 */
export function itemParameterReader(ctx: IExecuteFunctions, name: string): (itemIndex: number) => unknown {
	const evaluate = (itemIndex: number) => ctx.getNodeParameter(name, itemIndex);
	const path = fieldPathOf(ctx.getNode().parameters[name]);
	if (path === null) return evaluate;
	const items = ctx.getInputData();
	return (itemIndex) => {
		const value = fieldAt(items[itemIndex]?.json, path);
		return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))
			? value
			: evaluate(itemIndex);
	};
}

/** `={{ $json.phone }}`, `={{$json.contact.phone}}`: nothing but a field of the item's json. */
const FIELD_EXPRESSION = /^=\{\{\s*\$json((?:\.[A-Za-z_$][\w$]*)+)\s*\}\}$/;
/** Names n8n's expression sandbox treats specially: left to it. */
const RESERVED = new Set(['__proto__', 'prototype', 'constructor']);

/** The field path the parameter's expression names, or null when it is anything else. */
export function fieldPathOf(parameter: unknown): string[] | null {
	if (typeof parameter !== 'string') return null;
	const match = FIELD_EXPRESSION.exec(parameter);
	if (!match) return null;
	const path = match[1].slice(1).split('.');
	return path.some((key) => RESERVED.has(key)) ? null : path;
}

function fieldAt(json: unknown, path: readonly string[]): unknown {
	let value = json;
	for (const key of path) {
		if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, key)) {
			return undefined;
		}
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}
