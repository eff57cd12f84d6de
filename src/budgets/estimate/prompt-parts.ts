/**
 * One walk over a request body's prompt fields (OpenAI chat/Responses/embeddings, Anthropic
 * messages, Gemini generateContent, AI SDK prompts): text gathered for the tokenizer, images and
 * audio sized by media-tokens.ts, and anything we cannot bound (a PDF, a file id, a walk too
 * large or too deep) flagged so the estimate reserves the model's context window instead of
 * guessing low. Nothing is skipped silently: the walk either sees every node or says it did not.
 */
import { type ImageSize, imageSize, imageSizeFromBase64 } from './image-size.js';
import { audioTokens, base64Bytes, imageTokens, type ModelFamily } from './media-tokens.js';

/**
 * Prompt fields holding schemas (tool definitions, response formats): the provider renders them
 * as text, keys and numbers included, so every key and scalar counts — not only string values.
 */
const SCHEMA_PROMPT_FIELDS = ['tools', 'functions', 'tool_choice', 'response_format', 'text', 'toolConfig'];
/** Request fields that carry prompt content, across the providers' bodies (walked in this order). */
const PROMPT_FIELDS = [
  'messages',
  'input',
  'contents',
  'system',
  'instructions',
  'prompt',
  'systemInstruction',
  ...SCHEMA_PROMPT_FIELDS,
  'documents',
];
/** Fields walked as schemas: the schema prompt fields, and Gemini's response schemas under `config`. */
const SCHEMA_FIELDS = new Set([...SCHEMA_PROMPT_FIELDS, 'responseSchema', 'responseJsonSchema']);
/** Gemini puts system instruction, tools and response schema under `config`. */
const GEMINI_CONFIG_FIELDS = [
  'systemInstruction',
  'tools',
  'toolConfig',
  'responseSchema',
  'responseJsonSchema',
];

/** Nodes visited at most; past it (or past `MAX_DEPTH`) the prompt counts as unbounded. */
export const MAX_NODES = 2_000_000;
const MAX_DEPTH = 64;

export interface PromptParts {
  /** Every string of prompt text, joined by newlines (one tokenizer pass). */
  text: string;
  /** Objects met (messages, content parts, tool schemas): each gets a per-object overhead. */
  objects: number;
  /** Image and audio tokens, already bounded. */
  mediaTokens: number;
  images: number;
  /** Why the prompt's size cannot be bounded; undefined when it can. */
  unbounded?: 'file' | 'image_unknown_size' | 'too_large' | 'too_deep';
}

export function promptParts(body: unknown, family: ModelFamily, model: string): PromptParts {
  const walk = new Walk(family, model);
  if (typeof body === 'string') {
    walk.strings.push(body);
  } else if (body !== null && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    for (const field of PROMPT_FIELDS) walk.visit(record[field], SCHEMA_FIELDS.has(field));
    const config = record.config;
    if (config !== null && typeof config === 'object') {
      for (const field of GEMINI_CONFIG_FIELDS) {
        walk.visit((config as Record<string, unknown>)[field], SCHEMA_FIELDS.has(field));
      }
    }
  }
  return {
    text: walk.strings.join('\n'),
    objects: walk.objects,
    mediaTokens: walk.mediaTokens,
    images: walk.images,
    unbounded: walk.unbounded,
  };
}

class Walk {
  readonly strings: string[] = [];
  objects = 0;
  mediaTokens = 0;
  images = 0;
  unbounded: PromptParts['unbounded'];
  private nodes = 0;

  constructor(
    private readonly family: ModelFamily,
    private readonly model: string,
  ) {}

