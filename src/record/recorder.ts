/**
 * `record()`: the one hot path every source of usage ends in (SDK wrappers, span processor,
 * manual calls). It attributes, prices, and adds to preallocated series; nothing else computes
 * cost. It never throws: bad input is counted and reported.
 */
import { trace } from '@opentelemetry/api';
import { getLLMContext } from '../context.js';
import { guarded, logger, notice, OnceWarner } from '../diag.js';
import { officialOpenAIInstrumentationLoaded } from '../instrumentations/peers.js';
import type { MetricFamilies } from '../metrics/families.js';
import { type MetricFamily, seriesKey } from '../metrics/family.js';
import { OUTCOMES, OVERFLOW_VALUE, USAGE_MISSING_PRECREATED } from '../metrics/names.js';
import type { CounterSeries, FamilyType, HistogramSeries, SeriesOf } from '../metrics/series.js';
import { sanitizeUsage, toBucketsChecked } from '../pricing/buckets.js';
import type { PriceBook } from '../pricing/price-book.js';
import { runSpans } from '../runs/storage.js';
import type { CostBreakdown, LLMCall, Outcome, PriceEntry, TokenUsage, UsageBuckets } from '../types.js';
import { TOKEN_TYPES } from '../types.js';
import { errorMessage } from '../util/error-message.js';
import { annotateSpan } from './span-attributes.js';
import { SummaryTable } from './summary.js';

/** What `record()` concluded about one call. */
export interface RecordedCall {
  provider: string;
  model: string;
  agent: string;
  /** The app's operation (`llm_operation_name`); the API operation when the app named none. */
  operation: string;
  /** The API operation per the GenAI semantic conventions (`gen_ai_operation_name`). */
  apiOperation: string;
  task?: string;
  dimensions: Readonly<Record<string, string>>;
  outcome: Outcome;
  /** USD added for this call; undefined when it could not be priced (or had no usage). */
  costUsd?: number;
  costSource?: 'provider' | 'local';
  breakdown?: CostBreakdown;
  buckets?: UsageBuckets;
  usage?: TokenUsage;
}

export type RecordListener = (call: RecordedCall) => void;

const MAX_LABEL_LENGTH = 128;
const MAX_ERROR_TYPES_PER_ROW = 20;
/** A prompt at most this factor over a long-context tier's threshold crossed it by a small margin. */
const TIER_SMALL_MARGIN = 1.1;
/** Twice the largest context windows on sale (2M): a larger per-call count is corrupt usage. */
const DEFAULT_MAX_PLAUSIBLE_TOKENS = 10_000_000;
/** `gen_ai.operation.name` of a call that names no API operation (manual `record()`). */
const DEFAULT_API_OPERATION = 'chat';
const MAX_DURATION_MS = 86_400_000;
/** No single call costs a million dollars; a larger reported cost is corrupt data. */
const MAX_REPORTED_COST_USD = 1_000_000;

/** Per label combination: direct references to every series a record touches. */
interface Row {
  values: readonly string[];
  dims: Readonly<Record<string, string>>;
  cost: CounterSeries[];
  tokens: CounterSeries[];
  requestCost: HistogramSeries;
  duration: Map<Outcome, HistogramSeries>;
  requests: Map<string, CounterSeries>;
  cacheSavings: CounterSeries;
  budgets: CounterSeries[];
  /**
   * `llm_series_overflow_total{metric}` series to add 1 to per record: one per family whose series
   * this row shares with other label combinations past the cap (empty for ordinary rows).
   */
  overflowCounters: CounterSeries[];
  /** The GenAI families' series keys, built on first use (the series are still looked up). */
  genAi?: GenAiKeys;
}

/** Keys and label values of a row's `gen_ai.client.*` series. */
interface GenAiKeys {
  /** `apiOperation\0provider\0model\0`: the duration key when there is no error type. */
  base: string;
  op: string;
  inputKey: string;
  inputValues: readonly string[];
  outputKey: string;
  outputValues: readonly string[];
}

/** The last row looked up by label values (no dimensions): repeated calls skip building its key. */
interface LastRow {
  provider: string | undefined;
  model: string | undefined;
  agent: string;
  apiOperation: string;
  operation: string;
  key: string;
  row: Row;
}

