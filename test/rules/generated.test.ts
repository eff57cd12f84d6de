import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_FILES, renderRuleFiles } from '../../prometheus/src/rules.js';
import { ALERTMANAGER_DIR, parseEnvFile, RULES_DIR, renderAlertmanagerConfig } from './support.js';

describe('committed monitoring files are what their sources generate', () => {
  it.each(Object.values(RULE_FILES))(
    'prometheus/rules/%s matches prometheus/src (run `npx tsx prometheus/src/generate.ts`)',
    (name) => {
      const committed = readFileSync(join(RULES_DIR, name), 'utf8');
      expect(committed).toBe(renderRuleFiles()[name]);
    },
  );

  it('alertmanager/alertmanager.yml is the template rendered with alertmanager/example.env', () => {
    const vars = parseEnvFile(readFileSync(join(ALERTMANAGER_DIR, 'example.env'), 'utf8'));
    expect(Object.keys(vars)).toContain('ALERTMANAGER_SLACK_API_URL_FILE');
    const committed = readFileSync(join(ALERTMANAGER_DIR, 'alertmanager.yml'), 'utf8');
    expect(committed).toBe(renderAlertmanagerConfig(vars));
  });
});
