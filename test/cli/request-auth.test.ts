/** `--header` / `--bearer-token` / `--basic-auth` and their env fallbacks; URL credentials; redaction. */
import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/errors.js';
import { redactUrls } from '../../src/cli/http-read.js';
import { normalizeBaseUrl } from '../../src/cli/prom-api.js';
import { authHeaders, endpointFor } from '../../src/cli/request-auth.js';
import { csvTextCell, safeJson, safeText } from '../../src/cli/terminal-text.js';

function errorOf(fn: () => unknown): CliError {
  try {
    fn();
  } catch (error) {
    return error as CliError;
  }
  throw new Error('expected a throw');
}

describe('authHeaders', () => {
  it('flags: bearer, basic, headers', () => {
    expect(authHeaders({ 'bearer-token': 't0k' }, {})).toEqual({ authorization: 'Bearer t0k' });
    // base64("ops:pa:ss") = b3BzOnBhOnNz
    expect(authHeaders({ 'basic-auth': 'ops:pa:ss' }, {})).toEqual({ authorization: 'Basic b3BzOnBhOnNz' });
    expect(authHeaders({ header: ['X-Scope-OrgID: team-a', 'X-Other:v'] }, {})).toEqual({
      'x-scope-orgid': 'team-a',
      'x-other': 'v',
    });
  });

  it('env fallbacks, flags winning', () => {
    const env = { LLM_COST_CLI_BEARER_TOKEN: 'from-env', LLM_COST_CLI_HEADERS: 'X-A: 1\nX-B: 2\n' };
    expect(authHeaders({}, env)).toEqual({ 'x-a': '1', 'x-b': '2', authorization: 'Bearer from-env' });
    expect(authHeaders({ 'bearer-token': 'flag', header: ['X-C: 3'] }, env)).toEqual({
      'x-c': '3',
      authorization: 'Bearer flag',
    });
  });

  it.each([
    [
      { header: ['no colon'] },
      '--header must look like "Name: value" with a header name of letters, digits and -',
    ],
    [{ header: ['X-A: a\u001bb'] }, '--header: the value of header X-A has control characters'],
    [{ 'bearer-token': 'a b' }, '--bearer-token must be a token without spaces'],
    [{ 'basic-auth': 'justuser' }, '--basic-auth must be user:password'],
    [{ 'bearer-token': 't', 'basic-auth': 'u:p' }, 'give a bearer token or basic credentials, not both'],
  ])('%j → usage error', (flags, message) => {
    const error = errorOf(() => authHeaders(flags, {}));
    expect(error).toBeInstanceOf(CliError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(message);
  });

  it('never echoes a secret in its errors', () => {
    expect(errorOf(() => authHeaders({ 'bearer-token': 'sec ret' }, {})).message).not.toContain('sec');
    expect(errorOf(() => authHeaders({ 'basic-auth': 'hunter2' }, {})).message).not.toContain('hunter2');
  });
});

describe('URL credentials', () => {
  it('move into a basic header; the display form is redacted', () => {
    const endpoint = endpointFor(
      normalizeBaseUrl('http://ops:p%40ss@127.0.0.1:9090/prom/', '--prometheus'),
      {},
    );
    expect(endpoint.url).toBe('http://127.0.0.1:9090/prom');
    expect(endpoint.display).toBe('http://***@127.0.0.1:9090/prom');
    // base64("ops:p@ss") = b3BzOnBAc3M=
    expect(endpoint.headers).toEqual({ authorization: 'Basic b3BzOnBAc3M=' });
  });

  it('an explicit flag wins over URL credentials', () => {
    const endpoint = endpointFor('http://ops:x@h:1', { authorization: 'Bearer t' });
    expect(endpoint.headers.authorization).toBe('Bearer t');
  });

  it('redactUrls hides userinfo anywhere in a message; a bad URL message does too', () => {
    expect(redactUrls('see https://a:b@x.io/p and http://c@y')).toBe(
      'see https://***@x.io/p and http://***@y',
    );
    expect(errorOf(() => normalizeBaseUrl('ftp://u:hunter2@h', '--metrics')).message).toBe(
      '--metrics must be an http(s) URL like http://127.0.0.1:9090, got "ftp://***@h"',
    );
  });
});

describe('terminal and CSV text', () => {
  it('safeText escapes C0, DEL, C1 and bidi controls visibly', () => {
    expect(safeText('a\u001b[2Jb\u0007\u007f\u009b\u202e\u2028')).toBe(
      'a\\x1b[2Jb\\x07\\x7f\\x9b\\u202e\\u2028',
    );
    expect(safeText('plain — ünïcode ✓')).toBe('plain — ünïcode ✓');
  });

  it('safeJson stays valid JSON with no raw C1/bidi characters', () => {
    const text = safeJson({ name: 'x\u009b31m\u202ey\u001b' });
    expect(text).toBe('{\n  "name": "x\\u009b31m\\u202ey\\u001b"\n}');
    expect(JSON.parse(text).name).toBe('x\u009b31m\u202ey\u001b');
  });

  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@A1', "'@A1"],
    ['\tx', "'\\x09x"],
    ['\rx', "'\\x0dx"],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['=HYPERLINK("u","x")', `"'=HYPERLINK(""u"",""x"")"`],
    ['planner', 'planner'],
  ])('csvTextCell(%j) → %s', (input, expected) => {
    expect(csvTextCell(input)).toBe(expected);
  });
});