export interface RecorderOptions {
  metricFamilies: MetricFamilies;
  priceBook: PriceBook;
  defaultAgent: string;
  /** The app operation when neither the call nor the scope names one; else the API operation. */
  defaultOperation?: string;
  dimensions: readonly string[];
  maxSeries: number;
  /** Budgets whose spend series this recorder feeds: name + match. */
  budgets: ReadonlyArray<{ name: string; match?: Record<string, string> }>;
  /** Record `gen_ai.client.*`; `auto` leaves them to a peer instrumentation that records them. */
  genAiClientMetrics?: boolean | 'auto';
  /** Per-call tokens above this are implausible: recorded as reported, and flagged. Default 10M. */
  maxPlausibleTokens?: number;
  /** Cap on in-process summary rows (distinct attribution × task). */
  maxSummaryRows?: number;
}

/** Make a label value safe: a string, well-formed UTF-16 (so UTF-8 on the wire), bounded length. */
export function cleanLabelValue(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || value === '') return fallback;
  let s = value.length > MAX_LABEL_LENGTH ? value.slice(0, MAX_LABEL_LENGTH) : value;
  if (!s.isWellFormed()) s = s.toWellFormed();
  return s;
}

export class Recorder {
  readonly summary: SummaryTable;
  /** Rows by their (clean) label values: at most `maxSeries`, the one cap of the row-keyed families. */
  private readonly rows = new Map<string, Row>();
  /** Rows by the raw values callers passed (a cache in front of `rows`, cleared when it fills). */
  private readonly rowsByInput = new Map<string, Row>();
  private readonly listeners: RecordListener[] = [];
  private readonly unpricedWarner = new OnceWarner();
  private readonly invalidWarner = new OnceWarner(100);
  private readonly approximateSaid = new Set<string>();
  private overflowRow?: Row;
  private lastRow?: LastRow;

  constructor(private readonly options: RecorderOptions) {
    this.summary = new SummaryTable(options.maxSummaryRows ?? 10_000);
  }

