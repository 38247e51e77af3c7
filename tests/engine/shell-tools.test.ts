import { describe, expect, it } from 'vitest';
import { applyEdit, buildNetwork, example, type Scenario } from '../../src/engine/index';
import {
  newShellSession,
  runShell,
  shellPrompt,
  type ShellResult,
} from '../../src/engine/shell/index';

/** One dock: terminals on any namespace sharing conntrack, sockets and counters. */
function dock(s: Scenario = example('seed')) {
  const b = buildNetwork(s);
  if (!b.ok) throw new Error(b.problems.map((p) => p.text).join('\n'));
  const shared: Parameters<typeof newShellSession>[1] = [];
  const sessions = new Map<string, ReturnType<typeof newShellSession>>();
  const on = (ns: string) => {
    let session = sessions.get(ns);
    if (!session) sessions.set(ns, (session = newShellSession(ns, shared)));
    return session;
  };
  const result = (ns: string, line: string): ShellResult =>
    runShell({ net: b.network, session: on(ns) }, line);
  return { result, run: (ns: string, line: string) => result(ns, line).output };
}

describe('exit statuses are the tools’ own', () => {
  it('ip: 2 when the kernel refuses (RTNETLINK answers), 1 for a missing device, 255 for a usage error', () => {
    const t = dock();
    expect(t.result('pod1a', 'ip route get 8.8.8.8 from 1.2.3.4')).toEqual({
      output: 'RTNETLINK answers: Invalid argument',
      status: 2,
    });
    expect(t.result('vpc', 'ip route get 8.8.8.8')).toEqual({
      output: 'RTNETLINK answers: Network is unreachable',
      status: 2,
    });
    expect(t.result('pod1a', 'ip route add 10.0.0.0/8 dev eth0')).toEqual({
      output: 'RTNETLINK answers: Operation not permitted',
      status: 2,
    });
    expect(t.result('pod1a', 'ip addr show eth9').status).toBe(1);
    expect(t.result('pod1a', 'ip route get').status).toBe(1);
    expect(t.result('pod1a', 'ip route frob').status).toBe(255);
    expect(t.result('pod1a', 'ip -foo addr').status).toBe(255);
    expect(t.result('pod1a', 'ip route get 172.17.2.2').status).toBe(0);
  });

  it('ping: connect: Network is unreachable exits 2; traceroute’s connect: error exits 1 after its header', () => {
    const t = dock();
    expect(t.run('vpc', 'ping -c 1 8.8.8.8; echo $?')).toBe(
      'ping: connect: Network is unreachable\n2',
    );
    expect(t.run('vpc', 'traceroute 8.8.8.8; echo $?')).toBe(
      'traceroute to 8.8.8.8 (8.8.8.8), 30 hops max, 60 byte packets\nconnect: Network is unreachable\n1',
    );
    expect(t.run('pod1a', 'ping -M maybe 172.17.2.2; echo $?')).toBe(
      'ping: invalid -M argument: maybe\n2',
    );
  });

  it('$? is the status of the pipeline before, for every command of the next one', () => {
    const t = dock();
    expect(t.run('pod1a', 'ip addr show eth9; echo $? | grep 1')).toBe(
      'Device "eth9" does not exist.\n1',
    );
    expect(t.run('pod1a', 'ip route | grep nothing; echo $?')).toBe('1');
    expect(t.run('vpc', 'ping -c1 8.8.8.8 || echo $?')).toBe(
      'ping: connect: Network is unreachable\n2',
    );
  });
});

