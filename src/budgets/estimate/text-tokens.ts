/**
 * Input-token bounds for text.
 *
 * - OpenAI models: counted with the model's own BPE (`o200k_base` for gpt-4o, gpt-4.1, gpt-4.5,
 *   gpt-5, o1/o3/o4 and later; `cl100k_base` for gpt-4, gpt-4-turbo, gpt-3.5 and the
 *   text-embedding models) from the pure-JS `gpt-tokenizer` package. The encodings weigh ~35 MB
 *   of heap and ~120 ms to load, so they load in the background once the guard is on
 *   (`preloadTokenizers()`); until then the byte bound below is used.
 * - Every other model (Anthropic, Gemini, …), and OpenAI text past `MAX_TOKENIZED_CHARS`: the
 *   text's UTF-8 length in bytes. Byte-level BPE and SentencePiece-with-byte-fallback tokenizers
 *   (Claude's, Gemini's, the GPT family's) emit at least one byte per token, so a token count
 *   can never exceed the byte count.
 */

export type TextEncoding = 'o200k_base' | 'cl100k_base';

/** Characters tokenized per request at most; the rest is bounded by its bytes (work stays bounded). */
export const MAX_TOKENIZED_CHARS = 200_000;

type CountTokens = (text: string) => number;
const loaded: Partial<Record<TextEncoding, CountTokens>> = {};
let loading: Promise<void> | undefined;

/** Starts loading both encodings (idempotent); resolves once both are usable, never rejects. */
export function preloadTokenizers(): Promise<void> {
  loading ??= Promise.all([
    import('gpt-tokenizer/encoding/o200k_base').then((m) => {
      loaded.o200k_base = m.countTokens as CountTokens;
    }),
    import('gpt-tokenizer/encoding/cl100k_base').then((m) => {
      loaded.cl100k_base = m.countTokens as CountTokens;
    }),
  ]).then(
    () => undefined,
    () => undefined,
  );
  return loading;
}

/** The encoding an OpenAI model uses, or undefined when we know of none for it. */
export function openaiEncoding(model: string): TextEncoding | undefined {
  const m = model.toLowerCase();
  if (/^(ft:)?(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|chatgpt-4o|gpt-oss|codex)/.test(m))
    return 'o200k_base';
  if (/^(ft:)?(gpt-4|gpt-3\.5|text-embedding-3|text-embedding-ada-002)/.test(m)) return 'cl100k_base';
  return undefined;
}

export interface TextCount {
  tokens: number;
  /** `tokenizer` when every character went through the model's encoding. */
  method: 'tokenizer' | 'bytes';
}

/** Upper bound on the tokens of `text` (see the file comment for the rule used). */
export function countTextTokens(text: string, encoding: TextEncoding | undefined): TextCount {
  const count = encoding === undefined ? undefined : loaded[encoding];
  if (count === undefined) return { tokens: Buffer.byteLength(text, 'utf8'), method: 'bytes' };
  if (text.length <= MAX_TOKENIZED_CHARS) return { tokens: count(text), method: 'tokenizer' };
  // Cut on a whitespace boundary when one is near, so the split does not merge across a word.
  let cut = text.lastIndexOf(' ', MAX_TOKENIZED_CHARS);
  if (cut < MAX_TOKENIZED_CHARS / 2) cut = MAX_TOKENIZED_CHARS;
  return {
    tokens: count(text.slice(0, cut)) + Buffer.byteLength(text.slice(cut), 'utf8'),
    method: 'bytes',
  };
}