  onRecord(listener: RecordListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Record one call. Never throws; returns undefined only if our own code failed. */
  record(call: LLMCall): RecordedCall | undefined {
    try {
      return this.recordUnsafe(call);
    } catch (error) {
      logger.error(`record() failed: ${errorMessage(error)}`);
      return undefined;
    }
  }

  private recordUnsafe(call: LLMCall): RecordedCall {
    const o = this.options;
    const ins = o.metricFamilies;
    if (call === null || typeof call !== 'object') {
      this.invalidWarner.warn('call', `record() needs an object, got ${typeof call}; counted as invalid`);
      ins.usageMissing.at(['unknown', 'unknown', 'invalid_call']).add(1);
      return {
        provider: 'unknown',
        model: 'unknown',
        agent: o.defaultAgent,
        operation: o.defaultOperation ?? DEFAULT_API_OPERATION,
        apiOperation: DEFAULT_API_OPERATION,
        dimensions: {},
        outcome: 'error',
      };
    }
    const ctx = getLLMContext();
    // Untrusted input: a field of the wrong type is coerced (numbers) or dropped to its default,
    // said once, and the call is still counted — never a whole record lost to a TypeError.
    const provider = this.text(call.provider, 'provider');
    const model = this.text(call.model, 'model');
    const agent = this.text(call.agent, 'agent') ?? ctx?.agent ?? o.defaultAgent;
    const apiOperation = this.text(call.apiOperation, 'apiOperation') ?? DEFAULT_API_OPERATION;
    const operation =
      this.text(call.operation, 'operation') ?? ctx?.operation ?? o.defaultOperation ?? apiOperation;
    const responseModel = this.text(call.responseModel, 'responseModel');
    const serviceTier = this.text(call.serviceTier, 'serviceTier');
    const requestServiceTier = this.text(call.requestServiceTier, 'requestServiceTier');
    const task = this.text(call.task, 'task') ?? ctx?.task;
    const dimNames = o.dimensions;
    const last = this.lastRow;
    let key: string;
    let row: Row;
    if (
      last !== undefined &&
      dimNames.length === 0 &&
      last.provider === provider &&
      last.model === model &&
      last.agent === agent &&
      last.apiOperation === apiOperation &&
      last.operation === operation
    ) {
      // Same labels as the previous call: same key string (its hash is cached), same row.
      key = last.key;
      row = last.row;
    } else {
      key = `${provider}\u0000${model}\u0000${agent}\u0000${apiOperation}\u0000${operation}`;
      let dimValues: string[] | undefined;
      if (dimNames.length > 0) {
        dimValues = [];
        for (const d of dimNames) {
          const v = this.text(call.dimensions?.[d], `dimensions.${d}`) ?? ctx?.[d] ?? '';
          dimValues.push(v);
          key += `\u0000${v}`;
        }
      }
      const found = this.rowsByInput.get(key);
      row = found ?? this.createRow(key, provider, model, agent, apiOperation, operation, dimValues);
      if (found !== undefined && dimNames.length === 0) {
        this.lastRow = { provider, model, agent, apiOperation, operation, key, row: found };
      }
    }
    const labels = row.values;
    const overflowCounters = row.overflowCounters;
    for (let i = 0; i < overflowCounters.length; i++) overflowCounters[i]!.add(1);

    const outcome: Outcome =
      call.outcome === 'error' || call.outcome === 'aborted' ? call.outcome : 'success';
    const errorType = outcome === 'error' ? cleanLabelValue(call.errorType, '_OTHER') : '';
    this.requestSeries(row, outcome, errorType).add(1);

    // Usage: validated, then split into disjoint buckets.
    let implausible = false;
    let usage: TokenUsage | undefined;
    let buckets: UsageBuckets | undefined;
    if (call.usage === undefined || call.usage === null) {
      if (outcome !== 'error' || call.usageMissingReason) {
        this.usageMissing(labels, call.usageMissingReason ?? 'missing');
      }
    } else {
      const checked = sanitizeUsage(call.usage);
      if ('invalid' in checked) {
        this.usageMissing(labels, 'invalid');
        this.invalidWarner.warn(
          `${labels[0]}\u0000${labels[1]}`,
          `invalid usage for ${labels[0]}/${labels[1]} (${checked.invalid}); counted in llm_usage_missing_total{reason="invalid"}, no tokens or cost added`,
        );
      } else {
        usage = checked.usage;
        const split = toBucketsChecked(usage);
        buckets = split.buckets;
        if (split.clamped) this.usageMissing(labels, 'inconsistent');
        if (call.usageMissingReason) this.usageMissing(labels, call.usageMissingReason);
        const total = usage.inputTokens + usage.outputTokens;
        const ceiling = o.maxPlausibleTokens ?? DEFAULT_MAX_PLAUSIBLE_TOKENS;
        if (total > ceiling) {
          implausible = true;
          ins.implausibleUsage.at([labels[0]!, labels[1]!]).add(1);
          this.invalidWarner.warn(
            `implausible\u0000${labels[0]}\u0000${labels[1]}`,
            `${labels[0]}/${labels[1]} reported ${total} tokens for one call, above maxPlausibleTokens (${ceiling}): recorded as reported, and counted in llm_usage_implausible_total — check the provider's usage`,
          );
        }
      }
    }
    if (call.usageMissingReason === 'invalid') {
      // The SDK wrappers found the provider's usage object malformed: said, as for record() input.
      this.invalidWarner.warn(
        `sdk-invalid\u0000${labels[0]}\u0000${labels[1]}`,
        `invalid usage from ${labels[0]}/${labels[1]}; counted in llm_usage_missing_total{reason="invalid"}, no tokens or cost added for what was invalid`,
      );
    }

    // Price: provider-reported cost wins; else the catalog (response model first, it is the exact snapshot).
    let costUsd: number | undefined;
    let costSource: 'provider' | 'local' | undefined;
    let breakdown: CostBreakdown | undefined;
    let cacheSavingsUsd = 0;
    let priceEntry: PriceEntry | undefined;
    const reported = call.costUsd;
    const hasReported =
      typeof reported === 'number' &&
      Number.isFinite(reported) &&
      reported >= 0 &&
      reported <= MAX_REPORTED_COST_USD;
    if (reported !== undefined && !hasReported) {
      // A reported cost we cannot believe is counted, and the call is priced from usage instead.
      this.usageMissing(labels, 'invalid_cost');
      this.invalidWarner.warn(
        `cost\u0000${labels[0]}\u0000${labels[1]}`,
        `ignored a provider-reported cost for ${labels[0]}/${labels[1]} (not a number of USD from 0 to ${MAX_REPORTED_COST_USD}); counted in llm_usage_missing_total{reason="invalid_cost"}`,
      );
    }
    if (usage !== undefined) {
      const timestamp = call.timestamp;
      // Priced by what the call said, not by its labels (which may be `__overflow__` past the cap).
      const priceProvider = provider ?? labels[0]!;
      const priceModel = model ?? labels[1]!;
      // The response model is the exact snapshot that answered: it prices the call when known.
      let priced =
        responseModel !== undefined
          ? o.priceBook.price({
              provider: priceProvider,
              model: responseModel,
              usage,
              timestamp,
              serviceTier,
              requestServiceTier,
            })
          : undefined;
      if (priced === undefined || !priced.priced) {
        priced = o.priceBook.price({
          provider: priceProvider,
          model: priceModel,
          usage,
          timestamp,
          serviceTier,
          requestServiceTier,
        });
      } else if (responseModel !== priceModel) {
        this.checkModelMismatch(
          labels,
          priceModel,
          responseModel!,
          priced.costUsd,
          usage,
          timestamp,
          serviceTier,
        );
      }
      if (priced.priced) {
        costUsd = priced.costUsd;
        costSource = 'local';
        breakdown = priced.breakdown;
        const rates = priced.entry.ratesPerMTok;
        const saved = ((usage.cacheReadTokens ?? 0) * (rates.input - rates.cacheRead)) / 1e6;
        if (saved > 0) cacheSavingsUsd = saved;
        priceEntry = priced.entry;
        const tierStart = priced.entry.tierStartTokens;
        if (tierStart !== undefined) {
          // The tier's rate applies to the whole prompt: say how far past the threshold it went.
          const margin = usage.inputTokens <= tierStart * TIER_SMALL_MARGIN ? 'small' : 'large';
          ins.tierCrossing.at([labels[0]!, labels[1]!, labels[2]!, margin]).add(1);
        }
      }
      if (hasReported) {
        breakdown = scaleBreakdown(breakdown, buckets!, reported);
        costUsd = reported;
        costSource = 'provider';
      } else if (priceEntry?.matchedBy === 'approximate') {
        this.approximatePrice(labels, priceEntry);
      }
      if (costUsd === undefined) {
        ins.unpriced.at([labels[0]!, labels[1]!]).add(1);
        const msg = priced.priced ? '' : priced.message;
        this.unpricedWarner.warn(
          `${labels[0]}\u0000${labels[1]}`,
          `no price for ${labels[0]} model "${labels[1]}": no cost added (counted in llm_unpriced_requests_total). ${msg} Add a price override to price it.`,
        );
      }
    } else if (hasReported) {
      costUsd = reported;
      costSource = 'provider';
      breakdown = { input: reported, cache_read: 0, cache_write: 0, output: 0, reasoning: 0 };
    }

    if (buckets !== undefined) {
      const t = row.tokens;
      if (buckets.input) t[0]!.add(buckets.input);
      if (buckets.cacheRead) t[1]!.add(buckets.cacheRead);
      const writes = buckets.cacheWrite5m + buckets.cacheWrite1h;
      if (writes) t[2]!.add(writes);
      if (buckets.output) t[3]!.add(buckets.output);
      if (buckets.reasoning) t[4]!.add(buckets.reasoning);
    }
    if (costUsd !== undefined && breakdown !== undefined) {
      const c = row.cost;
      if (breakdown.input) c[0]!.add(breakdown.input);
      if (breakdown.cache_read) c[1]!.add(breakdown.cache_read);
      if (breakdown.cache_write) c[2]!.add(breakdown.cache_write);
      if (breakdown.output) c[3]!.add(breakdown.output);
      if (breakdown.reasoning) c[4]!.add(breakdown.reasoning);
      row.requestCost.observe(costUsd);
      if (cacheSavingsUsd > 0) row.cacheSavings.add(cacheSavingsUsd);
      const budgets = row.budgets;
      for (let i = 0; i < budgets.length; i++) budgets[i]!.add(costUsd);
    }

    const durationMs = call.durationMs;
    const hasDuration =
      typeof durationMs === 'number' &&
      Number.isFinite(durationMs) &&
      durationMs >= 0 &&
      durationMs < MAX_DURATION_MS;
    const genAiOn =
      o.genAiClientMetrics === true ||
      (o.genAiClientMetrics !== false && (call.sdk !== 'openai' || !officialOpenAIInstrumentationLoaded()));
    const genAi = genAiOn && (hasDuration || usage !== undefined) ? this.genAiKeys(row) : undefined;
    if (hasDuration) {
      this.durationSeries(row, outcome).observe(durationMs / 1000);
    }
    if (hasDuration && genAi !== undefined) {
      const opKey = errorType === '' ? genAi!.base : `${genAi!.base}${errorType}`;
      ins.genAiOperationDuration
        .get(opKey, [genAi!.op, labels[0]!, labels[1]!, errorType])
        .observe(durationMs / 1000);
    }
    if (usage !== undefined && genAi !== undefined) {
      ins.genAiTokenUsage.get(genAi!.inputKey, genAi!.inputValues).observe(usage.inputTokens);
      ins.genAiTokenUsage.get(genAi!.outputKey, genAi!.outputValues).observe(usage.outputTokens);
    }

    // In-process summary (task included: it is bounded here, never a metric label).
    const summaryRow = this.summary.row(task === undefined ? key : `${key}\u0001${task}`, () => ({
      ...row.dims,
      task: task ?? '',
    }));
    summaryRow.requests += 1;
    if (outcome === 'success') summaryRow.successes += 1;
    else if (outcome === 'error') summaryRow.errors += 1;
    else summaryRow.aborted += 1;
    if (costUsd !== undefined) summaryRow.addCost(costUsd);
    else if (usage !== undefined) summaryRow.unpriced += 1;
    if (buckets !== undefined) {
      const st = summaryRow.tokens;
      st[0]! += buckets.input;
      st[1]! += buckets.cacheRead;
      st[2]! += buckets.cacheWrite5m + buckets.cacheWrite1h;
      st[3]! += buckets.output;
      st[4]! += buckets.reasoning;
    }
    if (hasDuration) {
      summaryRow.durationMsSum += durationMs;
      summaryRow.durationCount += 1;
    }

    const recorded: RecordedCall = {
      provider: labels[0]!,
      model: labels[1]!,
      agent: labels[2]!,
      operation: labels[4]!,
      apiOperation: labels[3]!,
      task,
      dimensions: row.dims,
      outcome,
      costUsd,
      costSource,
      breakdown,
      buckets,
      usage,
    };

    const span = call.span === undefined ? trace.getActiveSpan() : call.span;
    if (span?.isRecording() && !runSpans.has(span)) {
      guarded('annotating the span', () =>
        annotateSpan(span, {
          provider: recorded.provider,
          model: recorded.model,
          responseModel,
          apiOperation: recorded.apiOperation,
          operation: recorded.operation,
          agent: recorded.agent,
          task,
          usage,
          costUsd,
          costSource,
          serviceTier,
          errorType: errorType || undefined,
          implausible,
          priceMatch: costSource === 'local' ? priceEntry?.matchedBy : undefined,
        }),
      );
    }

    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) {
      try {
        listeners[i]!(recorded);
      } catch (error) {
        logger.error(`a record listener failed: ${errorMessage(error)}`);
      }
    }
    return recorded;
  }

