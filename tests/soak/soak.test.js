'use strict';
// soak.test.js - the Node binding's part of `make soak`: $SOAK_AT_ONCE
// (100) sandboxes at once from one event loop, each result its own (the
// output its program printed), and nothing of them left after.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { run } = require('libsandbox');

const AT_ONCE = Number(process.env.SOAK_AT_ONCE || 100);

const fdCount = () => fs.readdirSync('/proc/self/fd').length;

function children() {
	const me = String(process.pid);
	return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
		try {
			const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
			return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] === me;
		} catch {
			return false;
		}
	});
}

test(`${AT_ONCE} sandboxes at once, each with its own output`, async () => {
	// two runs first: an unprivileged caller's second run sets up the
	// library's one descriptor per process (the inotify watch of its /etc
	// scan, libsandbox/hostinfo.c), the process's and not a run's
	for (let i = 0; i < 2; i++)
		await run('true', [], { timeout: 60000 });
	const fds = fdCount();
	const t0 = Date.now();
	const rs = await Promise.all(Array.from({ length: AT_ONCE }, (_, i) => {
		const token = `run-${i}-${process.pid}`;
		return run('sh', ['-c', 'echo "$0"; sleep 1; echo "$0"', token], { timeout: 120000 })
			.then((r) => ({ token, r }));
	}));
	console.log(`# ${AT_ONCE} at once in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	for (const { token, r } of rs) {
		assert.equal(r.status, 'exited', r.stderr);
		assert.equal(r.exitCode, 0);
		assert.equal(r.stdout, `${token}\n${token}\n`);
	}
	// the supervisors are reaped, their descriptors closed
	for (let i = 0; i < 100 && (children().length || fdCount() > fds); i++)
		await new Promise((ok) => setTimeout(ok, 50));
	assert.deepEqual(children(), []);
	assert.equal(fdCount(), fds);
});
