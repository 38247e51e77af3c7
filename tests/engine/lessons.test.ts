import { describe, expect, it } from 'vitest';
import {
  applyEdit,
  buildNetwork,
  example,
  LESSONS,
  trace,
  traceroute,
  type Hop,
  type Network,
} from '../../src/engine/index';

function played(
  net: Network,
  play: NonNullable<(typeof LESSONS)[number]['steps'][number]['play']>,
): readonly Hop[] {
  if (play.protocol === 'traceroute') {
    const r = traceroute(net, play.from, play.dst);
    if (!r.ok) throw new Error(r.error.text);
    return r.value.hops.flatMap((h) => h.trace.hops);
  }
  const t = trace(net, {
    from: play.from,
    dst: play.dst,
    protocol: play.protocol,
    ...(play.dport ? { dport: play.dport } : {}),
  });
  if (!t.ok) throw new Error(t.error.text);
  return t.value.hops;
}

describe('the three lessons', () => {
  it('answer the seed article’s three questions', () => {
    expect(LESSONS.map((l) => l.id)).toEqual(['containers', 'same-node', 'cross-node']);
  });

  for (const lesson of LESSONS) {
    describe(lesson.title, () => {
      lesson.steps.forEach((step, i) => {
        it(`step ${i + 1}: ${step.title} — builds, plays, and its prediction's answer is one of its choices`, () => {
          const b = buildNetwork(step.scenario());
          if (!b.ok) throw new Error(b.problems.map((p) => p.text).join('\n'));
          if (step.select)
            expect(
              b.network.scenario[`${step.select.kind}s`].some((x) => x.name === step.select!.name),
            ).toBe(true);
          if (!step.play) return;
          const hops = played(b.network, step.play);
          expect(hops.length).toBeGreaterThan(0);
          if (!step.predict) return;
          const at = step.predict.at(hops);
          expect(hops[at]).toBeDefined();
          const answer = step.predict.answer(hops, at);
          expect(step.predict.choices(b.network, hops, at)).toContain(answer);
        });
      });
    });
  }

  it('tells the truth: localhost stays in the pod; the bridge switches same-node frames; naive IPAM never reaches the underlay', () => {
    const net = (l: number, s: number) => {
      const b = buildNetwork(LESSONS[l]!.steps[s]!.scenario());
      if (!b.ok) throw new Error('invalid');
      return { net: b.network, hops: played(b.network, LESSONS[l]!.steps[s]!.play!) };
    };
    expect(net(0, 1).hops[0]).toMatchObject({ namespace: 'pod1a', devOut: 'lo' });
    expect(net(0, 2).net.podStatus.get('pod1a' as never)).toMatchObject({ ready: false });
    expect(net(1, 1).hops.map((h) => h.action)).toContain('bridge');
    expect(net(1, 2).hops.some((h) => h.wire?.segment.startsWith('subnet:'))).toBe(false);
    expect(net(2, 3).hops.at(-1)?.action).toBe('drop');
    expect(net(2, 4).net.namespace('node1')?.installErrors[0]?.text).toBe(
      'Error: Nexthop has invalid gateway.',
    );
    expect(net(2, 5).hops.find((h) => h.namespace === 'node1')?.action).toBe('dnat');
  });
});

/** Words that would give a question's answer away, by the answer (a route line's next hop and device). */
function giveaways(answer: string): RegExp[] {
  const route = /via (\S+)|dev (\S+)/g;
  const found = [...answer.matchAll(route)].flatMap((m) => [m[1], m[2]]).filter(Boolean);
  const words: Record<string, RegExp> = {
    'it is dropped': /drop|nobody answers|no one answers/i,
    'the cni0 bridge switches it (no routing, TTL unchanged)': /switch|L2 segment|ARPs for pod1b/i,
    'kube-proxy DNATs it to an endpoint': /DNAT/i,
    'over lo, inside pod1a': /\blo\b|same namespace/i,
  };
  return [
    ...found
      .filter((t) => t !== 'eth0')
      .map((t) => new RegExp(t!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))),
    ...(words[answer] ? [words[answer]] : []),
  ];
}

describe('a question is asked before its answer is told', () => {
  for (const lesson of LESSONS)
    lesson.steps.forEach((step, i) => {
      if (!step.predict || !step.play) return;
      it(`${lesson.id} step ${i + 1}: the text above the question does not say the answer; the explanation after it does`, () => {
        const b = buildNetwork(step.scenario());
        if (!b.ok) throw new Error('invalid');
        const hops = played(b.network, step.play!);
        const answer = step.predict!.answer(hops, step.predict!.at(hops));
        const before = step.text.join(' ');
        for (const re of giveaways(answer)) expect(before).not.toMatch(re);
        expect(step.explain?.length ?? 0).toBeGreaterThan(0);
      });
    });
});

describe('every step frames what it talks about', () => {
  it('lesson 3 step 5 names both subnets’ nodes and the router between them', () => {
    expect(LESSONS[2]!.steps[4]!.frame).toEqual(['node1', 'node2', 'rtr', 'node3']);
  });
  for (const lesson of LESSONS)
    lesson.steps.forEach((step, i) => {
      if (!step.frame) return;
      it(`${lesson.id} step ${i + 1} frames objects of its own cluster`, () => {
        const s = step.scenario();
        const names = new Set(
          [...s.nodes, ...s.pods, ...s.routers, ...s.subnets].map((x) => x.name as string),
        );
        for (const n of step.frame!) expect(names).toContain(n);
      });
    });
});

describe('what lesson 2 says about the allocator is what the allocator does', () => {
  it('the seed’s pinned nodes keep their blocks; a node added to it gets 172.17.0.0/24', () => {
    const seed = example('seed');
    expect(seed.nodes.map((n) => [n.podCidr, n.podCidrPinned])).toEqual([
      ['172.17.1.0/24', true],
      ['172.17.2.0/24', true],
    ]);
    const grown = applyEdit(seed, {
      kind: 'addNode',
      subnet: seed.subnets[0]!.name,
      position: { x: 0, y: 0 },
    });
    const b = buildNetwork(grown);
    if (!b.ok) throw new Error(b.problems.map((p) => p.text).join('\n'));
    expect(b.network.scenario.nodes.at(-1)?.podCidr).toBe('172.17.0.0/24');
  });
});