  /** A text field of an untrusted call: strings as they are, numbers as text, anything else dropped (said once). */
  private text(value: unknown, field: string): string | undefined {
    if (typeof value === 'string' || value === undefined || value === null) return value ?? undefined;
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
      return String(value);
    this.invalidWarner.warn(
      `field\u0000${field}`,
      `record(): ${field} must be a string, got ${typeof value}; it was ignored and the call counted with the default`,
    );
    return undefined;
  }

  /** A sibling's price was used: counted per matched model, and said once per model. */
  private approximatePrice(labels: readonly string[], entry: PriceEntry): void {
    const matched = `${entry.provider}/${entry.model}`;
    const key = `${labels[0]}\u0000${labels[1]}\u0000${matched}`;
    this.options.metricFamilies.priceApproximate.at([labels[0]!, labels[1]!, matched]).add(1);
    // Said once per (provider, model, rule) from here, so the hot path builds no message per call.
    const noticeKey = `${key}\u0000${entry.matchedRule}`;
    if (this.approximateSaid.has(noticeKey) || this.approximateSaid.size >= 1000) return;
    this.approximateSaid.add(noticeKey);
    const why =
      entry.serviceTier !== undefined && entry.matchedRule?.startsWith('service tier')
        ? `at ${entry.matchedRule}`
        : `is not in the price catalog; priced as ${matched} (catalog rule ${entry.matchedRule ?? '?'})`;
    notice(
      `approximate\u0000${noticeKey}`,
      `${labels[0]} model "${labels[1]}" ${why}, counted in llm_price_approximate_requests_total. Add an aliasOf override (or a prices.serviceTiers entry) to confirm it, a custom price to correct it, or set strictPricing to treat it as unpriced.`,
    );
  }

