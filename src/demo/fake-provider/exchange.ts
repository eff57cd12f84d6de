/** One request in flight, as the endpoint modules see it. Internal. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResolvedOptions } from './options.js';
import type { RequestControl } from './scenario.js';
import type { FakeEndpoint, RecordedRequest } from './types.js';

export interface Route {
  endpoint: FakeEndpoint;
  /** Model from the body or the path (Azure: the deployment name). */
  model: string;
  stream: boolean;
  /** Azure OpenAI path (`/openai/...`): Azure adds content-filter fields to chat responses. */
  azure: boolean;
  /** Gemini single `:embedContent` (vs `:batchEmbedContents`). */
  single?: boolean;
}

export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  body: Record<string, unknown>;
  route: Route;
  control: RequestControl;
  options: ResolvedOptions;
  record: RecordedRequest;
  seq: number;
  /** Aborted when the client goes away or the server stops. */
  signal: AbortSignal;
  /** Resolves after `ms`; rejects when `signal` aborts. */
  sleep(ms: number): Promise<void>;
  /** Model name reported in the response. */
  responseModel: string;
  /** Request id in the provider's style, also sent as a header. */
  requestId: string;
}
