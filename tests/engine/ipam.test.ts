import { describe, expect, it } from 'vitest';
import {
  applyEdit,
  allocate,
  CIDR_NOT_AVAILABLE,
  CidrSet,
  HostLocalRange,
  parseScenarioJson,
  prefix,
  scenarioToJson,
} from '../../src/engine/index';
import { sandboxId } from '../../src/engine/ipam/sandbox';
import { cluster, network, node, pod } from './helpers';

describe('cidrset: node podCIDRs (kube-controller-manager)', () => {
  it('hands out blocks of the cluster CIDR in order: .0.0/24, .1.0/24, …', () => {
    const a = allocate(
      cluster({ clusterCidr: '10.244.0.0/16' }, [
        node('a', '10.100.0.2'),
        node('b', '10.100.0.3'),
        node('c', '10.100.0.4'),
      ]),
    );
    expect(a.scenario.nodes.map((n) => n.podCidr)).toEqual([
      '10.244.0.0/24',
      '10.244.1.0/24',
      '10.244.2.0/24',
    ]);
  });

  it('computes block i as cluster | (i << (32 - mask)) for other mask sizes', () => {
    const set = new CidrSet(prefix('10.244.0.0/16'), 26);
    expect(set.block(0).text).toBe('10.244.0.0/26');
    expect(set.block(5).text).toBe('10.244.1.64/26');
    expect(set.maxCidrs).toBe(1024);
  });

  it('reuses a freed block only after the cursor wraps', () => {
    const s0 = cluster({ clusterCidr: '10.244.0.0/22' }, [
      node('a', '10.100.0.2'),
      node('b', '10.100.0.3'),
    ]);
    const s1 = allocate(s0).scenario;
    // node a leaves; its 10.244.0.0/24 is free again
    const s2 = allocate({
      ...s1,
      nodes: [
        ...s1.nodes.filter((n) => n.name !== 'a'),
        node('c', '10.100.0.4'),
        node('d', '10.100.0.5'),
      ],
    }).scenario;
    expect(s2.nodes.map((n) => [n.name, n.podCidr])).toEqual([
      ['b', '10.244.1.0/24'],
      ['c', '10.244.2.0/24'],
      ['d', '10.244.3.0/24'],
    ]);
    // the cursor has wrapped: the next node gets the freed block
    const s3 = allocate({ ...s2, nodes: [...s2.nodes, node('e', '10.100.0.6')] }).scenario;
    expect(s3.nodes.at(-1)?.podCidr).toBe('10.244.0.0/24');
  });

  it('skips pinned podCIDRs and the service range inside the cluster CIDR', () => {
    const a = allocate(
      cluster({ clusterCidr: '10.0.0.0/22', serviceCidr: '10.0.0.0/24' }, [
        node('a', '10.100.0.2', { podCidr: '10.0.1.0/24', podCidrPinned: true }),
        node('b', '10.100.0.3'),
      ]),
    );
    expect(a.scenario.nodes.map((n) => n.podCidr)).toEqual(['10.0.1.0/24', '10.0.2.0/24']);
  });

  it('leaves a node without a podCIDR when the range is full, with CIDRNotAvailable', () => {
    const a = allocate(
      cluster({ clusterCidr: '10.244.0.0/23' }, [
        node('a', '10.100.0.2'),
        node('b', '10.100.0.3'),
        node('c', '10.100.0.4'),
      ]),
    );
    expect(a.scenario.nodes.map((n) => n.podCidr)).toEqual([
      '10.244.0.0/24',
      '10.244.1.0/24',
      undefined,
    ]);
    expect(a.events).toContainEqual({
      object: 'node/c',
      type: 'Warning',
      reason: 'CIDRNotAvailable',
      message: CIDR_NOT_AVAILABLE,
    });
    expect(CIDR_NOT_AVAILABLE).toBe(
      'CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range',
    );
  });

  it('a node without a podCIDR runs no pods and installs no bridge: flannel holds no lease, so its CNI plugin finds no subnet.env', () => {
    const net = network(
      cluster(
        { clusterCidr: '10.244.0.0/24' },
        [node('a', '10.100.0.2'), node('b', '10.100.0.3')],
        [pod('p', 'b')],
      ),
    );
    // the kubelet admitted the pod; its sandbox never gets a network (kubectl: ContainerCreating)
    expect(net.podStatus.get('p' as never)).toEqual({
      phase: 'ContainerCreating',
      message:
        'loadFlannelSubnetEnv failed: open /run/flannel/subnet.env: no such file or directory',
    });
    expect(net.events).toContainEqual({
      object: 'pod/p',
      type: 'Warning',
      reason: 'FailedCreatePodSandBox',
      message: `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${sandboxId('default', 'p')}": plugin type="flannel" failed (add): loadFlannelSubnetEnv failed: open /run/flannel/subnet.env: no such file or directory`,
    });
    expect(net.namespace('b')?.devices.map((d) => d.name)).toEqual(['lo', 'eth0']);
    expect(net.namespace('p')).toBeUndefined();
  });

  it('in the gateway datapath a node without a podCIDR has no CNI config: the runtime network is not ready', () => {
    const a = allocate(
      cluster(
        { clusterCidr: '10.244.0.0/24', datapath: 'gateway' },
        [node('a', '10.100.0.2'), node('b', '10.100.0.3')],
        [pod('p', 'b')],
      ),
    );
    const text =
      'network is not ready: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';
    expect(a.podStatus.get('p' as never)).toEqual({ phase: 'ContainerCreating', message: text });
    expect(a.events).toContainEqual({
      object: 'pod/p',
      type: 'Warning',
      reason: 'NetworkNotReady',
      message: text,
    });
  });

  it('finds a free block fast however many blocks the cluster CIDR holds (10.0.0.0/8 in /32s)', () => {
    const a = allocate(
      cluster({ clusterCidr: '10.0.0.0/8', nodeCidrMaskSize: 32, serviceCidr: '10.0.0.0/12' }, [
        node('a', '10.100.0.2'),
        node('b', '10.100.0.3'),
      ]),
    );
    // the service range takes the first 2^20 blocks as one span
    expect(a.scenario.nodes.map((n) => n.podCidr)).toEqual(['10.16.0.0/32', '10.16.0.1/32']);
    const full = new CidrSet(prefix('10.0.0.0/8'), 32);
    expect(full.occupy(prefix('10.0.0.0/8'))).toBe(true);
    expect(full.allocateNext()).toBeUndefined();
  });
});