  /**
   * The response model answered and was priced; metrics stay labelled by the request model. When
   * the request model prices the same usage differently, that is counted and said once: the
   * label's model is not the one the cost came from.
   */
  private checkModelMismatch(
    labels: readonly string[],
    requestModel: string,
    responseModel: string,
    costUsd: number,
    usage: TokenUsage,
    timestamp: LLMCall['timestamp'],
    serviceTier: string | undefined,
  ): void {
    const o = this.options;
    const asRequested = o.priceBook.price({
      provider: labels[0]!,
      model: requestModel,
      usage,
      timestamp,
      serviceTier,
    });
    if (!asRequested.priced || Math.abs(asRequested.costUsd - costUsd) <= 1e-12 * Math.max(1, costUsd))
      return;
    const response = cleanLabelValue(responseModel, 'unknown');
    o.metricFamilies.modelMismatch.at([labels[0]!, labels[1]!, response]).add(1);
    this.invalidWarner.warn(
      `mismatch\u0000${labels[0]}\u0000${labels[1]}\u0000${response}`,
      `${labels[0]} answered a request for "${labels[1]}" with "${response}", which is priced differently: the cost is the response model's, the labels the request model's (counted in llm_model_mismatch_total)`,
    );
  }

  private usageMissing(labels: readonly string[], reason: string): void {
    const r = cleanLabelValue(reason, 'missing');
    this.options.metricFamilies.usageMissing.at([labels[0]!, labels[1]!, r]).add(1);
  }

