'use strict';
// example.test.js - examples/node/assistant_tool.js runs, and each of its
// snippets, hostile ones included, gets the verdict it should.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { srcdir } = require('./helpers');

const example = path.join(srcdir, 'examples/node/assistant_tool.js');

test('the assistant tool example runs and every verdict is right', { timeout: 120000 }, async (t) => {
	const { code, stdout, stderr } = await new Promise((resolve) => {
		execFile(process.execPath, [example, '--json'], { timeout: 100000 },
			(err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
	});
	const lines = stdout.trim().split('\n');
	const outcomes = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
	for (const o of outcomes)
		t.diagnostic(`${o.snippet}: ${o.verdict}${o.as_expected ? '' : ' (NOT AS EXPECTED)'}`);
	assert.equal(code, 0, stderr + stdout);
	assert.equal(lines.at(-1), 'all snippets behaved as expected');
	assert.ok(outcomes.length >= 6);
	const verdicts = Object.fromEntries(outcomes.map((o) => [o.snippet, o.verdict]));
	assert.equal(verdicts['test the project'], 'ok');
	assert.equal(verdicts['an endless loop'], 'timeout');
	assert.doesNotMatch(stdout, /sk-demo/);
});

test('the tool can be required and registered', async () => {
	const { makeRunCodeTool } = require(example);
	const tool = makeRunCodeTool({ timeoutMs: 5000 });
	assert.equal(tool.name, 'run_code');
	assert.deepEqual(tool.parameters.required, ['language', 'code']);
	const o = await tool.handler({ language: 'sh', code: 'echo $((6 * 7))' });
	assert.equal(o.verdict, 'ok');
	assert.equal(o.stdout, '42\n');
	assert.equal((await tool.handler({ language: 'cobol', code: '' })).verdict, 'rejected');
	const ac = new AbortController();
	setTimeout(() => ac.abort(), 200);
	assert.equal((await tool.handler({ language: 'sh', code: 'sleep 30' }, { signal: ac.signal })).verdict, 'aborted');
	tool.close();
});
