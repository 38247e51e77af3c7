import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeLink, encodeLink, loadScenarioDocument } from '../../src/engine/index';

/**
 * Links the previous release wrote (link version 1, hand-laid rows), made by
 * that release's own encoder from every example in every datapath, and one
 * with namespaces, a UDP Service port, a fractional position (links carry whole pixels), a NetworkPolicy and a packet on hop 2.
 * Each must open as the scenario that release exported as JSON beside it.
 */
const fixtures = JSON.parse(
  readFileSync(new URL('../fixtures/links/links-v1.json', import.meta.url), 'utf8'),
) as { name: string; link: string; scenario: unknown }[];

describe('every link an earlier release made keeps opening', () => {
  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_, f) => {
    expect(f.link.startsWith('v1.')).toBe(true);
    const expected = loadScenarioDocument(f.scenario);
    if (!expected.ok) throw new Error(expected.error.text);
    const opened = decodeLink(f.link);
    expect(opened.ok && opened.value.scenario).toEqual(expected.value);
    // and written again in today's form, it opens as the same scenario
    const again = encodeLink({ scenario: expected.value });
    expect(again.startsWith('v2.')).toBe(true);
    expect(decodeLink(again)).toEqual({ ok: true, value: { scenario: expected.value } });
  });

  it('keep the packet a link was playing', () => {
    const f = fixtures.find((x) => x.name === 'namespaces')!;
    const opened = decodeLink(f.link);
    expect(opened.ok && opened.value.play).toEqual({
      from: 'x/a',
      dst: '172.17.2.2',
      protocol: 'tcp',
      dport: 80,
      hop: 2,
    });
  });

  it('are no longer in today’s form than they were', () => {
    for (const f of fixtures) {
      const s = loadScenarioDocument(f.scenario);
      if (!s.ok) throw new Error(s.error.text);
      expect(encodeLink({ scenario: s.value }).length, f.name).toBeLessThanOrEqual(f.link.length);
    }
  });
});
