'use strict';
// types.test.js - index.d.ts against TypeScript: types-check.ts (the
// calls the README shows, a RunOptions variable passed to run() among
// them) compiles with tsc --strict, and a call with the wrong types does
// not (so the check can fail).  tsc and @types/node come from npm
// (tools/install-deps installs them globally; SBX_TSC names another
// tsc); without them the test is skipped and says so.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');
const { tmpDir } = require('./helpers');

const PKG = 'libsandbox';

function globalRoot() {
	try {
		return execFileSync('npm', ['root', '-g'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
	} catch {
		return null;
	}
}

/* [tsc, the folder holding @types] or a reason why not. */
function findTypescript() {
	const root = globalRoot();
	const tsc = process.env.SBX_TSC ||
		[root && path.join(root, 'typescript', 'bin', 'tsc')]
			.find((p) => p && fs.existsSync(p));
	if (!tsc)
		return { why: 'TypeScript is not installed (npm install -g typescript @types/node, or SBX_TSC=path/to/tsc)' };
	const types = [path.join(path.dirname(path.dirname(path.dirname(tsc))), '@types'),
		root && path.join(root, '@types')].find((p) => p && fs.existsSync(path.join(p, 'node')));
	if (!types)
		return { why: '@types/node is not installed (npm install -g @types/node)' };
	return { tsc, types };
}

function compile(t, ts, source) {
	const dir = tmpDir('sbx-node-types-');
	const pkgdir = path.dirname(require.resolve(`${PKG}/package.json`));
	fs.mkdirSync(path.join(dir, 'node_modules'));
	fs.symlinkSync(pkgdir, path.join(dir, 'node_modules', PKG));
	fs.writeFileSync(path.join(dir, 'check.ts'), source);
	const r = spawnSync(process.execPath, [ts.tsc, '--noEmit', '--strict',
		'--target', 'es2022', '--module', 'commonjs', '--moduleResolution', 'node',
		'--typeRoots', ts.types, '--types', 'node', 'check.ts'],
	{ cwd: dir, encoding: 'utf8', timeout: 120000 });
	return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('index.d.ts: the documented calls type-check, wrong ones do not', { timeout: 240000 }, (t) => {
	const ts = findTypescript();
	if (ts.why) {
		t.skip(ts.why);
		return;
	}
	const good = fs.readFileSync(path.join(__dirname, 'types-check.ts'), 'utf8');
	const ok = compile(t, ts, good);
	assert.equal(ok.status, 0, ok.out);
	// run('echo', 'hi'): args is an array
	const bad = compile(t, ts, `import { run } from '${PKG}';\nrun('echo', 'hi');\n`);
	assert.notEqual(bad.status, 0, 'a string as args compiled');
	assert.match(bad.out, /TS2769|not assignable/);
});
