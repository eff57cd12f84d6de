/**
 * The live terminal view shared by `llm-cost top` and `llm-cost demo`: redraws a snapshot every
 * interval in the alternate screen, reads single keys (q quit, s sort, r refresh), and restores
 * the terminal however it ends. On a non-TTY it prints plain snapshots instead.
 */

import { errorMessage } from '../util/error-message.js';
import type { Colors } from './colors.js';
import type { Output } from './command.js';
import { redactUrls } from './http-read.js';
import { safeText } from './terminal-text.js';
import { nextSort, renderTop, type SortKey, type TopSnapshot } from './top-render.js';
import type { TopSource } from './top-sources.js';

export interface LiveViewOptions {
  source: TopSource;
  intervalMs: number;
  colors: Colors;
  sort?: SortKey;
  out?: Output;
  input?: NodeJS.ReadStream;
  /** Extra lines under the title, computed at each redraw. */
  header?: () => string[];
  /** A snapshot already taken: drawn at once, the first refresh follows after one interval. */
  initial?: TopSnapshot;
  /** Called when the user presses q or Ctrl-C. */
  onQuit: () => void;
}

export interface LiveView {
  /** Stop refreshing and restore the terminal. Idempotent. */
  stop(): void;
  /** Take a snapshot and redraw now. */
  refresh(): Promise<void>;
}

const ESC = '\u001b[';

export function startLiveView(options: LiveViewOptions): LiveView {
  const out = options.out ?? process.stdout;
  const input = options.input ?? process.stdin;
  const tty = out.isTTY === true;
  let sort: SortKey = options.sort ?? 'cost';
  let snapshot: TopSnapshot | undefined = options.initial;
  let status = '';
  let stopped = false;
  let inFlight: Promise<void> | undefined;

  const draw = () => {
    if (stopped || snapshot === undefined) return;
    const text = renderTop(snapshot, {
      colors: options.colors,
      width: tty ? (out.columns ?? 100) : 100,
      sort,
      live: tty,
      header: options.header?.() ?? [],
      status,
      maxRows: tty ? Math.max(3, Math.floor(((out.rows ?? 40) - 24) / 2)) : 12,
    });
    if (tty) {
      const body = text
        .trimEnd()
        .split('\n')
        .map((line) => `${line}${ESC}K`)
        .join('\n');
      out.write(`${ESC}H${body}\n${ESC}J`);
    } else {
      out.write(`${text}\n`);
    }
  };

  const refresh = (): Promise<void> => {
    inFlight ??= (async () => {
      try {
        snapshot = await options.source.snapshot();
        status = '';
      } catch (error) {
        // Messages may quote the network (a Prometheus error): escaped, credentials redacted.
        const message = safeText(redactUrls(errorMessage(error)));
        status = options.colors.red(`refresh failed: ${message} (showing the last figures)`);
      }
      draw();
    })().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  const onKey = (data: Buffer) => {
    const key = data.toString();
    if (key === 'q' || key === 'Q' || key === '\u0003' || key === '\u0004') {
      options.onQuit();
    } else if (key === 's' || key === 'S') {
      sort = nextSort(sort);
      draw();
    } else if (key === 'r' || key === 'R') {
      void refresh();
    }
  };
  const onResize = () => draw();

  if (tty) {
    out.write(`${ESC}?1049h${ESC}?25l${ESC}2J`);
    out.on?.('resize', onResize);
  }
  const rawInput = input.isTTY === true && typeof input.setRawMode === 'function';
  if (rawInput) {
    input.setRawMode(true);
    input.resume();
    input.on('data', onKey);
  }
  const timer = setInterval(() => void refresh(), options.intervalMs);
  if (snapshot === undefined) void refresh();
  else draw();

  return {
    refresh,
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      if (rawInput) {
        input.off('data', onKey);
        input.setRawMode(false);
        input.pause();
      }
      if (tty) {
        out.off?.('resize', onResize);
        out.write(`${ESC}?25h${ESC}?1049l`);
      }
    },
  };
}
