import type { VendorId } from '../catalog/index.js';
import { vendorKeys } from './names.js';
import { type ConfigProblem, type KeyPath, ProblemList } from './problems.js';
import { budgetRequests, type DailyBudgetInput } from './schemas/common.js';
import type { EdgeFile } from './schemas/edge.js';
import { isTaskName, TASK_NAMES, TASKS, type TaskName } from './tasks.js';
import type { EdgeConfig, EndpointsConfig, TaskSetting } from './types.js';

const TASK_PHRASE = `a known task (${TASK_NAMES.join(', ')})`;

interface WrittenTask {
  readonly name: string;
  readonly enabled: boolean;
  readonly options: Pick<TaskSetting, 'top_n' | 'underliers'>;
  readonly path: KeyPath;
  readonly value: unknown;
}

function writtenTasks(tasks: EdgeFile['tasks']): WrittenTask[] {
  if (Array.isArray(tasks)) return tasks.map((name, index) => ({ name, enabled: true, options: {}, path: ['tasks', index], value: name }));
  return Object.entries(tasks).map(([name, settings]) => ({
    name,
    enabled: typeof settings === 'boolean' ? settings : settings.enabled,
    options: typeof settings === 'boolean' ? {} : taskOptions(settings),
    path: ['tasks', name],
    value: settings,
  }));
}

/** Only the options the file sets, so a task without options stays `{name, enabled}`. */
function taskOptions(settings: { top_n?: number | undefined; underliers?: string[] | undefined }): Pick<TaskSetting, 'top_n' | 'underliers'> {
  return {
    ...(settings.top_n === undefined ? {} : { top_n: settings.top_n }),
    ...(settings.underliers === undefined ? {} : { underliers: [...new Set(settings.underliers)] }),
  };
}

/** An enabled task needs its vendor and at least one of its endpoints declared in endpoints.yml. */
function checkTaskServed(problems: ProblemList, task: WrittenTask, name: TaskName, endpoints: EndpointsConfig): void {
  const spec = TASKS[name];
  const declared = endpoints.providers[spec.vendor]?.capabilities.some((c) => (spec.endpoints as readonly string[]).includes(c.endpoint));
  if (!declared) {
    problems.add(task.path, `a task whose endpoints are declared in endpoints.yml (${spec.endpoints.join(' or ')} under ${spec.vendor})`, task.value);
  }
}

function normalizeTasks(problems: ProblemList, parsed: EdgeFile, endpoints: EndpointsConfig | undefined): TaskSetting[] {
  const out: TaskSetting[] = [];
  for (const task of writtenTasks(parsed.tasks)) {
    if (!isTaskName(task.name)) {
      problems.add(task.path, TASK_PHRASE, task.value);
      continue;
    }
    if (out.some((t) => t.name === task.name)) {
      problems.add(task.path, `each task once (${task.name} is already listed)`, task.value);
      continue;
    }
    if (task.enabled && endpoints !== undefined) checkTaskServed(problems, task, task.name, endpoints);
    out.push({ name: task.name, enabled: task.enabled, ...task.options });
  }
  return out;
}

/**
 * Normalises vendor-keyed budgets, checking each against the vendor's ceiling in endpoints.yml and,
 * when given, against another budget it must stay within (`within`, named by `withinLabel`).
 */
export function normalizeBudgets(
  problems: ProblemList,
  path: KeyPath,
  budgets: Readonly<Record<string, DailyBudgetInput>>,
  endpoints: EndpointsConfig | undefined,
  within?: { budgets: Partial<Record<VendorId, number>>; label: string },
): Partial<Record<VendorId, number>> {
  const out: Partial<Record<VendorId, number>> = {};
  for (const [vendor, entry] of vendorKeys(problems, path, budgets)) {
    const requests = budgetRequests(entry.value);
    const keyPath = [...path, entry.key];
    const provider = endpoints?.providers[vendor];
    const outer = within?.budgets[vendor];
    if (endpoints !== undefined && provider === undefined) {
      problems.add(keyPath, `a vendor declared in endpoints.yml (${Object.keys(endpoints.providers).join(', ')})`, entry.value);
    } else if (provider?.daily_budget !== undefined && requests > provider.daily_budget) {
      problems.add(keyPath, `a number ≤ ${provider.daily_budget} (endpoints.yml providers.${vendor}.daily_budget)`, entry.value);
    } else if (outer !== undefined && requests > outer) {
      problems.add(keyPath, `a number ≤ ${outer} (${within?.label}.${vendor})`, entry.value);
    }
    out[vendor] = requests;
  }
  return out;
}

/** Resolves task names and vendor aliases of edge.yml and checks them against endpoints.yml. */
export function normalizeEdge(
  file: string,
  parsed: EdgeFile,
  endpoints: EndpointsConfig | undefined,
  raw?: unknown,
): { config: EdgeConfig; problems: ConfigProblem[] } {
  const problems = new ProblemList(file, raw);
  const { lease_seconds, renew_seconds } = parsed.locks;
  if (renew_seconds >= lease_seconds) {
    problems.add(['locks', 'renew_seconds'], `an integer < ${lease_seconds} (locks.lease_seconds)`, renew_seconds);
  }
  const config: EdgeConfig = {
    locks: parsed.locks,
    tasks: normalizeTasks(problems, parsed, endpoints),
    policy: {
      daily_api_budget: normalizeBudgets(problems, ['policy', 'daily_api_budget'], parsed.policy.daily_api_budget, endpoints),
      forward_reserve_pct: parsed.policy.forward_reserve_pct,
    },
  };
  return { config, problems: problems.items };
}