  /** The GenAI series keys of `row`, built once. */
  private genAiKeys(row: Row): GenAiKeys {
    if (row.genAi !== undefined) return row.genAi;
    const labels = row.values;
    const op = labels[3]!;
    const base = `${op}\u0000${labels[0]}\u0000${labels[1]}\u0000`;
    const keys: GenAiKeys = {
      base,
      op,
      inputKey: `${base}input`,
      inputValues: [op, labels[0]!, labels[1]!, 'input'],
      outputKey: `${base}output`,
      outputValues: [op, labels[0]!, labels[1]!, 'output'],
    };
    row.genAi = keys;
    return keys;
  }

  private requestSeries(row: Row, outcome: Outcome, errorType: string): CounterSeries {
    // No error type: the outcome alone is the key (a constant string, no concatenation per call).
    const k = errorType === '' ? outcome : `${outcome}\u0000${errorType}`;
    let series = row.requests.get(k);
    if (series === undefined) {
      // Error types are bounded per row; the rest share `_OTHER`.
      const type = row.requests.size >= MAX_ERROR_TYPES_PER_ROW && errorType !== '' ? '_OTHER' : errorType;
      series = this.options.metricFamilies.requests.at([...row.values, outcome, type]);
      if (type === errorType) row.requests.set(k, series);
    }
    return series;
  }

  private durationSeries(row: Row, outcome: Outcome): HistogramSeries {
    let series = row.duration.get(outcome);
    if (series === undefined) {
      series = this.options.metricFamilies.duration.at([...row.values, outcome]);
      row.duration.set(outcome, series);
    }
    return series;
  }

  private createRow(
    key: string,
    provider: unknown,
    model: unknown,
    agent: unknown,
    apiOperation: unknown,
    operation: unknown,
    dimValues: string[] | undefined,
  ): Row {
    const o = this.options;
    const values = [
      cleanLabelValue(provider, 'unknown'),
      cleanLabelValue(model, 'unknown'),
      cleanLabelValue(agent, o.defaultAgent),
      cleanLabelValue(apiOperation, DEFAULT_API_OPERATION),
      cleanLabelValue(operation, o.defaultOperation ?? DEFAULT_API_OPERATION),
      ...(dimValues ?? []).map((v) => cleanLabelValue(v, '')),
    ];
    const labelKey = seriesKey(values);
    let row = this.rows.get(labelKey);
    if (row === undefined) {
      // The cost family's cap is the cap of every family keyed by the row's labels.
      if (!o.metricFamilies.cost.hasRoom([...values, 'input'])) return this.overflow();
      row = this.buildRow(values);
      this.rows.set(labelKey, row);
    }
    if (this.rowsByInput.size >= 2 * o.maxSeries) this.rowsByInput.clear();
    this.rowsByInput.set(key, row);
    return row;
  }

