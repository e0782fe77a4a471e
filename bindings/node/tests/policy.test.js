'use strict';
// policy.test.js - policies from Node: options.preset and options.policy
// (a file or an object) under the other options, the switches of the
// policy issue (allowDegraded, require, readOnly, allowSetid),
// sandbox.policy() and sandbox.explain(), and the result's degraded
// fields.  Every run is real; what a policy allows shows where it lands
// (the host's side of a socket, a file in a workspace).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const sandbox = require('libsandbox');
const { run, spawn, Sandbox, SandboxError } = sandbox;
const { tmpDir, listener, withoutUserns, policyOf } = require('./helpers');

const PY = '/usr/bin/python3';
const hasPython = fs.existsSync(PY);

/* A directory of this test, readable by a root caller's sandbox. */
function dir(t) {
	const d = tmpDir('sbx-node-policy-');
	fs.chmodSync(d, 0o755);
	t.after(() => fs.rmSync(d, { recursive: true, force: true }));
	return d;
}

function writePolicy(d, doc, name = 'policy.json') {
	const file = path.join(d, name);
	fs.writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
	return file;
}

test('a bad policy rejects with EINVAL and the library\'s message (key and line)', async (t) => {
	// an object: serialized one key a line, so "netwrok" is on line 3
	await assert.rejects(run('true', { policy: { version: 1, netwrok: 'host' } }), (err) => {
		assert.ok(err instanceof SandboxError);
		assert.equal(err.code, 'EINVAL');
		assert.equal(err.errno, -22);
		assert.match(err.message, /:3: netwrok: unknown key; did you mean "network"/);
		return true;
	});
	// a file: its path and the line
	const file = writePolicy(dir(t), '{\n  "limits": {\n    "memroy": "1G"\n  }\n}\n');
	await assert.rejects(run('true', { policy: file }),
		{ code: 'EINVAL', message: new RegExp(`^${file}:3: limits\\.memroy: unknown key`) });
	await assert.rejects(run('true', { policy: { limits: { memory: '12Q' } } }),
		{ code: 'EINVAL', message: /limits\.memory: "12Q" is not a size/ });
	await assert.rejects(run('true', { policy: path.join(path.dirname(file), 'nope.json') }),
		{ code: 'ENOENT', message: /nope\.json/ });
	await assert.rejects(run('true', { preset: 'lax' }), { code: 'EINVAL', message: /unknown preset/ });
	await assert.rejects(run('true', { require: ['moat'] }), { code: 'EINVAL', message: /unknown layer "moat"/ });
	// spawn(): the result rejects; new Sandbox(): throws at once
	await assert.rejects(spawn('true', { policy: { netwrok: 1 } }).result, { code: 'EINVAL', message: /netwrok/ });
	assert.throws(() => new Sandbox({ policy: { netwrok: 1 } }),
		(err) => err instanceof SandboxError && err.code === 'EINVAL' && /:2: netwrok/.test(err.message));
	// options that cannot be right are argument errors, as elsewhere
	await assert.rejects(run('true', { policy: 42 }), { code: 'ERR_INVALID_ARG_TYPE' });
	await assert.rejects(run('true', { policy: new Map() }), { code: 'ERR_INVALID_ARG_TYPE' });
	await assert.rejects(run('true', { require: [1] }), { code: 'ERR_INVALID_ARG_TYPE' });
	await assert.rejects(run('true', { policy: { x: 1n } }), { code: 'ERR_INVALID_ARG_VALUE' });
	// the library's rule: a writable mode needs a workspace
	await assert.rejects(run('true', { preset: 'build', writable: true }),
		{ name: 'SandboxError', code: 'EINVAL', message: /^options\.writable: .*needs a workspace/ });
});

test('a policy file\'s wall limit ends a run; an explicit timeout wins', async (t) => {
	const file = writePolicy(dir(t), { limits: { wall: '1s', pids: 77 } });
	let r = await run('sleep', ['60'], { policy: file });
	assert.equal(r.status, 'timeout');
	assert.ok(r.wallTimeMs < 30000, `${r.wallTimeMs} ms`);
	assert.equal(r.limits.wall_ms.value, 1000);
	assert.equal(r.limits.pids.value, 77);
	r = await run('sleep', ['2'], { policy: file, timeout: 60000 });
	assert.equal(r.status, 'exited');
	const sb = new Sandbox({ policy: file });
	t.after(() => sb.close());
	assert.equal((await sb.run('sleep', ['60'])).status, 'timeout');
	assert.equal((await sb.run('sleep', ['2'], { timeout: 60000 })).status, 'exited');
	// a run with options of its own keeps the Sandbox's policy
	r = await sb.run('sleep', ['60'], { memory: '100M' });
	assert.equal(r.status, 'timeout');
	assert.equal(r.limits.pids.value, 77);
	assert.equal(r.limits.memory.value, 100 << 20);
	// with an explicit Sandbox timeout, that is the default
	const sb2 = new Sandbox({ policy: file, timeout: 60000 });
	t.after(() => sb2.close());
	assert.equal((await sb2.run('sleep', ['2'])).status, 'exited');
});

