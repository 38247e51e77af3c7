import { applyEdit } from '../scenario/edit';
import { example } from '../scenario/examples';
import type { Scenario } from '../scenario/types';
import type { Hop } from '../walk/hop';
import { printRoutes } from '../print/route';
import type { Network } from '../network/types';
import type { Lesson, Prediction } from './types';

const first = (pred: (h: Hop) => boolean) => (hops: readonly Hop[]) =>
  Math.max(0, hops.findIndex(pred));

/** "Which line of <ns>'s `ip route` will match?" — choices are the table, the answer is the line the hop consulted. */
function routeQuestion(ns: string, question: string): Prediction {
  const at = first(
    (h) =>
      h.namespace === ns && (h.action === 'forward' || h.action === 'send') && h.leg === 'request',
  );
  return {
    question,
    at,
    choices: (net: Network) => {
      const space = net.namespace(ns);
      return space
        ? printRoutes(space)
            .split('\n')
            .map((l) => l.trimEnd())
        : [];
    },
    answer: (hops, i) => hops[i]?.consulted.find((c) => c.table === 'route')?.line.trimEnd() ?? '',
  };
}

/** "What happens next?" — the answer is the next hop's action, said plainly. */
const ACTION_WORDS: Record<Hop['action'], string> = {
  send: 'it is sent out of a device',
  forward: 'a node routes it (TTL − 1)',
  bridge: 'the cni0 bridge switches it (no routing, TTL unchanged)',
  encapsulate: 'flannel.1 wraps it in VXLAN (outer UDP 8472)',
  decapsulate: 'the VXLAN envelope is removed',
  dnat: 'kube-proxy DNATs it to an endpoint',
  undnat: 'conntrack un-NATs the reply',
  snat: 'it is masqueraded',
  deliver: 'it is delivered',
  drop: 'it is dropped',
};

function nextActionQuestion(question: string, at: (hops: readonly Hop[]) => number): Prediction {
  return {
    question,
    at,
    choices: () => [
      ACTION_WORDS.bridge,
      ACTION_WORDS.forward,
      ACTION_WORDS.encapsulate,
      ACTION_WORDS.dnat,
      ACTION_WORDS.drop,
      ACTION_WORDS.deliver,
    ],
    answer: (hops, i) => ACTION_WORDS[hops[i]?.action ?? 'drop'],
  };
}

const withPortClash = (s: Scenario): Scenario =>
  applyEdit(s, {
    kind: 'updatePod',
    name: 'pod1a',
    patch: {
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.25',
          ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }],
        },
        {
          name: 'httpd',
          image: 'httpd:2.4',
          ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }],
        },
      ],
    },
  });

const srcCheck = (s: Scenario): Scenario => ({
  ...s,
  subnets: s.subnets.map((x) => ({ ...x, srcDstCheck: true })),
});