describe('traceroute takes its options as traceroute 2.1 does', () => {
  it('-m N sets the hops max in the header and no line goes past N', () => {
    const lines = dock().run('pod1a', 'traceroute -m 2 -n 172.17.2.2').split('\n');
    expect(lines[0]).toBe('traceroute to 172.17.2.2 (172.17.2.2), 2 hops max, 60 byte packets');
    expect(lines.slice(1).map((l) => l.replace(/( {2}[\d.]+ ms){3}$/, ''))).toEqual([
      ' 1  172.17.1.1',
      ' 2  172.17.2.0',
    ]);
    const far = dock().run('pod1a', 'traceroute -m3 -q1 -n 1.1.1.1').split('\n');
    expect(far[0]).toBe('traceroute to 1.1.1.1 (1.1.1.1), 3 hops max, 60 byte packets');
    expect(far.at(-1)).toMatch(/^ 3 /);
    expect(far).toHaveLength(4);
  });

  it('-f starts later; --max-hops= is -m', () => {
    const t = dock();
    expect(t.run('pod1a', 'traceroute -f 2 -q 1 -n 172.17.2.2').split('\n').slice(1)).toEqual([
      expect.stringMatching(/^ 2 {2}172\.17\.2\.0 {2}[\d.]+ ms$/),
      expect.stringMatching(/^ 3 {2}172\.17\.2\.2 {2}[\d.]+ ms$/),
    ]);
    expect(t.run('pod1a', 'traceroute --max-hops=5 172.17.2.2').split('\n')[0]).toBe(
      'traceroute to 172.17.2.2 (172.17.2.2), 5 hops max, 60 byte packets',
    );
  });

  it('bad values are refused in traceroute’s words, exit 2', () => {
    const t = dock();
    const cases: [string, string][] = [
      ['traceroute -m 0 172.17.2.2', 'first hop out of range'],
      ['traceroute -f 6 -m 5 172.17.2.2', 'first hop out of range'],
      ['traceroute -m 256 172.17.2.2', 'max hops cannot be more than 255'],
      ['traceroute -m -1 172.17.2.2', 'max hops cannot be more than 255'],
      ['traceroute -m abc 172.17.2.2', "Cannot handle `-m' option with arg `abc' (argc 2)"],
      ['traceroute -m5x 172.17.2.2', "Cannot handle `-m' option with arg `5x' (argc 1)"],
      ['traceroute 172.17.2.2 -m', "Option `-m' (argc 2) requires an argument: `-m max_ttl'"],
      ['traceroute -q 11 172.17.2.2', 'no more than 10 probes per hop'],
      ['traceroute -y 172.17.2.2', "Bad option `-y' (argc 1)"],
    ];
    for (const [line, output] of cases)
      expect(t.result('pod1a', line)).toEqual({ output, status: 2 });
  });
});