test('network from a policy object reaches a host listener; the default and an explicit override do not', { skip: !hasPython && 'no python3' }, async (t) => {
	const srv = await listener(t);
	const policy = { network: 'host', limits: { memory: '300M' } };
	let r = await run(PY, ['-c', srv.probe], { policy, timeout: 60000 });
	assert.equal(r.exitCode, 0, r.stderr);
	assert.deepEqual(await srv.settle(), ['from-the-sandbox']);
	assert.equal(r.limits.memory.value, 300 << 20);
	assert.ok(!r.layers.includes('netns'));

	r = await run(PY, ['-c', srv.probe], { timeout: 60000 });
	assert.notEqual(r.exitCode, 0);
	assert.match(r.stderr, /ConnectionRefusedError/);
	assert.deepEqual(await srv.settle(), []);

	r = await run(PY, ['-c', srv.probe], { policy, network: 'none', memory: '200M', timeout: 60000 });
	assert.notEqual(r.exitCode, 0);
	assert.deepEqual(await srv.settle(), []);
	assert.equal(r.limits.memory.value, 200 << 20);
	assert.ok(r.layers.includes('netns'));
});

test('preset strict: no socket() inside', { skip: !hasPython && 'no python3' }, async () => {
	const probe = `import socket
for make in (lambda: socket.socket(socket.AF_INET),
             lambda: socket.socket(socket.AF_UNIX),
             lambda: socket.socketpair()):
    try:
        make()
        print('made')
    except OSError as e:
        print(type(e).__name__)
`;
	let r = await run(PY, ['-c', probe], { preset: 'strict', timeout: 60000 });
	assert.equal(r.exitCode, 0, r.stderr);
	assert.deepEqual(r.stdout.split(/\s+/).filter(Boolean), Array(3).fill('PermissionError'));
	assert.ok(r.layers.includes('read-only'));
	assert.equal(r.limits.memory.value, 512 << 20);
	// the probe is real: it makes sockets where they are allowed
	r = await run(PY, ['-c', probe], { timeout: 60000 });
	assert.deepEqual(r.stdout.split(/\s+/).filter(Boolean), Array(3).fill('made'));
});

test('sandbox.policy() round-trips; options override the policy', async (t) => {
	const d = dir(t);
	fs.mkdirSync(path.join(d, 'ws'));
	const file = writePolicy(d, {
		preset: 'build',
		workspace: { path: 'ws', mode: 'rw' }, // relative to the file
		env: { FROM_POLICY: '1', PASSED: null },
		limits: { wall: 7, memory: '300M' },
		seccomp: { deny: [{ name: 'mknod', errno: 'EACCES' }] },
		require: ['pidns'],
	});
	const sb = new Sandbox({ policy: file, memory: '200M', env: { OPT: '2' }, require: ['netns'], singleId: true });
	t.after(() => sb.close());
	const doc = sb.policy();
	assert.deepEqual(doc.workspace, { path: fs.realpathSync(path.join(d, 'ws')), mode: 'rw' });
	assert.equal(doc.limits.memory, '200M');
	assert.equal(doc.limits.wall, 7);
	assert.equal(doc.limits.pids, 2048); // the preset's
	assert.equal(doc.env.FROM_POLICY, '1');
	assert.equal(doc.env.PASSED, null);
	assert.equal(doc.env.OPT, '2');
	assert.deepEqual([...doc.require].sort(), ['netns', 'pidns']);
	assert.equal(doc.single_id, true);
	assert.deepEqual(doc.seccomp.deny, [{ name: 'mknod', errno: 'EACCES' }]);
	// the exported document gives the same policy, as an object or a file
	assert.deepEqual(policyOf({ policy: doc }), doc);
	assert.deepEqual(policyOf({ policy: writePolicy(d, doc, 'again.json') }), doc);
	// without a policy: the options, and the library's wall limit
	const plain = policyOf({ timeout: 5000, network: 'host' });
	assert.equal(plain.limits.wall, 5);
	assert.equal(plain.network, 'host');
	assert.equal(policyOf().limits.wall, 3600);
	assert.deepEqual(policyOf({ policy: plain }), plain);

	const flags = { network: 'host', read_only: true, single_id: true, allow_degraded: true, limits: { pids: 99 } };
	let got = policyOf({ policy: flags });
	assert.deepEqual([got.network, got.read_only, got.single_id, got.allow_degraded, got.limits.pids],
		['host', true, true, true, 99]);
	got = policyOf({
		policy: flags, network: 'none', readOnly: false, singleId: false,
		allowDegraded: false, allowSetid: true, pids: 7,
	});
	assert.deepEqual([got.network, got.read_only, got.single_id, got.allow_degraded, got.allow_setid, got.limits.pids],
		['none', false, false, false, true, 7]);
	// the preset first, then the document
	got = policyOf({ policy: { limits: { pids: 5 } }, preset: 'strict' });
	assert.deepEqual([got.limits.pids, got.read_only], [5, true]);
});

