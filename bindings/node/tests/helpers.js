'use strict';
// helpers.js - shared by the Node binding's tests (run by bindings/node/run-tests).

const fs = require('node:fs');
const path = require('node:path');

/** Descriptors open in this process. */
function fdCount() {
	return fs.readdirSync('/proc/self/fd').length;
}

/** Pids of processes whose command line contains token. */
function processesWith(token) {
	const found = [];
	for (const pid of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(pid) || Number(pid) === process.pid)
			continue;
		let cmd;
		try {
			cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1');
		} catch {
			continue;
		}
		if (cmd.includes(token))
			found.push(Number(pid));
	}
	return found;
}

/** Children of this process (sbx-supervisor ones are ours). */
function children() {
	const kids = [];
	for (const pid of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(pid))
			continue;
		let stat;
		try {
			stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
		} catch {
			continue;
		}
		// "pid (comm) state ppid ...": comm may hold spaces
		const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (Number(rest[1]) === process.pid)
			kids.push({ pid: Number(pid), comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) });
	}
	return kids;
}

/** A token unlikely to be on any other command line: a sleep length. */
function uniqueSeconds() {
	return `${1000 + (process.pid % 9000)}.${Date.now() % 100000}${Math.floor(Math.random() * 1000)}`;
}

function tmpDir(prefix = 'sbx-node-') {
	return fs.mkdtempSync(path.join(require('node:os').tmpdir(), prefix));
}

/** The top source directory (run-tests exports it). */
const srcdir = process.env.SBX_NODE_SRCDIR || path.resolve(__dirname, '../../..');

module.exports = { fdCount, processesWith, children, uniqueSeconds, tmpDir, srcdir };