describe('iptables -v counts what the dock’s probes moved through the node', () => {
  it('-S CHAIN -v: -c <pkts> <bytes> before -j, one SYN of 60 bytes a connection in the nat table', () => {
    const t = dock();
    for (let i = 0; i < 8; i++) t.run('pod1a', 'curl -s http://10.96.0.10/ > /dev/null');
    const lines = t.run('node1', 'iptables -t nat -S KUBE-SVC-CDGGSHYLG3RE2FKL -v').split('\n');
    expect(lines[0]).toBe('-N KUBE-SVC-CDGGSHYLG3RE2FKL');
    expect(lines[1]).toBe(
      '-A KUBE-SVC-CDGGSHYLG3RE2FKL ! -s 172.17.0.0/16 -d 10.96.0.10/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -c 0 0 -j KUBE-MARK-MASQ',
    );
    const counts = lines.slice(2).map((l) => {
      const m = / -c (\d+) (\d+) -j KUBE-SEP-/.exec(l);
      return { packets: Number(m?.[1]), bytes: Number(m?.[2]) };
    });
    expect(lines[2]).toMatch(
      /^-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default\/web:http -> 172\.17\.1\.3:8080" -m statistic --mode random --probability 0\.50000000000 -c \d+ \d+ -j KUBE-SEP-HZ3DLA4JT4AEIBEX$/,
    );
    expect(counts[0]!.packets + counts[1]!.packets).toBe(8);
    for (const c of counts) expect(c.bytes).toBe(60 * c.packets);
    // without -v, no counters
    expect(t.run('node1', 'iptables -t nat -S KUBE-SVC-CDGGSHYLG3RE2FKL')).not.toContain(' -c ');
  });

  it('-S -v: policies carry counters, -N lines never do; a fresh node counts 0', () => {
    const fresh = dock().run('node2', 'iptables -vS').split('\n');
    expect(fresh.slice(0, 5)).toEqual([
      '-P INPUT ACCEPT -c 0 0',
      '-P FORWARD ACCEPT -c 0 0',
      '-P OUTPUT ACCEPT -c 0 0',
      '-N KUBE-EXTERNAL-SERVICES',
      '-N KUBE-FIREWALL',
    ]);
    expect(fresh).toContain(
      '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -c 0 0 -j KUBE-EXTERNAL-SERVICES',
    );
  });

  it('ping -c 3 through a node: the filter table counts every packet, the nat table the first', () => {
    const t = dock(example('seed', { datapath: 'direct' }));
    t.run('pod1a', 'ping -c 3 172.17.2.2');
    const nat = t.run('node1', 'iptables -t nat -S -v').split('\n');
    // one new ICMP flow from the pod: PREROUTING's jump and POSTROUTING's
    expect(nat).toContain(
      '-A PREROUTING -m comment --comment "kubernetes service portals" -c 1 84 -j KUBE-SERVICES',
    );
    const filter = t.run('node1', 'iptables -S -v').split('\n');
    // three requests and three replies pass KUBE-FORWARD; the replies are ESTABLISHED and its
    // conntrack rule ACCEPTs them there, so only the requests fall to the chain's policy
    expect(filter).toContain(
      '-A FORWARD -m comment --comment "kubernetes forwarding rules" -c 6 504 -j KUBE-FORWARD',
    );
    expect(filter).toContain(
      '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -c 3 252 -j ACCEPT',
    );
    expect(filter).toContain('-P FORWARD ACCEPT -c 3 252');
    expect(filter).toContain(
      '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -c 3 252 -j KUBE-SERVICES',
    );
  });

  it('-L -n -v prints the pkts and bytes columns as iptables-nft 1.8.9 lists them', () => {
    const t = dock(example('seed', { datapath: 'direct' }));
    t.run('pod1a', 'ping -c 3 172.17.2.2');
    const lines = t.run('node1', 'iptables -L -n -v').split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'Chain INPUT (policy ACCEPT 0 packets, 0 bytes)',
      ' pkts bytes target     prot opt in     out     source               destination         ',
      '    0     0 KUBE-PROXY-FIREWALL  0    --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate NEW /* kubernetes load balancer firewall */',
    ]);
    const forward = lines.indexOf('Chain FORWARD (policy ACCEPT 3 packets, 252 bytes)');
    expect(lines.slice(forward - 1, forward + 5)).toEqual([
      '',
      'Chain FORWARD (policy ACCEPT 3 packets, 252 bytes)',
      ' pkts bytes target     prot opt in     out     source               destination         ',
      '    3   252 KUBE-PROXY-FIREWALL  0    --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate NEW /* kubernetes load balancer firewall */',
      '    6   504 KUBE-FORWARD  0    --  *      *       0.0.0.0/0            0.0.0.0/0            /* kubernetes forwarding rules */',
      '    3   252 KUBE-SERVICES  0    --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate NEW /* kubernetes service portals */',
    ]);
    expect(lines).toContain(
      '    0     0 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate INVALID nfacct-name  ct_state_invalid_dropped_pkts',
    );
    expect(lines).toContain('Chain KUBE-SERVICES (2 references)');
  });

  it('-t nat -L: targets and matches in their print() words; without -n names and anywhere', () => {
    const t = dock();
    const n = t.run('node1', 'iptables -t nat -L KUBE-SVC-CDGGSHYLG3RE2FKL -n').split('\n');
    expect(n).toEqual([
      'Chain KUBE-SVC-CDGGSHYLG3RE2FKL (1 references)',
      'target     prot opt source               destination         ',
      'KUBE-MARK-MASQ  6    -- !172.17.0.0/16        10.96.0.10           /* default/web:http cluster IP */ tcp dpt:80',
      'KUBE-SEP-HZ3DLA4JT4AEIBEX  0    --  0.0.0.0/0            0.0.0.0/0            /* default/web:http -> 172.17.1.3:8080 */ statistic mode random probability 0.50000000000',
      'KUBE-SEP-HZQLODDXP3666XIL  0    --  0.0.0.0/0            0.0.0.0/0            /* default/web:http -> 172.17.2.2:8080 */',
    ]);
    const all = t.run('node1', 'iptables -t nat -L').split('\n');
    expect(all).toContain(
      'KUBE-SVC-CDGGSHYLG3RE2FKL  tcp  --  anywhere             10.96.0.10           /* default/web:http cluster IP */ tcp dpt:http',
    );
    expect(all).toContain(
      'DNAT       tcp  --  anywhere             anywhere             /* default/web:http */ tcp to:172.17.1.3:8080',
    );
    expect(all).toContain(
      'MARK       all  --  anywhere             anywhere             MARK or 0x4000',
    );
    expect(all).toContain(
      'MARK       all  --  anywhere             anywhere             MARK xor 0x4000',
    );
    expect(all).toContain(
      'RETURN     all  --  anywhere             anywhere             mark match ! 0x4000/0x4000',
    );
  });

  it('errors: no command 2, no such table 3, no such chain 1, a pod 4', () => {
    const t = dock();
    expect(t.result('node1', 'iptables')).toEqual({
      output:
        "iptables v1.8.9 (nf_tables): no command specified\nTry `iptables -h' or 'iptables --help' for more information.",
      status: 2,
    });
    expect(t.result('node1', 'iptables -t foo -S').status).toBe(3);
    expect(t.result('node1', 'iptables -S FOO')).toEqual({
      output:
        "iptables v1.8.9 (nf_tables): chain `FOO' in table `filter' is incompatible, use 'nft' tool.",
      status: 1,
    });
    expect(t.result('pod1a', 'iptables -L').status).toBe(4);
    expect(t.run('vpc', 'iptables -t nat -L -n')).toBe(
      [
        'Chain PREROUTING (policy ACCEPT)',
        'target     prot opt source               destination         ',
        '',
        'Chain INPUT (policy ACCEPT)',
        'target     prot opt source               destination         ',
        '',
        'Chain OUTPUT (policy ACCEPT)',
        'target     prot opt source               destination         ',
        '',
        'Chain POSTROUTING (policy ACCEPT)',
        'target     prot opt source               destination         ',
      ].join('\n'),
    );
  });
});

