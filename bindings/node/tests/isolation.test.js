'use strict';
// isolation.test.js - limits and isolation surface in the results: the
// memory limit ends a memory bomb with reason "memory"; there is no
// network (not even the host's loopback or its abstract sockets); the
// caller's environment and files are not visible.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { run } = require('libsandbox');

test('a memory bomb ends with reason memory', async (t) => {
	const probe = await run('true', { memory: '64M' });
	const mech = probe.limits.memory.mechanism;
	// Only a memory cgroup limits the sandbox as a whole and reports it;
	// "rlimit" limits each process (allocations fail instead), "none"
	// nothing.
	if (!mech.startsWith('cgroup')) {
		t.skip(`no memory cgroup here: limits.memory.mechanism is "${mech}"`);
		return;
	}
	// doubles a shell string until the limit stops it
	const r = await run('sh', ['-c', 'x=0123456789abcdef; while :; do x="$x$x"; done'],
		{ memory: '64M', timeout: 60000 });
	assert.equal(r.status, 'memory_limit', JSON.stringify(r));
	assert.equal(r.reason, 'memory');
	assert.equal(r.limits.memory.fired, true);
	assert.ok(r.peakMemoryBytes <= 128 << 20, `peak ${r.peakMemoryBytes}`);
});

test('no network: only lo, no route, no host loopback, no host abstract sockets', async (t) => {
	let r = await run('cat', ['/proc/net/dev']);
	const ifaces = r.stdout.split('\n').slice(2).filter(Boolean).map((l) => l.split(':')[0].trim());
	assert.deepEqual(ifaces, ['lo']);
	r = await run('cat', ['/proc/net/route']);
	assert.equal(r.stdout.trim().split('\n').length, 1, 'only the header: no route');

	// a service on the host's loopback and an abstract unix socket
	const connections = [];
	const tcp = net.createServer((c) => { connections.push('tcp'); c.destroy(); });
	await new Promise((resolve) => tcp.listen(0, '127.0.0.1', resolve));
	const name = `sbx-node-test-${process.pid}`;
	const abs = net.createServer((c) => { connections.push('unix'); c.destroy(); });
	await new Promise((resolve) => abs.listen(`\0${name}`, resolve));
	const probe = `
		import socket
		for fam, addr in ((socket.AF_INET, ("127.0.0.1", ${tcp.address().port})),
		                  (socket.AF_UNIX, "\\0${name}")):
		    s = socket.socket(fam, socket.SOCK_STREAM)
		    s.settimeout(3)
		    try:
		        s.connect(addr)
		        print("CONNECTED")
		    except OSError as e:
		        print("refused", e.errno)
	`.replace(/^\t\t/gm, '');
	try {
		r = await run('python3', ['-c', probe], { timeout: 20000 });
	} catch (err) {
		if (err.code !== 'ENOENT')
			throw err;
		t.skip('python3 is not installed');
		return;
	} finally {
		tcp.close();
		abs.close();
	}
	assert.equal(r.exitCode, 0, r.stderr);
	assert.doesNotMatch(r.stdout, /CONNECTED/);
	assert.equal(r.stdout.split('\n').filter((l) => l.startsWith('refused')).length, 2, r.stdout);
	assert.deepEqual(connections, []);
});

test('network: "host" is an explicit opt-in', async () => {
	const r = await run('cat', ['/proc/net/dev'], { network: 'host' });
	const ifaces = r.stdout.split('\n').slice(2).filter(Boolean).map((l) => l.split(':')[0].trim());
	assert.ok(ifaces.includes('lo'));
	assert.ok(!r.layers.includes('netns'));
});

test('the caller\'s environment is not visible, also not through /proc/1/environ', async () => {
	process.env.SBX_NODE_SECRET = 'hunter2-node-secret';
	process.env.AWS_SECRET_ACCESS_KEY = 'not-a-real-key-but-secret';
	let r = await run('env');
	assert.equal(r.exitCode, 0);
	const names = r.stdout.trim().split('\n').map((l) => l.split('=')[0]).sort();
	assert.deepEqual(names, ['HOME', 'LANG', 'PATH', 'TERM', 'TMPDIR']);
	assert.doesNotMatch(r.stdout, /hunter2|not-a-real-key/);
	r = await run('sh', ['-c', 'cat /proc/1/environ /proc/self/environ | tr "\\0" "\\n"']);
	assert.doesNotMatch(r.stdout + r.stderr, /hunter2|not-a-real-key|SBX_NODE_SECRET/);
	delete process.env.SBX_NODE_SECRET;
	delete process.env.AWS_SECRET_ACCESS_KEY;
});

test('the caller\'s files are not visible', async () => {
	const dir = fs.mkdtempSync(path.join('/tmp', 'sbx-node-secret-'));
	fs.writeFileSync(path.join(dir, 'id_rsa'), 'PRIVATE KEY');
	const r = await run('sh', ['-c', `cat ${dir}/id_rsa; ls /home /root /run 2>&1; cat /etc/shadow`]);
	assert.doesNotMatch(r.stdout, /PRIVATE KEY/);
	assert.match(r.stdout + r.stderr, /No such file|cannot access|Permission denied/);
	fs.rmSync(dir, { recursive: true, force: true });
});
