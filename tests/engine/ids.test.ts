import { describe, expect, it } from 'vitest';
import {
  applyEdit,
  buildNetwork,
  buildProblems,
  destinationAddress,
  example,
  loadScenarioDocument,
  objectKey,
  parseObjectKey,
  parseSegment,
  serviceKey,
  trace,
  type Scenario,
} from '../../src/engine/index';
import { parseFlowId, flowId } from '../../src/ui/canvas/layout';

/** The seed with a second `web` Service in namespace x, selecting x's own pods. */
function twoWebs(): Scenario {
  const seed = example('seed');
  const doc = JSON.parse(JSON.stringify(seed));
  doc.namespaces = [{ name: 'x' }];
  doc.pods.push({
    ...doc.pods[2],
    name: 'pod2x',
    namespace: 'x',
    ip: undefined,
    position: undefined,
  });
  doc.services.push({
    name: 'web',
    namespace: 'x',
    selector: { app: 'web' },
    ports: [{ name: 'http', port: 80, targetPort: 8080 }],
  });
  const loaded = loadScenarioDocument(doc);
  if (!loaded.ok) throw new Error(loaded.error.text);
  return loaded.value;
}

describe('ids: one builder and one parser each', () => {
  it('read back what they build', () => {
    expect(parseObjectKey(objectKey('pod', 'x/web'))).toEqual({ kind: 'pod', ref: 'x/web' });
    expect(parseObjectKey(serviceKey({ name: 'web', namespace: 'x' }))).toEqual({
      kind: 'service',
      ref: 'x/web',
    });
    expect(serviceKey({ name: 'web', namespace: 'default' })).toBe('service/web');
    expect(parseObjectKey('configmap/x')).toBeUndefined();
    expect(parseSegment('bridge:node1')).toEqual({ kind: 'bridge', node: 'node1' });
    expect(parseSegment('subnet:vpc-subnet')).toEqual({ kind: 'subnet', subnet: 'vpc-subnet' });
    expect(parseFlowId(flowId.router('r:1'))).toEqual({ kind: 'router', name: 'r:1' });
    expect(parseFlowId('edge:router:a:b')).toBeUndefined();
    expect(parseFlowId('toString:x')).toBeUndefined();
  });
});

describe('a Service is namespace/name, as a pod is', () => {
  it('web in default and web in x are two Services, each with its own namespace’s endpoints', () => {
    const built = buildNetwork(twoWebs());
    if (!built.ok) throw new Error(JSON.stringify(built.problems));
    const net = built.network;
    expect(buildProblems(built)).toEqual([]);
    const ips = net.scenario.services.map((v) => v.clusterIP);
    expect(new Set(ips).size).toBe(2);
    const x = destinationAddress(net, 'service/x/web');
    const d = destinationAddress(net, 'service/web');
    expect(x).toBeDefined();
    expect(x).not.toBe(d);
    // x/web's only endpoint is pod2x: a curl from pod1a lands there
    const ends = net.servicePorts.filter((p) => p.service.namespace === 'x');
    expect(ends.flatMap((p) => p.endpoints.map((e) => e.pod))).toEqual(['x/pod2x']);
    const t = trace(net, { from: 'pod1a', dst: x!, protocol: 'tcp', dport: 80 });
    if (!t.ok) throw new Error(t.error.text);
    expect(t.value.verdict.ok).toBe(true);
    expect(t.value.request.end).toMatchObject({ kind: 'delivered', namespace: 'x/pod2x' });
  });

  it('two Services named web in one namespace are refused in the API server’s words', () => {
    const s = twoWebs();
    const clash = { ...s, services: s.services.map((v) => ({ ...v, namespace: undefined })) };
    const built = buildNetwork(clash);
    expect(built.ok).toBe(false);
    expect(!built.ok && built.problems.map((p) => p.text)).toContain(
      'services "web" already exists',
    );
  });

  it('an edit names x/web and leaves default/web alone; a rename keeps the namespace', () => {
    const s = twoWebs();
    const moved = applyEdit(s, {
      kind: 'updateService',
      name: 'x/web',
      patch: { selector: { app: 'other' } },
    });
    expect(moved.services.map((v) => v.selector['app'])).toEqual(['web', 'other']);
    const renamed = applyEdit(s, {
      kind: 'rename',
      target: { kind: 'service', name: 'x/web' },
      to: 'api',
    });
    expect(renamed.services.map((v) => [v.namespace ?? 'default', v.name])).toEqual([
      ['default', 'web'],
      ['x', 'api'],
    ]);
    const removed = applyEdit(s, { kind: 'remove', target: { kind: 'service', name: 'x/web' } });
    expect(removed.services.map((v) => v.namespace ?? 'default')).toEqual(['default']);
  });
});
