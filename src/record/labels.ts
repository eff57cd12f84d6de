/**
 * A call's attribution labels: the one rule for turning what a caller passed (provider, model,
 * agent, operations, allow-listed dimensions) into metric label values. The recorder labels its
 * series with it, and the budget guard matches budgets against the same values before a call is
 * sent, so a call is held against exactly the budgets its cost will be charged to.
 */

const MAX_LABEL_LENGTH = 128;

/** `gen_ai.operation.name` of a call that names no API operation (manual `record()`). */
export const DEFAULT_API_OPERATION = 'chat';

/** The fixed labels every row has, in series order; allow-listed dimensions follow. */
export const FIXED_LABELS = ['provider', 'model', 'agent', 'apiOperation', 'operation'] as const;

/**
 * Label name → value of one call: the fixed labels, then one entry per allow-listed dimension
 * (`''` when the call named none). Budget `match` objects are compared against this.
 */
export type CallLabels = Readonly<Record<string, string>>;

/** What fills in a label the call left out. */
export interface LabelDefaults {
  defaultAgent: string;
  /** The app operation when the call names none; else the API operation. */
  defaultOperation?: string;
  /** Allow-listed dimension names, in label order. */
  dimensions: readonly string[];
}

/** The labels as a caller passed them (untrusted: any of them may be missing or not a string). */
export interface RawLabels {
  provider?: unknown;
  model?: unknown;
  agent?: unknown;
  apiOperation?: unknown;
  operation?: unknown;
  dimensions?: Readonly<Record<string, unknown>>;
}

/** Make a label value safe: a string, well-formed UTF-16 (so UTF-8 on the wire), bounded length. */
export function cleanLabelValue(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || value === '') return fallback;
  let s = value.length > MAX_LABEL_LENGTH ? value.slice(0, MAX_LABEL_LENGTH) : value;
  if (!s.isWellFormed()) s = s.toWellFormed();
  return s;
}

/**
 * Clean label values in series order (`FIXED_LABELS`, then `defaults.dimensions`). `dimensionValues`
 * are positional, as the recorder collects them; a missing one is `''`.
 */
export function labelValues(
  raw: Omit<RawLabels, 'dimensions'>,
  dimensionValues: readonly unknown[] | undefined,
  defaults: LabelDefaults,
): string[] {
  const apiOperation = cleanLabelValue(raw.apiOperation, DEFAULT_API_OPERATION);
  const values = [
    cleanLabelValue(raw.provider, 'unknown'),
    cleanLabelValue(raw.model, 'unknown'),
    cleanLabelValue(raw.agent, defaults.defaultAgent),
    apiOperation,
    cleanLabelValue(raw.operation, defaults.defaultOperation ?? DEFAULT_API_OPERATION),
  ];
  for (let i = 0; i < defaults.dimensions.length; i++) values.push(cleanLabelValue(dimensionValues?.[i], ''));
  return values;
}

/** Label values (series order) as a name → value record; frozen, so it can key caches. */
export function labelRecord(values: readonly string[], dimensions: readonly string[]): CallLabels {
  const labels: Record<string, string> = {};
  FIXED_LABELS.forEach((name, i) => {
    labels[name] = values[i]!;
  });
  dimensions.forEach((name, i) => {
    labels[name] = values[FIXED_LABELS.length + i]!;
  });
  return Object.freeze(labels);
}

/**
 * The labels the recorder will give a call that has not happened yet (the budget guard's view):
 * an operation left out falls back to the default operation, then the API operation.
 */
export function callLabels(raw: RawLabels, defaults: LabelDefaults): CallLabels {
  const apiOperation = typeof raw.apiOperation === 'string' ? raw.apiOperation : undefined;
  const operation = raw.operation ?? defaults.defaultOperation ?? apiOperation;
  const dimensionValues = defaults.dimensions.map((d) => raw.dimensions?.[d]);
  return labelRecord(labelValues({ ...raw, operation }, dimensionValues, defaults), defaults.dimensions);
}
