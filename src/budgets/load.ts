/**
 * Budgets from code, a JSON/YAML file, or JSON text (`LLM_COST_BUDGETS`), validated into
 * `BudgetConfig`s: unknown keys, bad limits, windows, match keys and thresholds are a
 * `ConfigError` naming the budget and field.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/errors.js';
import { fail } from '../config/option-checks.js';
import { rejectUnknownBudgetKeys } from '../config/option-keys.js';
import { parseYaml } from '../util/yaml.js';
import { BUDGET_WINDOWS, type BudgetConfig, type BudgetWindow } from './types.js';

/** Labels a budget may match on, besides the allow-listed dimensions (see `budgets/match.ts`). */
const MATCH_KEYS = ['provider', 'model', 'agent', 'operation'];

/** Budgets from code, a JSON/YAML file path, or JSON text (env). */
export function resolveBudgets(
  source: BudgetConfig[] | string | undefined,
  dimensions: readonly string[],
): BudgetConfig[] {
  if (source === undefined) return [];
  let list: unknown = source;
  let where = 'budgets';
  if (typeof source === 'string') {
    const text = source.trim();
    if (text.startsWith('[') || text.startsWith('{')) {
      where = 'LLM_COST_BUDGETS';
      try {
        list = JSON.parse(text);
      } catch (error) {
        throw new ConfigError(`llm-cost-otel: ${where} is not valid JSON: ${(error as Error).message}`);
      }
    } else {
      where = text;
      let content: string;
      try {
        content = readFileSync(text, 'utf8');
      } catch (error) {
        throw new ConfigError(`llm-cost-otel: cannot read budgets file ${text}: ${(error as Error).message}`);
      }
      try {
        list = parseYaml(content);
      } catch (error) {
        throw new ConfigError(
          `llm-cost-otel: budgets file ${text} is not valid JSON/YAML: ${(error as Error).message}`,
        );
      }
    }
    if (list !== null && typeof list === 'object' && !Array.isArray(list) && 'budgets' in list) {
      list = (list as { budgets: unknown }).budgets;
    }
  }
  if (!Array.isArray(list)) fail(where, 'must be a list of budgets', list);
  const names = new Set<string>();
  return list.map((raw, i) => {
    const at = `${where}[${i}]`;
    if (raw === null || typeof raw !== 'object') fail(at, 'must be an object', raw);
    const b = raw as Record<string, unknown>;
    rejectUnknownBudgetKeys(at, b);
    const name = b.name;
    if (typeof name !== 'string' || name.trim() === '')
      fail(`${at}.name`, 'must be a non-empty string', name);
    if (names.has(name)) fail(`${at}.name`, 'must be unique', name);
    names.add(name);
    const label = `${at} (${name})`;
    const limit = b.limitUsd;
    if (typeof limit !== 'number' || !Number.isFinite(limit) || limit <= 0) {
      fail(`${label}.limitUsd`, 'must be a positive number of USD', limit);
    }
    const window = b.window;
    if (typeof window !== 'string' || !(BUDGET_WINDOWS as readonly string[]).includes(window)) {
      fail(`${label}.window`, `must be one of ${BUDGET_WINDOWS.join(', ')}`, window);
    }
    let match: Record<string, string> | undefined;
    if (b.match !== undefined) {
      if (b.match === null || typeof b.match !== 'object' || Array.isArray(b.match)) {
        fail(`${label}.match`, 'must be an object', b.match);
      }
      match = {};
      for (const [key, value] of Object.entries(b.match as Record<string, unknown>)) {
        if (!MATCH_KEYS.includes(key) && !dimensions.includes(key)) {
          fail(
            `${label}.match`,
            `has unknown key "${key}" (use ${[...MATCH_KEYS, ...dimensions].join(', ')}; dimensions must be allow-listed in options.dimensions)`,
            b.match,
          );
        }
        if (typeof value !== 'string') fail(`${label}.match.${key}`, 'must be a string', value);
        match[key] = value;
      }
    }
    let thresholds = [0.8, 0.95, 1];
    if (b.thresholds !== undefined) {
      if (
        !Array.isArray(b.thresholds) ||
        b.thresholds.length === 0 ||
        b.thresholds.some((t) => typeof t !== 'number' || !Number.isFinite(t) || t <= 0 || t > 10)
      ) {
        fail(
          `${label}.thresholds`,
          'must be a non-empty list of fractions of the limit (0 < t ≤ 10)',
          b.thresholds,
        );
      }
      thresholds = [...(b.thresholds as number[])].sort((x, y) => x - y);
    }
    const milestone = b.milestoneUsd;
    if (
      milestone !== undefined &&
      (typeof milestone !== 'number' || !Number.isFinite(milestone) || milestone < 0)
    ) {
      fail(
        `${label}.milestoneUsd`,
        'must be a non-negative number of USD (0 turns milestone events off)',
        milestone,
      );
    }
    return {
      name,
      limitUsd: limit,
      window: window as BudgetWindow,
      match,
      thresholds,
      ...(milestone !== undefined ? { milestoneUsd: milestone } : {}),
    };
  });
}
