/**
 * What .github/workflows/ci.yml and publish.yml must do, checked without GitHub: the maintained
 * linter action-validator (schema: keys, types, expressions, `needs`), then the steps that matter.
 * Each function returns the problems found, in words; none means the file is right.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

export const REPO_DIR = join(__dirname, '..', '..');
const VALIDATOR = join(REPO_DIR, 'node_modules', '.bin', 'action-validator');

interface Step {
	name?: string;
	uses?: string;
	run?: string;
	'working-directory'?: string;
	with?: Record<string, unknown>;
	env?: Record<string, unknown>;
}
interface Job {
	'runs-on'?: unknown;
	container?: unknown;
	needs?: string | string[];
	permissions?: Record<string, string> | string;
	strategy?: { matrix?: Record<string, unknown> };
	steps?: Step[];
}
interface Workflow {
	on?: Record<string, unknown>;
	permissions?: Record<string, string> | string;
	jobs?: Record<string, Job>;
}

/** action-validator's verdict: exit 0, or its JSON errors as text. */
export function lint(file: string): string[] {
	const result = spawnSync(VALIDATOR, [file], { encoding: 'utf8' });
	if (result.error) return [`action-validator did not run: ${result.error.message}`];
	if (result.status === 0) return [];
	return [
		`action-validator (exit ${result.status}): ${(result.stdout + result.stderr).trim().slice(0, 600)}`,
	];
}

/** The workflow as data; a file that is not YAML reads as an empty workflow (the linter says why). */
function read(file: string): Workflow {
	try {
		return (parse(readFileSync(file, 'utf8')) as Workflow | null) ?? {};
	} catch {
		return {};
	}
}

const runs = (step: Step, command: RegExp) =>
	typeof step.run === 'string' && command.test(step.run);
const NPM_CI = /(^|\n)\s*npm ci\b/;
const NPM_TEST = /(^|\n)\s*npm test\b/;
const NPM_PUBLISH = /(^|\n)\s*npm publish\b/;
const DEBIAN_PACKAGES = ['redis-server', 'postgresql', 'chromium'];

/** Problems of a job that must run the tests: packages, `npm ci`, then `npm test`. */
function testJobProblems(name: string, job: Job): string[] {
	const problems: string[] = [];
	const steps = job.steps ?? [];
	const apt = steps
		.filter((s) => runs(s, /apt-get install/))
		.map((s) => s.run)
		.join('\n');
	const missing = DEBIAN_PACKAGES.filter((p) => !new RegExp(`\\b${p}\\b`).test(apt));
	if (missing.length > 0) problems.push(`job ${name}: apt-get install lacks ${missing.join(', ')}`);
	const install = steps.findIndex((s) => runs(s, NPM_CI));
	const test = steps.findIndex((s) => runs(s, NPM_TEST));
	if (install < 0) problems.push(`job ${name}: no "npm ci" step`);
	if (test < 0) problems.push(`job ${name}: no "npm test" step`);
	else if (install > test) problems.push(`job ${name}: "npm test" runs before "npm ci"`);
	const setupNode = steps.findIndex((s) => s.uses?.startsWith('actions/setup-node@'));
	if (setupNode < 0 || (test >= 0 && setupNode > test))
		problems.push(`job ${name}: no actions/setup-node before the tests`);
	return problems;
}

export function ciProblems(file: string): string[] {
	const problems = lint(file);
	const workflow = read(file);
	const on = workflow.on ?? {};
	if (!('pull_request' in on) || !('push' in on))
		problems.push('ci: must run on push and pull_request');
	const jobs = Object.entries(workflow.jobs ?? {});
	const testing = jobs.filter(([, job]) => (job.steps ?? []).some((s) => runs(s, NPM_TEST)));
	if (testing.length === 0) problems.push('ci: no job runs "npm test"');
	for (const [name, job] of testing) {
		problems.push(...testJobProblems(name, job));
		const versions = (job.strategy?.matrix?.['node-version'] ?? []) as unknown[];
		const missing = ['20', '24'].filter((v) => !versions.map(String).includes(v));
		if (missing.length > 0)
			problems.push(`ci job ${name}: the node-version matrix lacks ${missing.join(', ')}`);
		const setupNode = (job.steps ?? []).find((s) => s.uses?.startsWith('actions/setup-node@'));
		if (String(setupNode?.with?.['node-version'] ?? '') !== '${{ matrix.node-version }}')
			problems.push(`ci job ${name}: setup-node does not use matrix.node-version`);
	}
	return problems;
}

/** The jobs `name` waits for, directly or not. */
function upstream(jobs: Record<string, Job>, name: string, seen = new Set<string>()): Set<string> {
	const needs = jobs[name]?.needs;
	for (const need of typeof needs === 'string' ? [needs] : (needs ?? [])) {
		if (seen.has(need)) continue;
		seen.add(need);
		upstream(jobs, need, seen);
	}
	return seen;
}

function permission(workflow: Workflow, job: Job, scope: string): string | undefined {
	const granted = job.permissions ?? workflow.permissions;
	if (typeof granted === 'string') return granted === 'write-all' ? 'write' : undefined;
	return granted?.[scope];
}

/** Runs the `run` of the first step matching `pattern` as bash in `cwd`: did it pass? null: no such step. */
export function stepPasses(
	file: string,
	pattern: RegExp,
	env: Record<string, string>,
	cwd = REPO_DIR,
): boolean | null {
	const steps = Object.values(read(file).jobs ?? {}).flatMap((job) => job.steps ?? []);
	const step = steps.find((s) => runs(s, pattern));
	if (!step?.run) return null;
	const result = spawnSync('bash', ['-e', '-c', step.run], {
		cwd,
		env: { ...process.env, ...env },
		encoding: 'utf8',
	});
	return result.status === 0;
}