describe('node masks of /31 and /32: blocks host-local cannot allocate from', () => {
  const small = (datapath: 'overlay' | 'gateway', mask: 31 | 32) =>
    network(
      cluster(
        { clusterCidr: '172.17.0.0/24', nodeCidrMaskSize: mask, datapath },
        [node('a', '10.100.0.2'), node('b', '10.100.0.3')],
        [pod('p', 'a'), pod('q', 'b')],
      ),
    );

  it('the nodes get their blocks; their pods fail where host-local fails, in its words (range.go Canonicalize)', () => {
    const net = small('overlay', 31);
    expect(net.scenario.nodes.map((n) => n.podCidr)).toEqual(['172.17.0.0/31', '172.17.0.2/31']);
    expect(net.podStatus.get('p' as never)).toEqual({
      phase: 'ContainerCreating',
      message:
        'failed to delegate add: invalid range set 0: Network 172.17.0.0/31 too small to allocate from',
    });
    expect(net.events).toContainEqual({
      object: 'pod/q',
      type: 'Warning',
      reason: 'FailedCreatePodSandBox',
      message: `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${sandboxId('default', 'q')}": plugin type="flannel" failed (add): failed to delegate add: invalid range set 0: Network 172.17.0.2/31 too small to allocate from`,
    });
    expect(net.namespace('p')).toBeUndefined();
  });

  it('flannel hands host-local its lease as “first usable IP”, so a /32 lease becomes the next /32', () => {
    // subnet.env: FLANNEL_SUBNET=172.17.0.1/32 for the lease 172.17.0.0/32 (sn.IP++)
    expect(small('overlay', 32).podStatus.get('p' as never)).toMatchObject({
      message:
        'failed to delegate add: invalid range set 0: Network 172.17.0.1/32 too small to allocate from',
    });
    // a bridge conflist templated from the podCIDR names the podCIDR itself, unwrapped
    expect(small('gateway', 32).podStatus.get('p' as never)).toMatchObject({
      message: 'invalid range set 0: Network 172.17.0.0/32 too small to allocate from',
    });
  });

  it('exports a scenario that loads back into the same network', () => {
    const net = small('overlay', 31);
    const back = parseScenarioJson(scenarioToJson(net.scenario));
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    const again = network(back.value);
    expect(again.scenario).toEqual(net.scenario);
    expect([...again.podStatus]).toEqual([...net.podStatus]);
  });
});