test('sandbox.explain(): paths and system calls', () => {
	const sb = new Sandbox();
	const passwd = sb.explain('/etc/passwd');
	assert.equal(passwd.kind, 'path');
	assert.equal(passwd.read, true);
	assert.equal(passwd.write, false);
	assert.ok(passwd.rule);
	const ptrace = sb.explain('ptrace');
	assert.equal(ptrace.kind, 'syscall');
	assert.equal(ptrace.action, 'deny');
	assert.equal(sb.explain('socket').action, 'conditional');
	assert.equal(sb.explain('socket').errno, 'EAFNOSUPPORT');
	const strict = new Sandbox({ preset: 'strict' });
	assert.equal(strict.explain('socket').action, 'deny');
	assert.equal(strict.explain('/tmp').write, false);
	assert.equal(new Sandbox({ policy: { seccomp: { allow: ['ptrace'] } } }).explain('ptrace').action, 'allow');
	for (const bad of ['etc/passwd', 'no_such_syscall', ''])
		assert.throws(() => sb.explain(bad), { name: 'SandboxError', code: 'EINVAL' }, bad);
	assert.throws(() => sb.explain(42), { code: 'ERR_INVALID_ARG_TYPE' });
	sb.close();
	assert.throws(() => sb.policy(), { code: 'EBADF' });
});

test('a policy workspace, and writable without a workspace of its own', async (t) => {
	const d = dir(t);
	const ws = path.join(d, 'ws');
	fs.mkdirSync(ws, { mode: 0o777 });
	fs.chmodSync(ws, 0o777);
	fs.writeFileSync(path.join(ws, 'in.txt'), 'from the workspace');
	const file = writePolicy(d, { workspace: 'ws' });
	let r = await run('sh', ['-c', 'cat in.txt; echo x > out.txt'], { policy: file });
	assert.equal(r.stdout, 'from the workspace');
	assert.notEqual(r.exitCode, 0);
	assert.ok(!fs.existsSync(path.join(ws, 'out.txt')));
	r = await run('sh', ['-c', 'echo x > out.txt'], { policy: file, writable: true });
	assert.equal(r.exitCode, 0, r.stderr);
	assert.ok(fs.existsSync(path.join(ws, 'out.txt')));
	// a Sandbox's runs: the mode over the policy's, in the run's options too
	const rw = writePolicy(d, { workspace: { path: 'ws', mode: 'rw' } }, 'rw.json');
	const sb = new Sandbox({ policy: rw, writable: false });
	t.after(() => sb.close());
	r = await sb.run('sh', ['-c', 'echo y > ro.txt']);
	assert.notEqual(r.exitCode, 0);
	r = await sb.run('sh', ['-c', 'echo y > live.txt'], { writable: 'live' });
	assert.equal(r.exitCode, 0, r.stderr);
	assert.ok(!fs.existsSync(path.join(ws, 'ro.txt')));
	assert.ok(fs.existsSync(path.join(ws, 'live.txt')));
	// read-only without any workspace is nothing to do
	assert.equal((await run('true', { writable: false })).exitCode, 0);
});