  private overflow(): Row {
    if (this.overflowRow === undefined) {
      notice(
        'row-overflow',
        `more than ${this.options.maxSeries} distinct provider/model/agent/operation combinations: further ones are counted under "${OVERFLOW_VALUE}" labels (totals stay right; each such record is counted in llm_series_overflow_total). Keep ids and free text out of labels, or raise maxSeries.`,
      );
      const n = 5 + this.options.dimensions.length;
      const row = this.buildRow(new Array(n).fill(OVERFLOW_VALUE), true);
      const ins = this.options.metricFamilies;
      row.overflowCounters = [
        ins.cost,
        ins.tokens,
        ins.requests,
        ins.requestCost,
        ins.duration,
        ins.cacheSavings,
      ].map((family) => ins.seriesOverflow.at([family.name]));
      this.overflowRow = row;
    }
    return this.overflowRow;
  }

  /** `overflow`: the shared row past the cap, made of the families' overflow series. */
  private buildRow(values: string[], overflow = false): Row {
    const ins = this.options.metricFamilies;
    const at = <T extends FamilyType>(family: MetricFamily<T>, v: readonly string[]): SeriesOf<T> =>
      overflow ? family.overflowAt(v) : family.at(v);
    const dims: Record<string, string> = {
      provider: values[0]!,
      model: values[1]!,
      agent: values[2]!,
      apiOperation: values[3]!,
      operation: values[4]!,
    };
    this.options.dimensions.forEach((d, i) => {
      dims[d] = values[5 + i]!;
    });
    const typed = (family: typeof ins.cost) => TOKEN_TYPES.map((type) => at(family, [...values, type]));
    const budgetMatches = this.options.budgets.filter(
      (b) => b.match === undefined || Object.entries(b.match).every(([k, v]) => dims[k] === v),
    );
    const row: Row = {
      values,
      dims: Object.freeze(dims),
      cost: typed(ins.cost),
      tokens: typed(ins.tokens),
      requestCost: at(ins.requestCost, values),
      duration: new Map(),
      requests: new Map(),
      cacheSavings: at(ins.cacheSavings, [values[0]!, values[1]!, values[2]!]),
      budgets: budgetMatches.map((b) => ins.budgetSpend.at([b.name])),
      overflowCounters: [],
    };
    if (ins.cacheSavings.isOverflow(row.cacheSavings)) {
      row.overflowCounters.push(ins.seriesOverflow.at([ins.cacheSavings.name]));
    }
    // Series whose label values are known up front exist at 0 from the row's first call, so
    // rate()/increase() see the first error, abort, unpriced call or missing usage.
    for (const outcome of OUTCOMES) {
      if (overflow) {
        row.requests.set(outcome, ins.requests.overflowAt([...values, outcome, '']));
        row.duration.set(outcome, ins.duration.overflowAt([...values, outcome]));
      } else {
        this.requestSeries(row, outcome, '');
        this.durationSeries(row, outcome);
      }
    }
    // Only where they fit: pre-creating must not count as a record in the overflow series.
    const pm = [values[0]!, values[1]!];
    if (ins.unpriced.hasRoom(pm)) ins.unpriced.at(pm);
    if (ins.usageMissing.hasRoom([...pm, 'missing'])) {
      for (const reason of USAGE_MISSING_PRECREATED) ins.usageMissing.at([...pm, reason]);
    }
    return row;
  }
}

/**
 * Spread a provider-reported total over the buckets: in proportion to our own price breakdown
 * when we have one, else to the token counts, else all on `input`.
 */
function scaleBreakdown(
  local: CostBreakdown | undefined,
  buckets: UsageBuckets,
  total: number,
): CostBreakdown {
  const weights: CostBreakdown = local
    ? { ...local }
    : {
        input: buckets.input,
        cache_read: buckets.cacheRead,
        cache_write: buckets.cacheWrite5m + buckets.cacheWrite1h,
        output: buckets.output,
        reasoning: buckets.reasoning,
      };
  const sum = weights.input + weights.cache_read + weights.cache_write + weights.output + weights.reasoning;
  if (!(sum > 0)) return { input: total, cache_read: 0, cache_write: 0, output: 0, reasoning: 0 };
  const f = total / sum;
  return {
    input: weights.input * f,
    cache_read: weights.cache_read * f,
    cache_write: weights.cache_write * f,
    output: weights.output * f,
    reasoning: weights.reasoning * f,
  };
}