describe('host-local: pod IPs', () => {
  it('reserves .1 for the bridge and gives the first pod .2, then .3', () => {
    const a = allocate(cluster({}, [node('a', '10.100.0.2')], [pod('p1', 'a'), pod('p2', 'a')]));
    expect(a.scenario.pods.map((p) => p.ip)).toEqual(['10.244.0.2', '10.244.0.3']);
    expect(a.scenario.nodes[0]?.lastReservedIp).toBe('10.244.0.3');
  });

  it('never renumbers a pod when another is deleted, and does not hand a freed IP out until the range cycles', () => {
    const s1 = allocate(
      cluster({}, [node('a', '10.100.0.2')], [pod('p1', 'a'), pod('p2', 'a'), pod('p3', 'a')]),
    ).scenario;
    const s2 = allocate({
      ...s1,
      pods: [...s1.pods.filter((p) => p.name !== 'p2'), pod('p4', 'a')],
    }).scenario;
    expect(s2.pods.map((p) => [p.name, p.ip])).toEqual([
      ['p1', '10.244.0.2'],
      ['p3', '10.244.0.4'],
      ['p4', '10.244.0.5'],
    ]);
  });

  it('a stored IP host-local could not have given is replaced, and the pod’s events say so (issue 13)', () => {
    const a = allocate(
      cluster(
        {},
        [node('a', '10.100.0.2')],
        [
          { ...pod('p1', 'a'), ip: '10.244.0.7' },
          { ...pod('p2', 'a'), ip: '172.17.1.50' },
          { ...pod('p3', 'a'), ip: '10.244.0.7' },
          { ...pod('p4', 'a'), ip: '10.244.0.1' },
        ],
      ),
    );
    expect(a.scenario.pods.map((p) => p.ip)).toEqual([
      '10.244.0.7',
      '10.244.0.2',
      '10.244.0.3',
      '10.244.0.4',
    ]);
    const said = a.events.filter((e) => e.reason === 'SandboxChanged');
    expect(said.map((e) => [e.object, e.type, e.message])).toEqual([
      [
        'pod/p2',
        'Normal',
        "Pod sandbox changed, it will be killed and re-created. Its stored IP 172.17.1.50 is outside node a's podCIDR 10.244.0.0/24, so host-local gave it 10.244.0.2.",
      ],
      [
        'pod/p3',
        'Normal',
        'Pod sandbox changed, it will be killed and re-created. Its stored IP 10.244.0.7 is already held by pod p1, so host-local gave it 10.244.0.3.',
      ],
      [
        'pod/p4',
        'Normal',
        "Pod sandbox changed, it will be killed and re-created. Its stored IP 10.244.0.1 is not one host-local hands out (the network, cni0's gateway or the broadcast address), so host-local gave it 10.244.0.4.",
      ],
    ]);
    // allocated once, the addresses are kept and nothing more is said
    expect(allocate(a.scenario).events.filter((e) => e.reason === 'SandboxChanged')).toEqual([]);
  });

  it('a Calico block hands out its lowest free ordinal, the first to the tunnel when encapsulating, the last too', () => {
    const ipip = new HostLocalRange(prefix('192.168.97.192/26'), undefined, {
      kind: 'calicoBlock',
      tunnel: true,
    });
    expect(ipip.reserve(0xc0a861c1n)).toBe(true); // .193, as an imported pod held it
    expect(ipip.allocate()?.text).toBe('192.168.97.194');
    expect(ipip.reserve(0xc0a861c0n)).toBe(false); // .192 is tunl0's
    expect(ipip.reserve(0xc0a861ffn)).toBe(true); // .255: an ordinal like any other
    const bgp = new HostLocalRange(prefix('172.17.1.0/26'), 0xac110105n, {
      kind: 'calicoBlock',
      tunnel: false,
    });
    expect(bgp.allocate()?.text).toBe('172.17.1.0');
    expect(bgp.allocate()?.text).toBe('172.17.1.1');
  });

  it('wraps round-robin from the last reserved address', () => {
    const range = new HostLocalRange(prefix('10.0.0.0/29'), 6n + 0x0a000000n);
    expect(range.allocate()?.text).toBe('10.0.0.2');
  });

  it('never gives the network or broadcast address', () => {
    const range = new HostLocalRange(prefix('10.0.0.0/30'));
    expect(range.allocate()?.text).toBe('10.0.0.2');
    expect(range.allocate()).toBeUndefined();
  });

  it('leaves a pod ContainerCreating when the range is exhausted, in the CNI plugin’s words', () => {
    const pods = Array.from({ length: 254 }, (_, i) => pod(`p${i}`, 'a'));
    const a = allocate(
      cluster({ nodeCidrMaskSize: 24, maxPods: 300 }, [node('a', '10.100.0.2')], pods),
    );
    expect(a.podStatus.get('p252' as never)).toMatchObject({ phase: 'Running', ready: true });
    expect(a.podStatus.get('p253' as never)).toEqual({
      phase: 'ContainerCreating',
      message:
        'failed to allocate for range 0: no IP addresses available in range set: 10.244.0.1-10.244.0.254',
    });
    // as containerd + flannel report it: the kubelet's prefix, the CRI status, libcni, flannel's delegate
    expect(a.events).toContainEqual({
      object: 'pod/p253',
      type: 'Warning',
      reason: 'FailedCreatePodSandBox',
      message: `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${sandboxId('default', 'p253')}": plugin type="flannel" failed (add): failed to delegate add: failed to allocate for range 0: no IP addresses available in range set: 10.244.0.1-10.244.0.254`,
    });
    expect(sandboxId('default', 'p253')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('leaves pods past maxPods Pending with the scheduler’s Too many pods, counting every node', () => {
    const a = allocate(
      cluster(
        { maxPods: 2 },
        [node('a', '10.100.0.2'), node('b', '10.100.0.3'), node('c', '10.100.0.4')],
        [pod('p1', 'a'), pod('p2', 'a'), pod('p3', 'a')],
      ),
    );
    const message =
      "0/3 nodes are available: 1 Too many pods, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.";
    expect(a.podStatus.get('p3' as never)).toEqual({ phase: 'Pending', message });
    expect(a.events).toContainEqual({
      object: 'pod/p3',
      type: 'Warning',
      reason: 'FailedScheduling',
      message,
    });
    expect(a.scenario.pods[2]?.ip).toBeUndefined();
    const single = allocate(
      cluster({ maxPods: 1 }, [node('a', '10.100.0.2')], [pod('p1', 'a'), pod('p2', 'a')]),
    );
    expect(single.podStatus.get('p2' as never)).toEqual({
      phase: 'Pending',
      message:
        '0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    });
  });

  it('a stored address another pod already holds is not kept: host-local gives the later pod the next free one', () => {
    const s1 = allocate(
      cluster({}, [node('a', '10.100.0.2')], [pod('p1', 'a'), pod('p2', 'a')]),
    ).scenario;
    // hand-edited: p2 claims p1's address
    const edited = { ...s1, pods: s1.pods.map((p) => ({ ...p, ip: '10.244.0.2' })) };
    const a = allocate(edited);
    expect(a.scenario.pods.map((p) => [p.name, p.ip])).toEqual([
      ['p1', '10.244.0.2'],
      ['p2', '10.244.0.4'],
    ]);
    expect(a.podStatus.get('p2' as never)).toMatchObject({ phase: 'Running' });
    // and that is stable: the next allocation keeps both
    expect(allocate(a.scenario).scenario).toEqual(a.scenario);
  });

  it('a stored address outside the node’s podCIDR, or its gateway, is replaced by a fresh one', () => {
    const a = allocate(
      cluster(
        {},
        [node('a', '10.100.0.2', { podCidr: '10.244.7.0/24', podCidrPinned: true })],
        [pod('p1', 'a', { ip: '10.244.9.9' }), pod('p2', 'a', { ip: '10.244.7.1' })],
      ),
    );
    expect(a.scenario.pods.map((p) => p.ip)).toEqual(['10.244.7.2', '10.244.7.3']);
  });

  it('is idempotent: allocating an allocated scenario changes nothing', () => {
    const once = allocate(
      cluster(
        {},
        [node('a', '10.100.0.2'), node('b', '10.100.0.3')],
        [pod('p1', 'a'), pod('p2', 'b')],
      ),
    ).scenario;
    expect(allocate(once).scenario).toEqual(once);
  });
});

describe('naive IPAM: every bridge on Docker’s 172.17.0.0/16', () => {
  it('stores the addresses: deleting one pod never renumbers another', () => {
    const s1 = allocate(
      cluster({ ipam: 'naive' }, [node('a', '10.100.0.2')], [pod('p1', 'a'), pod('p2', 'a')]),
    ).scenario;
    const s2 = allocate({ ...s1, pods: s1.pods.filter((p) => p.name !== 'p1') }).scenario;
    expect(s2.pods.map((p) => p.ip)).toEqual(['172.17.0.3']);
  });

  it('switching the IPAM plugin recreates every sandbox with a new address', () => {
    const s1 = allocate(
      cluster(
        {},
        [node('a', '10.100.0.2'), node('b', '10.100.0.3')],
        [pod('pa', 'a'), pod('pb', 'b')],
      ),
    ).scenario;
    expect(s1.pods.map((p) => p.ip)).toEqual(['10.244.0.2', '10.244.1.2']);
    const s2 = allocate(applyEdit(s1, { kind: 'setCluster', patch: { ipam: 'naive' } })).scenario;
    expect(s2.pods.map((p) => p.ip)).toEqual(['172.17.0.2', '172.17.0.2']);
  });

  it('gives pods on different nodes the same IP', () => {
    const net = network(
      cluster(
        { ipam: 'naive' },
        [node('a', '10.100.0.2'), node('b', '10.100.0.3')],
        [pod('pa', 'a'), pod('pb', 'b')],
      ),
    );
    const addr = (ns: string) =>
      net.namespace(ns)?.devices.find((d) => d.name === 'eth0')?.addresses[0]?.ip.text;
    expect(addr('pa')).toBe('172.17.0.2');
    expect(addr('pb')).toBe('172.17.0.2');
  });
});
