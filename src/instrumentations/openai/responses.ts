/**
 * `responses.create` — JSON and streamed events. A stream's usage arrives with its terminal event
 * (`response.completed`, `response.incomplete` or `response.failed`), in `event.response.usage`.
 * `responses.parse()` and `responses.stream()` call `client.responses.create` in openai 4.87+–6.x.
 */
import type { OpenAISurface, ResultFacts, StreamReader } from './types.js';

interface ResponseLike {
  usage?: unknown;
  model?: unknown;
  service_tier?: unknown;
  status?: unknown;
  error?: { code?: unknown } | null;
}

export function readResponse(result: unknown): ResultFacts {
  const r = (result ?? {}) as ResponseLike;
  const facts: ResultFacts = {
    usage: r.usage ?? undefined,
    model: typeof r.model === 'string' && r.model !== '' ? r.model : undefined,
    serviceTier: typeof r.service_tier === 'string' ? r.service_tier : undefined,
  };
  if (r.status === 'failed') {
    // A generation that failed inside a 200: error_type is OpenAI's (low-cardinality) error code.
    const code = r.error?.code;
    facts.failure = typeof code === 'string' && code !== '' ? code : 'response_failed';
  }
  return facts;
}

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

function responsesStreamReader(): StreamReader {
  let facts: ResultFacts = {};
  return {
    onChunk(item) {
      const event = item as { type?: unknown; response?: unknown };
      if (event && typeof event.type === 'string') {
        if (TERMINAL.has(event.type)) {
          facts = readResponse(event.response);
        } else if (event.type === 'response.created' && facts.model === undefined) {
          facts.model = readResponse(event.response).model;
        }
      }
      return true;
    },
    facts: () => facts,
  };
}

export const responsesSurface: OpenAISurface = {
  apiOperation: 'chat',
  usageShape: 'openai.responses',
  readResult: readResponse,
  streamReader: responsesStreamReader,
};