describe('ss and nc -l: the sockets a namespace listens on', () => {
  it('ss -H drops the header; ss without -l lists no listening socket', () => {
    const t = dock();
    expect(t.run('pod1a', 'ss -ltnH')).toBe(
      'LISTEN 0      4096           0.0.0.0:80          0.0.0.0:*',
    );
    expect(t.run('pod1a', 'ss -tn')).toBe(
      'State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess',
    );
  });

  it('nc -l PORT listens (backlog 1); a client connects once, then nc has exited', () => {
    const t = dock();
    expect(t.result('pod1a', 'nc -lv 9000')).toEqual({
      output: 'Listening on 0.0.0.0 9000',
      status: 0,
    });
    expect(t.run('pod1a', 'ss -ltnH')).toBe(
      'LISTEN 0      4096           0.0.0.0:80          0.0.0.0:*\nLISTEN 0      1            0.0.0.0:9000          0.0.0.0:*',
    );
    expect(t.run('pod2a', 'nc -zv 172.17.1.2 9000')).toBe(
      'Connection to 172.17.1.2 9000 port [tcp/*] succeeded!',
    );
    expect(t.result('pod2a', 'nc -zv 172.17.1.2 9000')).toMatchObject({
      output: 'nc: connect to 172.17.1.2 port 9000 (tcp) failed: Connection refused',
      status: 1,
    });
    // -k keeps it; -p names the port as Debian's netcat allows
    t.run('pod1a', 'nc -l -k -p 9001');
    t.run('pod2a', 'nc -z 172.17.1.2 9001');
    expect(t.result('pod2a', 'nc -z 172.17.1.2 9001').status).toBe(0);
  });

  it('nc -l on a port a container listens on: nc: Address already in use, exit 1', () => {
    const t = dock();
    expect(t.result('pod1a', 'nc -l 80')).toEqual({
      output: 'nc: Address already in use',
      status: 1,
    });
    expect(t.result('pod1a', 'nc -l -p 80').status).toBe(1);
    expect(t.result('node1', 'nc -l 22')).toEqual({
      output: 'nc: Address already in use',
      status: 1,
    });
    expect(t.result('pod1a', 'nc -l')).toEqual({ output: 'nc: missing port number', status: 1 });
    expect(t.result('pod1a', 'nc -lz 9000')).toEqual({
      output: 'nc: cannot use -z and -l',
      status: 1,
    });
  });

  it('in a busybox image nc is busybox’s: -l -p PORT, bind: errors, HOST (IP:PORT) open', () => {
    const s = applyEdit(example('seed'), {
      kind: 'updatePod',
      name: 'pod1a',
      patch: {
        containers: [
          { name: 'box', image: 'busybox:1.36' },
          { name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }] },
        ],
      },
    });
    const t = dock(s);
    expect(t.result('pod1a', 'nc -l -p 80')).toEqual({
      output: 'nc: bind: Address already in use',
      status: 1,
    });
    expect(t.run('pod1a', 'nc -lv -p 9000')).toBe('listening on [::]:9000 ...');
    expect(t.run('pod1a', 'ss -ltnH').split('\n')[1]).toBe(
      'LISTEN 0      1                  *:9000                *:*',
    );
    expect(t.run('pod1a', 'nc -zv 10.96.0.10 80')).toBe('10.96.0.10 (10.96.0.10:80) open');
    // a refusal only with -vv; a timeout with -v
    expect(t.result('pod1a', 'nc -zv 172.17.2.2 81')).toMatchObject({ output: '', status: 1 });
    expect(t.run('pod1a', 'nc -zvv 172.17.2.2 81')).toBe(
      'nc: 172.17.2.2 (172.17.2.2:81): Connection refused',
    );
    expect(t.run('pod1a', 'nc -zv 10.96.0.10 81')).toBe(
      'nc: 10.96.0.10 (10.96.0.10:81): Connection timed out',
    );
  });

  it('a failed connect: nc’s -w timer says timed out, the kernel’s says Connection timed out', () => {
    const t = dock();
    expect(t.run('pod1a', 'nc -zv -w 2 10.96.0.99 80')).toBe(
      'nc: connect to 10.96.0.99 port 80 (tcp) timed out: Operation now in progress',
    );
    expect(t.run('pod1a', 'nc -zv 10.96.0.99 80')).toBe(
      'nc: connect to 10.96.0.99 port 80 (tcp) failed: Connection timed out',
    );
    expect(t.result('pod1a', 'nc -zv 10.96.0.10 70000')).toEqual({
      output: 'nc: port number too large: 70000',
      status: 1,
    });
  });
});

