import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/shared.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : /\.(ts|js|mjs|cjs)$/.test(name) ? [full] : [];
  });
}

const SDK = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](@slack\/[^'"]*|discord\.js|@discordjs\/[^'"]*)['"]/;

describe('the platform-neutral core', () => {
  it('given every file under src/, none imports Slack or Discord SDKs', () => {
    const offenders = sources(join(ROOT, 'src'))
      .filter((file) => SDK.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(offenders).toEqual([]);
  });

  it('the import check itself recognises an SDK import', () => {
    expect(SDK.test("import { App } from '@slack/bolt';")).toBe(true);
    expect(SDK.test('const { Client } = require("discord.js")')).toBe(true);
    expect(SDK.test("import { marked } from 'marked';")).toBe(false);
  });
});