test('require, readOnly, allowSetid, allowDegraded', async () => {
	let r = await run('true', { require: ['netns', 'seccomp'] });
	assert.equal(r.exitCode, 0);
	assert.ok(r.layers.includes('netns'));
	await assert.rejects(run('true', { network: 'host', require: ['netns'] }), (err) => {
		assert.ok(err instanceof SandboxError);
		assert.equal(err.step, 'require');
		assert.match(err.message, /requires the layer netns/);
		assert.equal(err.result.status, 'setup_error');
		return true;
	});
	// the policy's network with the option's require; a string is one name
	await assert.rejects(run('true', { policy: { network: 'host' }, require: 'netns' }), { step: 'require' });

	r = await run('sh', ['-c', 'echo x > /tmp/f'], { readOnly: true });
	assert.notEqual(r.exitCode, 0);
	assert.match(r.stderr, /Read-only/);
	assert.ok(r.layers.includes('read-only'));
	r = await run('sh', ['-c', 'echo x > /tmp/f'], { policy: { read_only: true }, readOnly: false });
	assert.equal(r.exitCode, 0, r.stderr);

	r = await run('true', { allowSetid: true });
	assert.ok(r.layers.includes('caps:setid'));
	assert.ok(!(await run('true')).layers.includes('caps:setid'));

	// namespaces work here: the opt-in changes nothing
	r = await run('true', { allowDegraded: true });
	assert.equal(r.degraded, false);
	assert.equal(r.degradedReason, null);
	assert.equal(r.degradedNotHidden, null);
	assert.ok(r.layers.some((l) => l.startsWith('userns')));
});

test('allowTrustedPaths: a writable workspace withholds .git/config unless allowed', async (t) => {
	const d = dir(t);
	fs.mkdirSync(path.join(d, '.git'));
	const config = path.join(d, '.git', 'config');
	fs.writeFileSync(config, '[core]\n');
	const script = "echo '# x' >> .git/config; echo new > README";
	let r = await run('sh', ['-c', script], { workspace: d, writable: true });
	assert.equal(r.exitCode, 0, r.stderr);
	assert.deepEqual(r.withheld, ['.git/config']);
	assert.match(r.message, /allow_trusted_paths/);
	assert.equal(fs.readFileSync(config, 'utf8'), '[core]\n');
	assert.equal(fs.readFileSync(path.join(d, 'README'), 'utf8'), 'new\n');
	r = await run('sh', ['-c', script], { workspace: d, writable: true, allowTrustedPaths: true });
	assert.deepEqual(r.withheld, []);
	assert.equal(fs.readFileSync(config, 'utf8'), '[core]\n# x\n');
});

/* Runs in a child where user namespaces are disabled (nouserns.py, with
 * the system's python3); prints one JSON line per case. */
const DEGRADED_PROBE = `
const { run } = require('libsandbox');
(async () => {
	const cases = [{}, { allowDegraded: true }, { policy: { allow_degraded: true } },
		{ allowDegraded: true, require: ['netns'] }];
	for (const opts of cases) {
		try {
			const r = await run('sh', ['-c', 'echo ran'], { timeout: 60000, ...opts });
			console.log(JSON.stringify({ stdout: r.stdout, degraded: r.degraded,
				reason: r.degradedReason, layers: r.layers,
				notHidden: r.degradedNotHidden }));
		} catch (err) {
			console.log(JSON.stringify({ step: err.step, code: err.code, error: err.message }));
		}
	}
})();
`;

test('allowDegraded for real, on a host without user namespaces', { timeout: 300000 }, async (t) => {
	const lines = await withoutUserns(t, DEGRADED_PROBE);
	if (!lines)
		return;
	const [refused, degraded, byPolicy, required] = lines;
	assert.equal(refused.step, 'namespaces');
	assert.equal(refused.code, 'ENOSPC');
	assert.match(refused.error, /max_user_namespaces/);
	assert.match(refused.error, /allow-degraded/);
	if (degraded.step === 'degraded') {
		t.skip(`degraded runs refuse here: ${degraded.error}`);
		return;
	}
	assert.equal(degraded.stdout, 'ran\n', JSON.stringify(degraded));
	assert.equal(degraded.degraded, true);
	assert.match(degraded.reason, /max_user_namespaces/);
	for (const ns of ['userns', 'pidns', 'netns'])
		assert.ok(!degraded.layers.some((l) => l.startsWith(ns)), degraded.layers.join(' '));
	assert.ok(degraded.layers.some((l) => l.startsWith('landlock')));
	assert.ok(degraded.notHidden.some((w) => w.includes('command lines')), JSON.stringify(degraded));
	assert.equal(byPolicy.degraded, true);
	assert.equal(required.step, 'require');
	assert.match(required.error, /netns/);
});