describe('names come from /etc/hosts', () => {
  it('a pod’s file is the kubelet’s; a node’s the Debian installer’s', () => {
    const t = dock();
    expect(t.run('pod1a', 'cat /etc/hosts')).toBe(
      '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n172.17.1.2\tpod1a',
    );
    expect(t.run('node1', 'cat /etc/hosts').split('\n').slice(0, 2)).toEqual([
      '127.0.0.1\tlocalhost',
      '127.0.1.1\tnode1',
    ]);
  });

  it('curl, nc, ping and traceroute resolve localhost to 127.0.0.1 and print it as they do', () => {
    const t = dock();
    expect(t.run('pod1a', 'curl -s http://localhost/')).toContain(
      '<title>Welcome to nginx!</title>',
    );
    expect(t.result('pod1a', 'curl localhost:81')).toMatchObject({
      output:
        "curl: (7) Failed to connect to localhost port 81 after 0 ms: Couldn't connect to server",
      status: 7,
    });
    expect(t.run('pod1a', 'nc -zv localhost 80')).toBe(
      'Connection to localhost (127.0.0.1) 80 port [tcp/*] succeeded!',
    );
    expect(t.run('pod1a', 'nc -zv localhost 81')).toBe(
      'nc: connect to localhost (127.0.0.1) port 81 (tcp) failed: Connection refused',
    );
    const ping = t.run('pod1a', 'ping -c 1 localhost').split('\n');
    expect(ping[0]).toBe('PING localhost (127.0.0.1) 56(84) bytes of data.');
    expect(ping[1]).toMatch(/^64 bytes from localhost \(127\.0\.0\.1\): icmp_seq=1 ttl=64 time=/);
    expect(ping).toContain('--- localhost ping statistics ---');
    expect(t.run('pod1a', 'traceroute -q 1 localhost').split('\n')).toEqual([
      'traceroute to localhost (127.0.0.1), 30 hops max, 60 byte packets',
      expect.stringMatching(/^ 1 {2}localhost \(127\.0\.0\.1\) {2}[\d.]+ ms$/),
    ]);
    expect(t.result('pod1a', 'curl http://web/').status).toBe(6);
  });
});