const TAG_CHECK = /GITHUB_REF_NAME[\s\S]*package\.json|package\.json[\s\S]*GITHUB_REF_NAME/;
const REPOSITORY_CHECK = /GITHUB_REPOSITORY/;

/** Every package this repository ships, by folder: each is published from one tag. */
export const PUBLISHED_FOLDERS = ['.', 'packages/queue-mode', 'node-red'];

/** A folder holding only the packages' package.json files (one per published folder) with these fields. */
function packageFolder(fields: Record<string, unknown>): string {
	const dir = mkdtempSync(join(tmpdir(), 'npl-package-'));
	for (const folder of PUBLISHED_FOLDERS) {
		mkdirSync(join(dir, folder), { recursive: true });
		writeFileSync(join(dir, folder, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0', ...fields }));
	}
	return dir;
}

/** The repository check, run for real: accepts package.json naming the repository, refuses others. */
function repositoryCheckProblems(file: string): string[] {
	const env = { GITHUB_REPOSITORY: 'owner/repo' };
	const right = packageFolder({
		repository: { type: 'git', url: 'git+https://github.com/owner/repo.git' },
	});
	const none = packageFolder({});
	const other = packageFolder({ repository: 'https://github.com/someone/else' });
	try {
		const problems: string[] = [];
		if (stepPasses(file, REPOSITORY_CHECK, env, right) !== true)
			problems.push(
				'publish: the repository check refuses a package.json that names this repository',
			);
		if (
			stepPasses(file, REPOSITORY_CHECK, env, none) !== false ||
			stepPasses(file, REPOSITORY_CHECK, env, other) !== false
		)
			problems.push(
				'publish: the repository check lets a package.json without this repository through',
			);
		return problems;
	} finally {
		for (const dir of [right, none, other]) rmSync(dir, { recursive: true, force: true });
	}
}

export function publishProblems(file: string, version: string): string[] {
	const problems = lint(file);
	const workflow = read(file);
	const jobs = workflow.jobs ?? {};
	const push = (workflow.on?.push ?? {}) as { tags?: string[]; branches?: unknown };
	const tags = push.tags ?? [];
	if (tags.length === 0 || !tags.every((t) => t.startsWith('v')) || push.branches !== undefined)
		problems.push(
			`publish: must run on pushed version tags (v*) only, has ${JSON.stringify(workflow.on)}`,
		);
	const publishing = Object.entries(jobs).filter(([, job]) =>
		(job.steps ?? []).some((s) => runs(s, NPM_PUBLISH)),
	);
	if (publishing.length === 0) problems.push('publish: no job runs "npm publish"');
	// Every package, from its own folder, by some job (the n8n packages together, Node-RED's apart).
	const published = publishing.flatMap(([, job]) =>
		(job.steps ?? []).filter((s) => runs(s, NPM_PUBLISH)).map((s) => s['working-directory'] ?? '.'),
	);
	for (const folder of PUBLISHED_FOLDERS.filter((f) => !published.includes(f)))
		problems.push(`publish: ${folder} is never published`);
	for (const [name, job] of publishing) {
		const steps = job.steps ?? [];
		const at = steps.findIndex((s) => runs(s, NPM_PUBLISH));
		const publishSteps = steps.filter((s) => runs(s, NPM_PUBLISH));
		for (const publish of publishSteps) {
			const where = publish['working-directory'] ?? '.';
			if (!runs(publish, /npm publish\b[^\n]*--provenance/))
				problems.push(`publish (${where}): "npm publish" without --provenance`);
			if (!runs(publish, /npm publish\b[^\n]*--access public/))
				problems.push(`publish (${where}): "npm publish" without --access public`);
			if (!/secrets\.NPM_TOKEN/.test(String(publish.env?.NODE_AUTH_TOKEN ?? '')))
				problems.push(`publish (${where}): NODE_AUTH_TOKEN is not taken from secrets.NPM_TOKEN`);
		}
		if (permission(workflow, job, 'id-token') !== 'write')
			problems.push(`publish job ${name}: no "id-token: write"`);
		if (permission(workflow, job, 'contents') !== 'read')
			problems.push(`publish job ${name}: "contents" is not read-only`);
		const setupNode = steps.slice(0, at).find((s) => s.uses?.startsWith('actions/setup-node@'));
		if (!String(setupNode?.with?.['registry-url'] ?? '').startsWith('https://registry.npmjs.org'))
			problems.push(
				`publish job ${name}: setup-node has no registry-url https://registry.npmjs.org`,
			);
		if (!steps.slice(0, at).some((s) => runs(s, NPM_CI)))
			problems.push(`publish job ${name}: no "npm ci" before publishing`);
		// The tests: earlier in this job, or in a job it waits for.
		const tested = [...upstream(jobs, name)].filter((n) =>
			(jobs[n]?.steps ?? []).some((s) => runs(s, NPM_TEST)),
		);
		const testedHere = steps.slice(0, at).some((s) => runs(s, NPM_TEST));
		if (!testedHere && tested.length === 0)
			problems.push(`publish job ${name}: publishes without running "npm test" first`);
		for (const n of tested) problems.push(...testJobProblems(n, jobs[n]));
	}
	if (stepPasses(file, TAG_CHECK, { GITHUB_REF_NAME: `v${version}` }) !== true)
		problems.push(`publish: the tag check refuses v${version}, the version in package.json`);
	if (stepPasses(file, TAG_CHECK, { GITHUB_REF_NAME: `v${version}-not-this` }) !== false)
		problems.push("publish: the tag check lets a tag that is not package.json's version through");
	problems.push(...repositoryCheckProblems(file));
	return problems;
}
