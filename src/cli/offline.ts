import { systemClock } from '../clock/index.js';
import { VENDORS } from '../catalog/index.js';
import { loadConfig, type TrademlConfig } from '../config/index.js';
import { Lake } from '../lake/index.js';
import type { PipelineSettings } from '../scheduler/index.js';
import { pipelineSettings } from './runtime.js';

/** Config and lake for the commands that only read and rewrite the lake (no vendor calls, no keys). */
export async function withLake<T>(configDir: string, dataDir: string, work: (ctx: { config: TrademlConfig; settings: PipelineSettings; lake: Lake }) => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const config = await loadConfig(configDir);
  const lakeUrl = env.TRADEML_LAKE_URL?.trim();
  const lake = await Lake.open({ root: lakeUrl ? lakeUrl : dataDir, clock: systemClock });
  try {
    return await work({ config, settings: pipelineSettings(config, [...VENDORS]), lake });
  } finally {
    await lake.close();
  }
}