describe('kubectl get svc lists one namespace, or all with -A', () => {
  const twoNamespaces = (): Scenario => {
    const s = example('seed');
    return {
      ...s,
      namespaces: [...(s.namespaces ?? []), { name: 'shop', labels: {} }],
      services: [...s.services, { ...s.services[0]!, namespace: 'shop', clusterIP: '10.96.0.20' }],
    };
  };

  it('default without -n, -n NS, -A with a NAMESPACE column, kubectl’s words for none', () => {
    const t = dock(twoNamespaces());
    expect(t.run('node1', 'kubectl get svc')).toBe(
      [
        'NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE',
        'kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   <unknown>',
        'web          ClusterIP   10.96.0.10   <none>        80/TCP    <unknown>',
      ].join('\n'),
    );
    expect(t.run('node1', 'kubectl get services -n shop')).toBe(
      [
        'NAME   TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE',
        'web    ClusterIP   10.96.0.20   <none>        80/TCP    <unknown>',
      ].join('\n'),
    );
    expect(t.run('node1', 'kubectl get svc -A')).toBe(
      [
        'NAMESPACE   NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE',
        'default     kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   <unknown>',
        'default     web          ClusterIP   10.96.0.10   <none>        80/TCP    <unknown>',
        'shop        web          ClusterIP   10.96.0.20   <none>        80/TCP    <unknown>',
      ].join('\n'),
    );
    expect(t.run('node1', 'kubectl get svc -n kube-system')).toBe(
      'No resources found in kube-system namespace.',
    );
  });
});

describe('a neighbour that never answers ARP', () => {
  it('ping and traceroute both hear the sender’s own host unreachable, after the ARP gives up (~3 s)', () => {
    // arp_error_report → ipv4_link_failure → icmp_send(ICMP_HOST_UNREACH) about each queued
    // packet (net/ipv4/arp.c, net/ipv4/route.c): ping reads it as an ICMP error, traceroute's
    // connected UDP socket through IP_RECVERR — from the address the route gives the sender
    const t = dock();
    expect(t.run('pod1a', 'ping -c 1 172.17.1.99').split('\n')[1]).toBe(
      'From 172.17.1.2 icmp_seq=1 Destination Host Unreachable',
    );
    expect(t.run('pod1a', 'traceroute -n 172.17.1.99').split('\n')).toEqual([
      'traceroute to 172.17.1.99 (172.17.1.99), 30 hops max, 60 byte packets',
      expect.stringMatching(
        /^ 1 {2}172\.17\.1\.2 {2}30\d\d\.\d{3} ms !H {2}30\d\d\.\d{3} ms !H {2}30\d\d\.\d{3} ms !H$/,
      ),
    ]);
  });
});

describe('a pod in another namespace', () => {
  it('is its own name to itself: prompt, hostname, /etc/hosts; its namespace leads the DNS search', () => {
    const s = example('seed');
    const { ip: _ip, ...pod } = s.pods[2]!;
    const scenario: Scenario = {
      ...s,
      namespaces: [...(s.namespaces ?? []), { name: 'shop', labels: {} }],
      pods: [...s.pods, { ...pod, name: 'shopweb' as typeof pod.name, namespace: 'shop' }],
    };
    const b = buildNetwork(scenario);
    if (!b.ok) throw new Error('invalid');
    const ctx = { net: b.network, session: newShellSession('shop/shopweb') };
    expect(shellPrompt(ctx)).toBe('root@shopweb:/# ');
    expect(runShell(ctx, 'hostname').output).toBe('shopweb');
    expect(runShell(ctx, 'cat /etc/hosts').output.split('\n').at(-1)).toMatch(
      /^172\.17\.2\.\d+\tshopweb$/,
    );
    expect(runShell(ctx, 'cat /etc/resolv.conf').output.split('\n')[0]).toBe(
      'search shop.svc.cluster.local svc.cluster.local cluster.local',
    );
  });
});
