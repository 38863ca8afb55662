// The README's "Test your integration offline" section, run as written: `scanpay sim` in its own
// process, then the alipay-sdk snippet against it (only the port differs). Docs that cannot rot.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './testing.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const README = path.join(ROOT, 'README.md');
const CLI = path.join(ROOT, 'apps/cli/bin/scanpay.js');
const SECTION = '## Test your integration offline';

let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill();
});

/** Starts `scanpay sim --port 0` and resolves with the URL it prints. */
function startCliSimulator(): Promise<string> {
  child = spawn(process.execPath, [CLI, 'sim', '--port', '0', '--data-dir', tempDir('readme-sim-')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /Alipay simulator at (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve(url);
    });
    child!.once('exit', (code) => reject(new Error(`scanpay sim exited with ${code}: ${out}`)));
  });
}

const present = fs.existsSync(README) && fs.readFileSync(README, 'utf8').includes(SECTION) && fs.existsSync(CLI);
if (!present) console.info('readme.test: skipped (README section or the scanpay CLI is not there)');

describe.skipIf(!present)('README: test your integration offline', () => {
  it('`scanpay sim` runs the simulator alone and the alipay-sdk snippet pays against it', async () => {
    const section = fs.readFileSync(README, 'utf8').split(SECTION)[1]!;
    expect(section).toContain('npx scanpay sim');
    const snippet = /```js\n([\s\S]*?)```/.exec(section)?.[1];
    expect(snippet).toContain("sdk.exec('alipay.trade.pay'");
    const url = await startCliSimulator();
    const code = snippet!.replaceAll('http://127.0.0.1:8090', url);
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, timeout: 20_000 });
    expect(stdout.trim()).toMatch(/^10000 \d{28}$/);
  });
});
