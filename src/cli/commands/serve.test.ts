import { afterEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../context.js';
import { main } from '../main.js';

afterEach(() => {
  process.exitCode = undefined;
});

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, isTTY: false };
  const code = await main(['node', 'trademl', ...args], io);
  return { code, stdout, stderr };
}

describe('trademl serve', () => {
  it('documents loopback default, port 0 and the API in --help', async () => {
    const result = await run(['serve', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--host <host>');
    expect(result.stdout).toContain('(default: "127.0.0.1")');
    expect(result.stdout).toContain('$ trademl serve --data-dir data/demo --port 0 --json');
    expect(result.stdout).toContain('/api/coverage?dataset=&since=');
  });

  it('refuses a port out of range with a usage error before opening anything', async () => {
    const result = await run(['serve', '--port', '70000', '--json']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stderr.trim())).toMatchObject({ error: 'UsageError', message: '--port: expected an integer from 0 to 65535, got "70000"' });
  });
});
