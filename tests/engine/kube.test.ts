import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildNetwork, example, loadScenarioDocument } from '../../src/engine/index';
import {
  importKube,
  KUBE_LIMITS,
  parseKubeText,
  scenarioFromKubeText,
  scenarioToKubeYaml,
  type KubeImport,
  type ScenarioDocument,
} from '../../src/engine/kube/index';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'kube');
const fixtureText = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

function imported(text: string): KubeImport {
  const r = scenarioFromKubeText(text);
  if (!r.ok) throw new Error(r.error.text);
  return r.value;
}
const fixture = (name: string): KubeImport => imported(fixtureText(name));

const podIds = (d: ScenarioDocument) => d.pods.map((p) => `${p.namespace}/${p.name}`);
const pod = (d: ScenarioDocument, id: string) =>
  d.pods.find((p) => `${p.namespace}/${p.name}` === id);
const service = (d: ScenarioDocument, id: string) =>
  d.services.find((s) => `${s.namespace}/${s.name}` === id);
const noteWith = (r: KubeImport, text: string) => r.notes.find((n) => n.includes(text));

/** the v2 loader lands with the scenario schema work; until then the document shape is checked */

describe('kubectl get … -o json of a kubeadm cluster with flannel', () => {
  const r = fixture('kubeadm-flannel.json');
  const d = r.document;

  it('imports the three nodes with their InternalIP and podCIDR, pinned', () => {
    expect(d.nodes).toEqual([
      {
        name: 'cp-1',
        subnet: 'subnet-10-0-1-0',
        ip: '10.0.1.10',
        podCidr: '10.244.0.0/24',
        podCidrPinned: true,
      },
      {
        name: 'worker-1',
        subnet: 'subnet-10-0-1-0',
        ip: '10.0.1.11',
        podCidr: '10.244.1.0/24',
        podCidrPinned: true,
      },
      {
        name: 'worker-2',
        subnet: 'subnet-10-0-1-0',
        ip: '10.0.1.12',
        podCidr: '10.244.2.0/24',
        podCidrPinned: true,
      },
    ]);
  });

  it('infers one /24 underlay subnet with its gateway at .1, and says the mask was assumed', () => {
    expect(d.subnets).toEqual([
      { name: 'subnet-10-0-1-0', cidr: '10.0.1.0/24', gateway: '10.0.1.1', srcDstCheck: false },
    ]);
    expect(d.routers).toEqual([]);
    expect(noteWith(r, 'the subnet mask is not in the objects')).toBeDefined();
  });

  it('detects flannel VXLAN from the node annotations: overlay, and says DirectRouting cannot be seen', () => {
    expect(d.cluster.datapath).toBe('overlay');
    const note = noteWith(r, 'CNI: flannel VXLAN');
    expect(note).toContain('flannel.alpha.coreos.com/backend-type: vxlan on 3 nodes');
    expect(note).toContain('DirectRouting');
  });

  it('reads the cluster ranges back from what was allocated', () => {
    expect(d.cluster).toMatchObject({
      clusterCidr: '10.244.0.0/22',
      nodeCidrMaskSize: 24,
      serviceCidr: '10.96.0.0/12',
      maxPods: 110,
    });
    expect(noteWith(r, 'cluster CIDR 10.244.0.0/22: the smallest range')).toBeDefined();
    expect(noteWith(r, "kubeadm's default serviceSubnet")).toBeDefined();
  });

  it('keeps x/web and y/web as two pods, with the IPs the cluster gave them', () => {
    expect(pod(d, 'x/web')).toMatchObject({
      node: 'worker-1',
      ip: '10.244.1.2',
      phase: 'Running',
      labels: { app: 'web' },
    });
    expect(pod(d, 'y/web')).toMatchObject({ node: 'worker-2', ip: '10.244.2.2' });
    expect(pod(d, 'x/web')?.containers).toEqual([
      {
        name: 'web',
        image: 'nginx:1.25',
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  it('leaves out hostNetwork, unscheduled and finished pods, each counted in one note', () => {
    expect(podIds(d).sort()).toEqual([
      'kube-system/coredns-7db6d8ff4d-q629m',
      'kube-system/coredns-7db6d8ff4d-x2f2c',
      'x/api-6b8d9f7c5d-qc8bb',
      'x/client-5f6d8b9c7-bp86p',
      'x/web',
      'y/web',
    ]);
    expect(r.notes).toContain(
      "left out: 10 hostNetwork pods (they share their node's network namespace)",
    );
    expect(r.notes).toContain('left out: 1 pod not scheduled yet (no spec.nodeName)');
    expect(noteWith(r, 'left out: 1 pod Succeeded or Failed')).toBeDefined();
  });

  it('keeps Services with a selector, resolving a named targetPort against the selected pods', () => {
    expect(service(d, 'x/web')).toEqual({
      namespace: 'x',
      name: 'web',
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
      clusterIP: '10.101.23.17',
    });
    expect(service(d, 'kube-system/kube-dns')?.ports).toHaveLength(3);
    // a Service without a selector is kept: the EndpointSlices written for it say where it goes
    expect(service(d, 'default/kubernetes')?.selector).toEqual({});
    expect(noteWith(r, 'without a selector')).toContain('default/kubernetes');
    expect(service(d, 'x/api')?.clusterIP).toBe('10.104.5.9');
    expect(service(d, 'x/api')?.type).toBe('NodePort');
  });

  it('notes the EndpointSlice endpoint that is not ready, and imports anyway', () => {
    expect(noteWith(r, 'not ready')).toContain('x/api: 10.244.1.3');
  });

  it('keeps the NetworkPolicy verbatim, minus the API server’s bookkeeping', () => {
    expect(d.networkPolicies).toHaveLength(1);
    const np = d.networkPolicies[0] as {
      metadata: Record<string, unknown>;
      spec: unknown;
      apiVersion: string;
    };
    expect(np.apiVersion).toBe('networking.k8s.io/v1');
    expect(Object.keys(np.metadata).sort()).toEqual([
      'annotations',
      'generation',
      'name',
      'namespace',
    ]);
    expect(np.spec).toEqual({
      ingress: [
        {
          from: [{ podSelector: { matchLabels: { app: 'client' } } }],
          ports: [{ port: 8080, protocol: 'TCP' }],
        },
      ],
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Ingress'],
    });
  });

  it('lists the kinds it does not model once', () => {
    expect(r.notes).toContain('ignored: 1 ConfigMap');
  });

  it('imports the namespaces with their labels, metadata.name included', () => {
    expect(d.namespaces.map((n) => n.name)).toEqual([
      'default',
      'kube-flannel',
      'kube-node-lease',
      'kube-public',
      'kube-system',
      'x',
      'y',
    ]);
    expect(d.namespaces.find((n) => n.name === 'x')?.labels).toEqual({
      'kubernetes.io/metadata.name': 'x',
      team: 'shop',
    });
  });
});

describe('kubectl get … -o json of a kubeadm cluster with Calico (IPIP)', () => {
  const r = fixture('kubeadm-calico.json');
  const d = r.document;

  it('runs Calico IPIP (calico-ipip), which enforces NetworkPolicy, and says so', () => {
    expect(d.cluster).toMatchObject({ cni: 'calico-ipip', networkPolicy: 'felix' });
    expect(noteWith(r, 'CNI: Calico IPIP')).toContain('→ CNI calico-ipip');
  });

  it('takes the subnet mask from projectcalico.org/IPv4Address', () => {
    expect(d.subnets).toEqual([
      {
        name: 'subnet-172-16-20-0',
        cidr: '172.16.20.0/24',
        gateway: '172.16.20.1',
        srcDstCheck: false,
      },
    ]);
    expect(noteWith(r, 'masks from projectcalico.org/IPv4Address')).toBeDefined();
  });

  it('keeps pod IPs from Calico blocks: each node’s block, from its tunnel address, stands for its podCIDR', () => {
    expect(d.nodes.map((n) => [n.name, n.podCidr])).toEqual([
      ['k8s-cp', '192.168.97.192/26'],
      ['k8s-w1', '192.168.171.64/26'],
      ['k8s-w2', '192.168.12.128/26'],
    ]);
    expect(d.cluster).toMatchObject({ clusterCidr: '192.168.0.0/16', nodeCidrMaskSize: 26 });
    expect(noteWith(r, 'not from spec.podCIDR')).toContain('k8s-cp 192.168.97.192/26');
    // built, calico-ipam keeps every address the cluster gave (the tunnel holds each block's .0)
    const loaded = loadScenarioDocument(d);
    if (!loaded.ok) throw new Error(loaded.error.text);
    const built = buildNetwork(loaded.value);
    if (!built.ok) throw new Error(JSON.stringify(built.problems));
    expect(built.network.scenario.pods.map((p) => p.ip)).toEqual(d.pods.map((p) => p.ip));
    expect(built.network.events.filter((e) => e.reason === 'SandboxChanged')).toEqual([]);
  });

  it('leaves out the calico-node pods (hostNetwork) and the headless Service', () => {
    expect(podIds(d).some((id) => id.includes('calico-node'))).toBe(false);
    expect(podIds(d)).toContain('kube-system/calico-kube-controllers-658d97c59c-8m85n');
    expect(service(d, 'shop/cart')).toBeUndefined();
    expect(noteWith(r, 'headless Service')).toContain('shop/cart');
    expect(service(d, 'shop/frontend')?.ports[0]?.targetPort).toBe(80);
  });
});

describe('kubectl get … -o yaml of a managed cloud cluster with kubenet-style routes', () => {
  const r = fixture('managed-kubenet.yaml');
  const d = r.document;

  it('finds no CNI, nodes with podCIDRs: the gateway datapath', () => {
    expect(d.cluster.datapath).toBe('gateway');
    expect(noteWith(r, 'kubenet-style')).toContain('aws (spec.providerID)');
  });

  it('infers two subnets, one per /24 of InternalIPs, joined by router rtr', () => {
    expect(d.subnets.map((s) => [s.name, s.cidr, s.gateway])).toEqual([
      ['subnet-10-20-1-0', '10.20.1.0/24', '10.20.1.1'],
      ['subnet-10-20-2-0', '10.20.2.0/24', '10.20.2.1'],
    ]);
    expect(d.routers).toEqual([{ name: 'rtr', subnets: ['subnet-10-20-1-0', 'subnet-10-20-2-0'] }]);
    expect(d.nodes.map((n) => n.subnet)).toEqual([
      'subnet-10-20-1-0',
      'subnet-10-20-1-0',
      'subnet-10-20-2-0',
    ]);
  });

  it('assumes the /12 around a kubernetes Service that is not kubeadm’s, and says so', () => {
    expect(d.cluster.serviceCidr).toBe('100.64.0.0/12');
    expect(noteWith(r, 'service CIDR 100.64.0.0/12 assumed')).toBeDefined();
  });

  it('keeps the ClusterIP of a LoadBalancer Service, and the pods of a two-container pod', () => {
    expect(service(d, 'demo/web')?.clusterIP).toBe('100.67.120.31');
    expect(service(d, 'demo/web')?.type).toBe('LoadBalancer');
    const api = d.pods.find((p) => p.name.startsWith('api-'));
    expect(api?.containers.map((c) => c.name)).toEqual(['api', 'envoy']);
    expect(service(d, 'demo/api')?.ports[0]?.targetPort).toBe(8080);
  });
});

describe('plain manifests in multi-document YAML', () => {
  const r = fixture('manifests.yaml');
  const d = r.document;

  it('imports nodes, namespaces, pods (default when no namespace is given) and Services', () => {
    expect(d.nodes.map((n) => n.name)).toEqual(['lab-1', 'lab-2']);
    expect(podIds(d)).toEqual(['demo/web-1', 'demo/web-2', 'default/shell']);
    expect(d.namespaces.map((n) => n.name)).toEqual(['default', 'kube-system', 'demo']);
    expect(service(d, 'demo/web')?.ports).toEqual([
      { name: 'http', port: 80, targetPort: 80, protocol: 'TCP' },
    ]);
  });

  it('lists the kinds it ignores once, and says what could not be known', () => {
    expect(r.notes).toContain('ignored: 1 ConfigMap, 1 Deployment');
    expect(noteWith(r, 'without status.podIP yet')).toBeDefined();
    expect(d.cluster.datapath).toBe('overlay');
    expect(noteWith(r, 'nothing in the objects says which CNI runs')).toBeDefined();
  });
});

describe('what an import is given', () => {
  const node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n1' },
    spec: { podCIDR: '10.244.0.0/24' },
    status: { addresses: [{ type: 'InternalIP', address: '10.0.0.5' }] },
  };

  it('takes a single object, a JSON array and a typed list (PodList) as well as a List', () => {
    const one = parseKubeText(JSON.stringify(node));
    expect(one.ok && one.value).toHaveLength(1);
    const list = parseKubeText(
      JSON.stringify({ apiVersion: 'v1', kind: 'NodeList', items: [node, node] }),
    );
    expect(list.ok && list.value).toHaveLength(2);
    const array = parseKubeText(JSON.stringify([node, node, node]));
    expect(array.ok && array.value).toHaveLength(3);
  });

  it('counts items that are not Kubernetes objects and imports the rest', () => {
    const r = importKube([node, 42, 'text', { metadata: { name: 'no-kind' } }]);
    expect(r.ok && r.value.notes).toContain(
      'left out: 3 items that are not a Kubernetes object (no kind)',
    );
    expect(r.ok && r.value.document.nodes).toHaveLength(1);
  });

  it('refuses, in words, objects without any node', () => {
    const r = scenarioFromKubeText('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.text).toMatch(/^nothing to import: there are no Node objects/);
  });

  it('moves the gateway off .1 when a node holds it', () => {
    const r = importKube([
      { ...node, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }] } },
    ]);
    expect(r.ok && r.value.document.subnets[0]?.gateway).toBe('10.0.0.2');
  });

  it('says when a YAML file is not valid YAML, with the line', () => {
    const r = parseKubeText('kind: Pod\nmetadata:\n  name: [a\n');
    expect(!r.ok && r.error.kind).toBe('badYaml');
    expect(!r.ok && r.error.text).toMatch(/line \d+, column \d+/);
  });
});

describe('hostile input is refused with a message', () => {
  it('YAML aliases expanding a billion laughs', () => {
    let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < 10; i++) {
      const name = String.fromCharCode(97 + i);
      const prev = String.fromCharCode(96 + i);
      text += `${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
    }
    const r = parseKubeText(text);
    expect(!r.ok && r.error.kind).toBe('tooManyAliases');
    expect(!r.ok && r.error.text).toContain('billion laughs');
  });

  it('10 MB of YAML, before parsing it', () => {
    const text =
      'kind: ConfigMap\ndata:\n' +
      '  k: vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\n'.repeat(
        140_000,
      );
    expect(text.length).toBeGreaterThan(10_000_000);
    const t0 = performance.now();
    const r = parseKubeText(text);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(!r.ok && r.error.kind).toBe('tooLarge');
    expect(!r.ok && r.error.text).toContain('-o json');
  });

  it('JSON over its limit, before parsing it', () => {
    const text = `{"kind":"List","items":[${' '.repeat(KUBE_LIMITS.jsonChars)}]}`;
    const r = parseKubeText(text);
    expect(!r.ok && r.error.kind).toBe('tooLarge');
  });

  it('deep nesting, in JSON and in YAML flow and block style, without crashing', () => {
    for (const text of [
      '['.repeat(100_000) + ']'.repeat(100_000),
      'items: ' + '['.repeat(2_000_000),
      '- '.repeat(50_000) + 'a\n',
      Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' b\n',
      `{"kind":"Pod","metadata":${'{"a":'.repeat(100)}1${'}'.repeat(100)}}`,
    ]) {
      const r = parseKubeText(text);
      expect(!r.ok && r.error.kind).toBe('tooDeep');
    }
  });

  it('brackets inside strings are not nesting', () => {
    const r = parseKubeText(`kind: ConfigMap\ndata:\n  script: "${'['.repeat(200)}"\n`);
    expect(r.ok).toBe(true);
  });

  it('__proto__ and constructor keys leave Object.prototype clean and are dropped', () => {
    const json =
      '{"kind":"Pod","__proto__":{"polluted":"yes"},"metadata":{"name":"a","labels":{"__proto__":{"polluted":"yes"}}},"constructor":{"prototype":{"polluted":"yes"}}}';
    const yaml =
      'kind: Pod\n__proto__: {polluted: yes}\nmetadata:\n  name: a\n  labels:\n    __proto__: {polluted: yes}\nconstructor: {prototype: {polluted: yes}}\n';
    for (const text of [json, yaml]) {
      const r = parseKubeText(text);
      expect(r.ok).toBe(true);
      const o = (r.ok ? r.value[0] : undefined) as Record<string, unknown>;
      expect(Object.keys(o).sort()).toEqual(['kind', 'metadata']);
      expect(Object.keys((o['metadata'] as { labels: object }).labels)).toEqual([]);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    }
  });
});

describe('YAML export → import gives back the same scenario', () => {
  for (const name of [
    'kubeadm-flannel.json',
    'kubeadm-calico.json',
    'managed-kubenet.yaml',
    'manifests.yaml',
  ]) {
    it(name, () => {
      const first = fixture(name).document;
      const yaml = scenarioToKubeYaml(first);
      const again = imported(yaml);
      expect(again.document).toEqual(first);
      expect(again.notes[0]).toBe(
        'cluster settings, underlay and nodes from the PodhopCluster document "podhop": nothing was inferred',
      );
    });
  }

  it('positions ride in the podhop.dev/position annotation, not in the spec', () => {
    const d = fixture('kubeadm-flannel.json').document;
    const placed: ScenarioDocument = {
      ...d,
      pods: d.pods.map((p, i) => ({ ...p, position: { x: 10 * i, y: -20.5 } })),
      services: d.services.map((s, i) => ({ ...s, position: { x: i, y: 300 } })),
      nodes: d.nodes.map((n, i) => ({ ...n, position: { x: 400 * i, y: 0 } })),
    };
    const yaml = scenarioToKubeYaml(placed);
    expect(yaml).toContain('podhop.dev/position: 10,-20.5');
    expect(imported(yaml).document).toEqual(placed);
  });

  it('manifests carry apiVersion, kind, metadata and a spec of Kubernetes fields only', () => {
    const objects = parseKubeText(scenarioToKubeYaml(fixture('kubeadm-flannel.json').document));
    expect(objects.ok).toBe(true);
    const allowed: Record<string, readonly string[]> = {
      Pod: ['nodeName', 'containers', 'shareProcessNamespace'],
      Service: [
        'selector',
        'ports',
        'clusterIP',
        'type',
        'externalTrafficPolicy',
        'internalTrafficPolicy',
        'externalIPs',
        'loadBalancerSourceRanges',
        'healthCheckNodePort',
        'sessionAffinity',
        'sessionAffinityConfig',
      ],
      Namespace: [],
    };
    for (const o of (objects.ok ? objects.value : []) as Array<
      Record<string, Record<string, unknown>>
    >) {
      expect(o['apiVersion']).toBeTypeOf('string');
      expect(o['metadata']?.['name']).toBeTypeOf('string');
      const keys = allowed[o['kind'] as unknown as string];
      if (keys) for (const k of Object.keys(o['spec'] ?? {})) expect(keys).toContain(k);
    }
  });

  it('a format-1 example exports with its objects in default', () => {
    const seed = example('seed');
    const back = imported(scenarioToKubeYaml(seed)).document;
    expect(back.nodes).toEqual(seed.nodes);
    expect(back.subnets).toEqual(seed.subnets);
    expect(back.cluster).toEqual(seed.cluster);
    expect(back.pods.map((p) => `${p.namespace}/${p.name} ${p.node}`)).toEqual(
      seed.pods.map((p) => `default/${p.name} ${p.node}`),
    );
    expect(back.namespaces.map((n) => n.name)).toEqual(['default', 'kube-system']);
  });
});