  /** Iterative (no recursion limit to trip over), depth-bounded. `schema`: keys and scalars count too. */
  visit(root: unknown, schema = false): void {
    if (root === undefined || this.unbounded !== undefined) return;
    const stack: Array<[unknown, number]> = [[root, 0]];
    while (stack.length > 0) {
      const [value, depth] = stack.pop()!;
      if (++this.nodes > MAX_NODES) {
        this.stop('too_large');
        return;
      }
      if (typeof value === 'string') {
        if (value.startsWith('data:')) this.dataUrl(value, undefined);
        else this.strings.push(value);
        continue;
      }
      if (value === null || typeof value !== 'object') {
        if (schema && (typeof value === 'number' || typeof value === 'boolean'))
          this.strings.push(String(value));
        continue;
      }
      if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
        // Bytes not in an image or audio part we know: unbounded, and never walked byte by byte.
        this.stop('file');
        return;
      }
      if (depth >= MAX_DEPTH) {
        this.stop('too_deep');
        return;
      }
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], depth + 1]);
        continue;
      }
      const o = value as Record<string, unknown>;
      if (this.media(o)) continue;
      if (this.unbounded !== undefined) return;
      this.objects++;
      for (const key in o) {
        const child = o[key];
        if (schema) this.strings.push(key);
        else if (typeof child === 'string' && isStructuralKey(key)) continue;
        stack.push([child, depth + 1]);
      }
    }
  }

  private stop(reason: NonNullable<PromptParts['unbounded']>): void {
    this.unbounded ??= reason;
  }

  /** Handles a media content part; true when `o` was one (its children are not walked). */
  private media(o: Record<string, unknown>): boolean {
    const type = o.type;
    if (type === 'image_url') {
      const ref = o.image_url as { url?: unknown; detail?: unknown } | string | undefined;
      const url = typeof ref === 'string' ? ref : ref?.url;
      this.image(url, typeof ref === 'object' ? ref?.detail : undefined);
      return true;
    }
    if (type === 'input_image') {
      this.image(o.image_url, o.detail);
      return true;
    }
    if (type === 'image') {
      const source = o.source as { type?: unknown; data?: unknown } | undefined;
      this.image(
        source?.type === 'base64' && typeof source.data === 'string'
          ? `data:;base64,${source.data}`
          : undefined,
        undefined,
      );
      return true;
    }
    if (type === 'input_audio') {
      const data = (o.input_audio as { data?: unknown } | undefined)?.data;
      if (typeof data === 'string') this.mediaTokens += audioTokens(base64Bytes(data));
      else this.stop('file');
      return true;
    }
    if (type === 'file' && typeof o.mediaType === 'string') {
      // AI SDK file part: `data` is base64 text, a data/http URL, or bytes.
      this.sdkFile(o.mediaType, o.data);
      return true;
    }
    if (type === 'file' || type === 'input_file' || type === 'document') {
      this.stop('file');
      return true;
    }
    const inline = (o.inlineData ?? o.inline_data) as { mimeType?: unknown; data?: unknown } | undefined;
    if (inline !== undefined && inline !== null && typeof inline === 'object') {
      const mime = typeof inline.mimeType === 'string' ? inline.mimeType : '';
      const data = typeof inline.data === 'string' ? inline.data : '';
      this.mediaByMime(mime, data);
      return true;
    }
    const fileData = o.fileData ?? o.file_data;
    if (fileData !== undefined && fileData !== null && typeof fileData === 'object') {
      this.stop('file');
      return true;
    }
    return false;
  }

  private sdkFile(mediaType: string, data: unknown): void {
    if (ArrayBuffer.isView(data)) {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (mediaType.startsWith('image/')) this.sizedImage(imageSize(bytes), undefined);
      else if (mediaType.startsWith('audio/')) this.mediaTokens += audioTokens(bytes.byteLength);
      else this.stop('file');
      return;
    }
    if (typeof data !== 'string') {
      if (mediaType.startsWith('image/')) this.image(undefined, undefined);
      else this.stop('file');
      return;
    }
    if (data.startsWith('data:') || /^https?:/.test(data)) {
      if (mediaType.startsWith('image/')) this.image(data, undefined);
      else this.stop('file');
      return;
    }
    this.mediaByMime(mediaType, data);
  }

  private dataUrl(url: string, detail: unknown): void {
    const comma = url.indexOf(',');
    const mime = url.slice(5, url.indexOf(';') > 0 ? url.indexOf(';') : comma);
    if (mime.startsWith('image/') || mime === '') this.image(url, detail);
    else this.mediaByMime(mime, url.slice(comma + 1));
  }

  private mediaByMime(mime: string, base64: string): void {
    if (mime.startsWith('image/')) this.image(`data:${mime};base64,${base64}`, undefined);
    else if (mime.startsWith('audio/')) this.mediaTokens += audioTokens(base64Bytes(base64));
    else this.stop('file');
  }

  private image(url: unknown, detail: unknown): void {
    let size: ImageSize | undefined;
    if (typeof url === 'string' && url.startsWith('data:')) {
      size = imageSizeFromBase64(url.slice(url.indexOf(',') + 1));
    }
    this.sizedImage(size, detail);
  }

  private sizedImage(size: ImageSize | undefined, detail: unknown): void {
    this.images++;
    const tokens = imageTokens(
      this.family,
      this.model,
      size,
      typeof detail === 'string' ? detail : undefined,
    );
    if (tokens === undefined) this.stop('image_unknown_size');
    else this.mediaTokens += tokens;
  }
}

/** Keys whose string values are markers, not prompt text (`role: "user"`, `type: "text"`). */
function isStructuralKey(key: string): boolean {
  return key === 'type' || key === 'role' || key === 'cache_control' || key === 'detail';
}
