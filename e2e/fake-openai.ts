/**
 * A scripted stand-in for OpenAI's Chat Completions API, so the AI-agent example can run in a real
 * n8n without a model and without the internet. It is not a model: it follows one script.
 *
 * - A request whose messages hold no tool result yet: answer with one tool call to the first tool
 *   offered that takes a phone number (a parameter named like "phone" or "number"; else the first
 *   tool), filling every string parameter of its schema with --phone (so
 *   `$fromAI('phoneNumber', …)` receives the number).
 * - A request that holds a tool result: answer with text that quotes the tool result, so the
 *   checker can see the tool's output reached the agent's answer.
 *
 * Both plain and streamed (`stream: true`, server-sent events) answers. Every request body is
 * appended to --requests (JSON lines). Writes {url} to --info, runs until SIGTERM / SIGINT.
 *
 *   node --import tsx e2e/fake-openai.ts --info <file> --requests <file> [--phone "+44 7400 900100"]
 */
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

interface ToolSpec {
	type?: string;
	function?: { name?: string; parameters?: { properties?: Record<string, { type?: string }> } };
}
interface ChatRequest {
	model?: string;
	stream?: boolean;
	messages?: Array<{ role?: string; content?: unknown; tool_call_id?: string }>;
	tools?: ToolSpec[];
}

const { values } = parseArgs({
	options: {
		info: { type: 'string' },
		requests: { type: 'string' },
		phone: { type: 'string', default: '+44 7400 900100' },
	},
});
if (!values.info || !values.requests) throw new Error('--info and --requests are required');
const requestsFile = values.requests;
const phone = values.phone ?? '';
let calls = 0;

function reply(request: ChatRequest): { content: string | null; toolCalls: unknown[] | null } {
	const messages = request.messages ?? [];
	const toolResult = messages.filter((m) => m.role === 'tool').pop();
	if (toolResult) {
		const text =
			typeof toolResult.content === 'string'
				? toolResult.content
				: JSON.stringify(toolResult.content);
		return { content: `The lookup tool answered: ${text}`, toolCalls: null };
	}
	const tools = request.tools ?? [];
	const takesPhone = (t: ToolSpec) =>
		Object.keys(t.function?.parameters?.properties ?? {}).some((key) => /phone|number/i.test(key));
	const tool = tools.find(takesPhone) ?? tools[0];
	if (!tool?.function?.name) return { content: 'No tool was offered.', toolCalls: null };
	const args: Record<string, unknown> = {};
	for (const [key, schema] of Object.entries(tool.function.parameters?.properties ?? {})) {
		args[key] = schema.type === 'number' ? 1 : schema.type === 'boolean' ? false : phone;
	}
	calls++;
	return {
		content: null,
		toolCalls: [
			{
				id: `call_e2e_${calls}`,
				type: 'function',
				function: { name: tool.function.name, arguments: JSON.stringify(args) },
			},
		],
	};
}

function send(res: ServerResponse, request: ChatRequest): void {
	const { content, toolCalls } = reply(request);
	const id = `chatcmpl-e2e-${Date.now()}`;
	const created = Math.floor(Date.now() / 1000);
	const model = request.model ?? 'gpt-4o-mini';
	const finish = toolCalls ? 'tool_calls' : 'stop';
	const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };
	if (!request.stream) {
		const body = JSON.stringify({
			id,
			object: 'chat.completion',
			created,
			model,
			choices: [
				{
					index: 0,
					message: { role: 'assistant', content, ...(toolCalls ? { tool_calls: toolCalls } : {}) },
					finish_reason: finish,
				},
			],
			usage,
		});
		res.writeHead(200, { 'Content-Type': 'application/json' });
		res.end(body);
		return;
	}
	res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
	const chunk = (delta: unknown, finishReason: string | null, extra: object = {}) =>
		res.write(
			`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra })}\n\n`,
		);
	chunk({ role: 'assistant', content: toolCalls ? null : '' }, null);
	if (toolCalls) {
		chunk({ tool_calls: (toolCalls as object[]).map((call, index) => ({ index, ...call })) }, null);
	} else {
		chunk({ content }, null);
	}
	chunk({}, finish, { usage });
	res.end('data: [DONE]\n\n');
}

const server = createServer((req, res) => {
	const chunks: Buffer[] = [];
	req.on('data', (c: Buffer) => chunks.push(c));
	req.on('end', () => {
		const raw = Buffer.concat(chunks).toString('utf8');
		appendFileSync(
			requestsFile,
			JSON.stringify({ method: req.method, url: req.url, body: raw }) + '\n',
		);
		if (req.method === 'GET' && req.url?.endsWith('/models')) {
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(
				JSON.stringify({
					object: 'list',
					data: [{ id: 'gpt-4o-mini', object: 'model', owned_by: 'e2e' }],
				}),
			);
			return;
		}
		if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
			res.writeHead(404, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ error: { message: `fake-openai: no ${req.method} ${req.url}` } }));
			return;
		}
		let request: ChatRequest;
		try {
			request = JSON.parse(raw) as ChatRequest;
		} catch {
			res.writeHead(400, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ error: { message: 'fake-openai: body is not JSON' } }));
			return;
		}
		send(res, request);
	});
});

server.listen(0, '127.0.0.1', () => {
	const { port } = server.address() as AddressInfo;
	const info = { url: `http://127.0.0.1:${port}/v1` };
	writeFileSync(`${values.info}.tmp`, JSON.stringify(info));
	renameSync(`${values.info}.tmp`, values.info as string);
	console.log(`fake-openai listening on ${info.url}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
