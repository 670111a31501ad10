// The legs of n8n's community-package verification scan, run by e2e/scan/run.sh.
//
//   node e2e/scan/scan.mjs <scanner.mjs> <counts file> <leg>=<folder> [<leg>=<folder> ...]
//
// <scanner.mjs> is scanner/scanner.mjs of the pinned @n8n/scan-community-package install. A leg is
// "sources" (the package root: the scanner's SOURCE_FILE_PATTERNS) or "tarball" (the unpacked
// `npm pack`: **/*.js and package.json), as its analyzePackageByName lints them.
//
// Each leg is the scanner's own analyzePackage(folder, patterns): its config (buildScanConfig),
// its ESLint options, its file list, its verdict. analyzePackage hands back only a formatted
// report, so the ESLint results it lints are caught on their way out of ESLint#lintFiles (the
// same ESLint class the scanner imports) and printed one line a message:
//   <leg> <error|warning> <rule id> <file relative to the folder>:<line>:<col> <message>
// and written to <counts file> as "<leg> <errors> <warnings>", one line a leg.
// Exits 1 when a leg has an error, 2 when the scanner could not be loaded.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const [scannerFile, countsFile, ...legArgs] = process.argv.slice(2);
if (!scannerFile || !countsFile || legArgs.length === 0) {
	console.error('usage: node scan.mjs <scanner.mjs> <counts file> <leg>=<folder> ...');
	process.exit(2);
}

let scanner, ESLint;
try {
	scanner = await import(pathToFileURL(scannerFile).href);
	// The module the scanner's `import { ESLint } from 'eslint'` resolves to (CommonJS, so one
	// instance shared by import and require).
	({ ESLint } = createRequire(scannerFile)('eslint'));
} catch (error) {
	console.error(`cannot load the scanner ${scannerFile}:`, error);
	process.exit(2);
}

const PATTERNS = {
	sources: scanner.SOURCE_FILE_PATTERNS,
	// analyzePackageByName's tarball leg (not exported).
	tarball: ['**/*.js', 'package.json'],
};

let caught = [];
const lintFiles = ESLint.prototype.lintFiles;
ESLint.prototype.lintFiles = async function (...args) {
	const results = await lintFiles.apply(this, args);
	caught.push(...results);
	return results;
};

const oneLine = (text) =>
	String(text)
		.replace(/\s*\n\s*/g, ' ')
		.trim();

async function runLeg(leg, folder) {
	caught = [];
	const verdict = await scanner.analyzePackage(folder, PATTERNS[leg]);
	const results = caught;
	const lines = [];
	const byRule = new Map();
	let errors = 0;
	let warnings = 0;
	for (const result of [...results].sort((a, b) => a.filePath.localeCompare(b.filePath))) {
		const file = path.relative(folder, result.filePath);
		for (const m of result.messages) {
			const severity = m.severity === 2 ? 'error' : 'warning';
			const rule = m.ruleId ?? (m.fatal ? '(parse error)' : '(no rule)');
			if (severity === 'error') {
				errors++;
				byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
			} else {
				warnings++;
			}
			lines.push(
				`${leg} ${severity} ${rule} ${file}:${m.line ?? 0}:${m.column ?? 0} ${oneLine(m.message)}`,
			);
		}
	}
	// The scanner's verdict rules: a failure it reports without a lint error (an exception in
	// ESLint, say) is an error too, and so is any sign that the results caught are not the ones
	// it judged (then a clean count here would mean nothing).
	const scannerError = (why) => {
		errors++;
		byRule.set('(scanner)', (byRule.get('(scanner)') ?? 0) + 1);
		lines.push(`${leg} error (scanner) .:0:0 ${oneLine(why)}`);
	};
	if (!verdict.passed && errors === 0) {
		scannerError(verdict.message ?? 'analyzePackage failed without a message');
	} else if (verdict.passed && errors > 0) {
		scannerError('analyzePackage passed, yet the ESLint results caught hold errors');
	}
	if (results.length === 0 && verdict.message !== 'No files found to analyze') {
		scannerError("no ESLint results caught from ESLint#lintFiles (is this the scanner's ESLint?)");
	}
	for (const line of lines) console.log(line);
	const rules = [...byRule].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
	console.log(
		`${leg}: ${errors} errors, ${warnings} warnings in ${results.length} files linted (${folder})` +
			(verdict.message && verdict.passed ? ` - ${verdict.message}` : ''),
	);
	for (const [rule, count] of rules) console.log(`${leg}:   ${String(count).padStart(4)} ${rule}`);
	return { errors, warnings };
}

let failed = false;
for (const arg of legArgs) {
	const eq = arg.indexOf('=');
	const leg = arg.slice(0, eq);
	const folder = path.resolve(arg.slice(eq + 1));
	if (eq < 0 || !(leg in PATTERNS)) {
		console.error(`unknown leg "${arg}": use sources=<folder> or tarball=<folder>`);
		process.exit(2);
	}
	const { errors, warnings } = await runLeg(leg, folder);
	fs.appendFileSync(countsFile, `${leg} ${errors} ${warnings}\n`);
	if (errors > 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
