import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { logProcessWarnings } from './log.js';

describe('logProcessWarnings', () => {
  it('replaces the raw printer with one JSON log line per warning, secrets masked', () => {
    const lines: string[] = [];
    const emitter = new EventEmitter();
    let printedRaw = 0;
    emitter.on('warning', () => (printedRaw += 1));
    logProcessWarnings({ stdout: () => undefined, stderr: (text) => lines.push(text), env: { POLYGON_API_KEY: 'polygonsecretkey123' }, isTTY: false }, emitter);

    const warning = new Error('The AWS SDK for JavaScript (v3)\nwill require node >=22 (key polygonsecretkey123)');
    warning.name = 'NodeVersionSupportWarning';
    emitter.emit('warning', warning);

    expect(printedRaw).toBe(0);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'warn', name: 'trademl', event: 'process.warning', warning: 'NodeVersionSupportWarning' });
    expect(line.msg).toContain('will require node >=22');
    expect(lines[0]).not.toContain('polygonsecretkey123');
  });
});
