'use strict';
// pack.test.js - `npm pack` makes a tarball of the package folder that
// `npm install ./libsandbox-*.tgz` installs offline into a fresh project,
// where `require('libsandbox')` works (without NODE_PATH) and runs programs.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync, execFile } = require('node:child_process');
const { tmpDir } = require('./helpers');

function which(cmd) {
	for (const dir of (process.env.PATH || '').split(':')) {
		const p = path.join(dir, cmd);
		try {
			fs.accessSync(p, fs.constants.X_OK);
			return p;
		} catch {}
	}
	return null;
}

test('npm pack, npm install offline into a fresh project, require', { timeout: 180000 }, async (t) => {
	const npm = which('npm');
	if (!npm) {
		t.skip('npm is not installed');
		return;
	}
	const pkgdir = path.dirname(require.resolve('libsandbox/package.json'));
	const work = tmpDir('sbx-node-pack-');
	// npm must not reach for a registry, nor touch the user's cache
	const env = {
		...process.env,
		npm_config_cache: path.join(work, 'cache'),
		npm_config_offline: 'true',
		npm_config_audit: 'false',
		npm_config_fund: 'false',
		npm_config_update_notifier: 'false',
		npm_config_loglevel: 'error',
		NODE_PATH: '',
	};
	const npmRun = (args, cwd) => execFileSync(npm, args, { cwd, env, encoding: 'utf8', timeout: 120000 });

	const packed = JSON.parse(npmRun(['pack', '--json', '--pack-destination', work, pkgdir], work));
	const files = packed[0].files.map((f) => f.path).sort();
	assert.deepEqual(files, ['README.md', '_sandbox.node', 'index.d.ts', 'index.js', 'package.json']);
	const tgz = path.join(work, packed[0].filename);
	assert.match(packed[0].filename, /^libsandbox-\d+\.\d+\.\d+\.tgz$/);

	const project = path.join(work, 'project');
	fs.mkdirSync(project);
	fs.writeFileSync(path.join(project, 'package.json'),
		JSON.stringify({ name: 'fresh-project', version: '1.0.0', private: true }));
	npmRun(['install', '--no-save', tgz], project);
	assert.ok(fs.existsSync(path.join(project, 'node_modules/libsandbox/_sandbox.node')));

	const script = "require('libsandbox').run('echo', ['installed and running'])" +
		'.then((r) => console.log(r.stdout.trim(), r.status))';
	const out = await new Promise((resolve, reject) => {
		execFile(process.execPath, ['-e', script], { cwd: project, env, timeout: 60000 },
			(err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(stdout)));
	});
	assert.equal(out.trim(), 'installed and running exited');
	fs.rmSync(work, { recursive: true, force: true });
});