/** The three questions of the seed article, each a few steps with a packet to play. */
export const LESSONS: readonly Lesson[] = [
  {
    id: 'containers',
    title: '1 · Containers in one pod',
    question: 'How do containers in one pod talk to each other?',
    steps: [
      {
        title: 'One network namespace, held by pause',
        text: [
          'pod1a runs two app containers, `ubuntu` and `nginx`. The kubelet first starts a `pause` container: it holds the pod’s network namespace, and every app container joins it (net, ipc and uts are shared; pid is not, unless `shareProcessNamespace`).',
          'So both containers see the same `eth0` with the same IP, the same hostname and the same `lo`. Select pod1a: its tables are the namespace’s tables.',
        ],
        scenario: () => example('seed'),
        select: { kind: 'pod', name: 'pod1a' },
      },
      {
        title: 'localhost is shared',
        text: [
          'The ubuntu container connects to `127.0.0.1:80`, where nginx listens.',
          'Predict where the packet goes, then play it.',
        ],
        explain: [
          'The SYN never leaves pod1a: `127.0.0.1` is on `lo`, and nginx listens on it in the same network namespace, so ubuntu reaches it as a process on the same host would.',
        ],
        scenario: () => example('seed'),
        select: { kind: 'pod', name: 'pod1a' },
        play: { from: 'pod1a', dst: '127.0.0.1', protocol: 'tcp', dport: 80 },
        predict: {
          question: 'Where does the SYN to 127.0.0.1:80 go?',
          at: () => 0,
          choices: () => [
            'over lo, inside pod1a',
            'out of eth0 to the cni0 bridge',
            'to node1, which routes it',
          ],
          answer: (hops, i) =>
            hops[i]?.devOut === 'lo'
              ? 'over lo, inside pod1a'
              : hops[i]?.devOut === 'eth0'
                ? 'out of eth0 to the cni0 bridge'
                : 'to node1, which routes it',
        },
      },
      {
        title: 'Two containers, one port',
        text: [
          'Now pod1a runs nginx and httpd, both on port 80. They share one network namespace, so only one can bind it: httpd’s `bind()` fails with `Address already in use` (errno 98).',
          'The kubelet restarts the failing container again and again: `kubectl get pods` shows `CrashLoopBackOff` and READY `1/2` (the pause container is not counted).',
        ],
        scenario: () => withPortClash(example('seed')),
        select: { kind: 'pod', name: 'pod1a' },
        play: { from: 'pod1a', dst: '127.0.0.1', protocol: 'tcp', dport: 80 },
      },
    ],
  },
  {
    id: 'same-node',
    title: '2 · Pods on one node',
    question: 'How do pods on the same node talk?',
    steps: [
      {
        title: 'Cluster CIDR → podCIDR → pod IP',
        text: [
          'The cluster CIDR is `172.17.0.0/16`. kube-controller-manager’s allocator carves a /24 out of it for every node, in order from `172.17.0.0/24`. The seed’s two nodes were given theirs by hand, as in the article (the inspector says “pinned”): node1 holds `172.17.1.0/24`, node2 `172.17.2.0/24`. Add a node from the palette and the allocator hands it the first free block, `172.17.0.0/24`.',
          'On each node the CNI’s host-local IPAM gives `.1` to the `cni0` bridge and hands out `.2`, `.3`, … to pods: pod1a is `172.17.1.2`, pod1b `172.17.1.3`.',
        ],
        scenario: () => example('seed'),
        select: { kind: 'node', name: 'node1' },
      },
      {
        title: 'The bridge',
        text: [
          'pod1a pings pod1b. Both are pods on node1, with addresses in node1’s podCIDR `172.17.1.0/24`.',
          'Predict what node1 does with the frame.',
        ],
        explain: [
          'Both sit on node1’s `cni0` bridge, in one L2 segment: pod1a ARPs for pod1b directly and the bridge switches the frame by its MAC address (`bridge fdb`). Nothing is routed, so the TTL stays 64.',
        ],
        scenario: () => example('seed'),
        select: { kind: 'node', name: 'node1' },
        play: { from: 'pod1a', dst: '172.17.1.3', protocol: 'icmp' },
        predict: nextActionQuestion(
          'pod1a has sent the echo request. What happens to it on node1?',
          first((h) => h.namespace === 'node1'),
        ),
      },
      {
        title: 'Naive IPAM: every node on 172.17.0.0/16',
        text: [
          'Without a cluster-wide allocator every node’s bridge uses Docker’s default range, `172.17.0.0/16` with gateway `172.17.0.1`. pod1a on node1 and pod2a on node2 both get `172.17.0.2`.',
          'pod2a pings `172.17.0.3` (pod1b, on node1). pod2a’s `eth0` holds `172.17.0.2/16`: look at its routes and at node2’s before you predict.',
        ],
        explain: [
          'pod2a believes the whole /16 is on its own link, so it ARPs for `172.17.0.3` on node2’s bridge — where nobody answers. Nothing reaches the underlay. The CNI could not install a cross-node route either: node1 shows `Error: Nexthop has invalid gateway.`',
        ],
        frame: ['node1', 'node2'],
        scenario: () => example('naive'),
        select: { kind: 'node', name: 'node2' },
        play: { from: 'pod2a', dst: '172.17.0.3', protocol: 'icmp' },
        predict: nextActionQuestion('pod2a sends to 172.17.0.3. What happens?', () => 1),
      },
    ],
  },
  {
    id: 'cross-node',
    title: '3 · Pods on different nodes',
    question: 'How do pods on different nodes talk?',
    steps: [
      {
        title: 'Overlay: VXLAN like Flannel',
        text: [
          'In overlay mode flannel joins the nodes with a VXLAN tunnel over the underlay. pod1a pings pod2a on node2.',
          'Predict which of node1’s routes carries the echo request.',
        ],
        explain: [
          'node1 routes node2’s podCIDR `172.17.2.0/24` to `flannel.1`. The VXLAN device wraps the pod’s packet in a UDP datagram from node1 to node2 (port 8472, VNI 1): the underlay sees only node IPs.',
        ],
        scenario: () => example('seed', { datapath: 'overlay' }),
        select: { kind: 'node', name: 'node1' },
        play: { from: 'pod1a', dst: '172.17.2.2', protocol: 'icmp' },
        predict: routeQuestion('node1', 'Which line of node1’s `ip route` matches 172.17.2.2?'),
      },
      {
        title: 'Direct: the pod packet itself on the wire',
        text: [
          'In direct mode (Flannel host-gw, Calico without encapsulation) there is no VXLAN device: node1’s table changed. The same ping again.',
        ],
        explain: [
          'node1 routes node2’s podCIDR straight to node2’s IP, `10.100.0.3`. No envelope: the underlay carries `172.17.1.2 → 172.17.2.2`.',
        ],
        scenario: () => example('seed', { datapath: 'direct' }),
        select: { kind: 'node', name: 'node1' },
        play: { from: 'pod1a', dst: '172.17.2.2', protocol: 'icmp' },
        predict: routeQuestion('node1', 'Which line of node1’s `ip route` matches 172.17.2.2 now?'),
      },
      {
        title: 'Gateway: the routing table at the router',
        text: [
          'With kubenet and a cloud route table, the nodes install no cross-node routes: the packet follows `default via 10.100.0.1` to the router `vpc`.',
        ],
        explain: [
          'The cloud route table holds a route for every node’s podCIDR: the router knows `172.17.2.0/24 via 10.100.0.3`.',
        ],
        scenario: () => example('seed', { datapath: 'gateway' }),
        select: { kind: 'router', name: 'vpc' },
        play: { from: 'pod1a', dst: '172.17.2.2', protocol: 'icmp' },
        predict: routeQuestion('vpc', 'Which line of the router’s `ip route` matches 172.17.2.2?'),
      },
      {
        title: 'A cloud source/destination check breaks direct',
        text: [
          'Clouds check the source address of what a VM sends (AWS `SourceDestCheck`, GCP without `canIpForward`). The subnet has the check on, and in direct mode node1 forwards pod1a’s packet as it is, from `172.17.1.2`.',
        ],
        explain: [
          'The fabric drops it: `172.17.1.2` is not node1’s address, and the check lets a VM send only from its own.',
          'Switch the datapath to overlay and play again: the outer header is node to node, so VXLAN survives.',
        ],
        scenario: () => srcCheck(example('seed', { datapath: 'direct' })),
        select: { kind: 'subnet', name: 'vpc-subnet' },
        play: { from: 'pod1a', dst: '172.17.2.2', protocol: 'icmp' },
        predict: nextActionQuestion(
          'node1 has routed the request onto eth0. What happens on the underlay?',
          (hops) =>
            Math.max(
              0,
              hops.findIndex((h) => h.action === 'drop'),
            ),
        ),
      },
      {
        title: 'A second subnet breaks direct; crossSubnet fixes it',
        text: [
          'node3 sits behind a router on `10.100.1.0/24`. A direct route needs a next hop on a connected subnet: `ip route add 172.17.3.0/24 via 10.100.1.2 dev eth0` fails with `Error: Nexthop has invalid gateway.` The packet follows the default route to a router that knows no pod routes.',
          'Switch the datapath to crossSubnet: direct to node2 on the same subnet, VXLAN to node3 across the router.',
        ],
        scenario: () => example('xsubnet', { datapath: 'direct' }),
        select: { kind: 'node', name: 'node1' },
        frame: ['node1', 'node2', 'rtr', 'node3'],
        play: { from: 'pod1', dst: '172.17.3.2', protocol: 'icmp' },
      },
      {
        title: 'Why clients use a Service',
        text: [
          'Pod IPs change: delete pod2a and its replacement gets a new address. The Service `web` keeps one ClusterIP, `10.96.0.10`, that no device holds.',
          'Play the request, then recreate pod2a from the inspector and play it again.',
        ],
        explain: [
          'kube-proxy’s iptables rules on every node DNAT the ClusterIP to a ready endpoint (`iptables -t nat -S`), and conntrack un-NATs the reply so the client still sees the ClusterIP.',
        ],
        scenario: () => example('seed', { datapath: 'overlay' }),
        select: { kind: 'node', name: 'node1' },
        play: { from: 'pod1a', dst: '10.96.0.10', protocol: 'tcp', dport: 80 },
        predict: nextActionQuestion(
          'The SYN to 10.96.0.10:80 reaches node1. What happens first?',
          first((h) => h.namespace === 'node1'),
        ),
      },
    ],
  },
];

export function lessonById(id: string): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}
