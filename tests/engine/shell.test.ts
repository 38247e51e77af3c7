import { describe, expect, it } from 'vitest';
import {
  applyEdit,
  buildNetwork,
  example,
  type PodName,
  type Scenario,
} from '../../src/engine/index';
import {
  newShellSession,
  runShell,
  shellCompletions,
  shellPrompt,
} from '../../src/engine/shell/index';

function terminal(namespace: string, s: Scenario = example('seed')) {
  const b = buildNetwork(s);
  if (!b.ok) throw new Error(b.problems.map((p) => p.text).join('\n'));
  const ctx = { net: b.network, session: newShellSession(namespace) };
  return { ctx, run: (line: string) => runShell(ctx, line).output };
}

describe('a terminal per namespace answers as Linux would', () => {
  it('names the namespace in its prompt', () => {
    expect(shellPrompt(terminal('pod1a').ctx)).toBe('root@pod1a:/# ');
    expect(shellPrompt(terminal('node1').ctx)).toBe('root@node1:~# ');
  });

  it('ip -br addr, ip route and ip route get', () => {
    const t = terminal('pod1a');
    expect(t.run('ip -br addr').split('\n')[1]).toMatch(
      /^eth0@if4 {9}UP {13}172\.17\.1\.2\/24 fe80::/,
    );
    expect(t.run('ip route')).toBe(
      'default via 172.17.1.1 dev eth0 \n172.17.1.0/24 dev eth0 proto kernel scope link src 172.17.1.2 ',
    );
    expect(terminal('node1').run('ip route get 172.17.2.2 from 172.17.1.2 iif cni0')).toBe(
      '172.17.2.2 from 172.17.1.2 via 172.17.2.0 dev flannel.1 \n    cache iif cni0 ',
    );
  });

  it('ping prints iputils’ lines and statistics; unreachable hosts print From … Destination Host Unreachable', () => {
    const t = terminal('pod1a');
    const ok = t.run('ping -c 2 172.17.2.2').split('\n');
    expect(ok[0]).toBe('PING 172.17.2.2 (172.17.2.2) 56(84) bytes of data.');
    expect(ok[1]).toMatch(/^64 bytes from 172\.17\.2\.2: icmp_seq=1 ttl=62 time=\d+\.\d{3} ms$/);
    expect(ok).toContain('2 packets transmitted, 2 received, 0% packet loss, time 1006ms');
    const bad = t.run('ping -c 1 172.17.1.99');
    expect(bad).toContain('From 172.17.1.2 icmp_seq=1 Destination Host Unreachable');
    expect(bad).toContain('1 packets transmitted, 0 received, +1 errors, 100% packet loss');
  });

  it('traceroute lists each hop’s answering address, three probes a hop; -n drops the name column', () => {
    const lines = terminal('pod1a').run('traceroute 172.17.2.2').split('\n');
    expect(lines[0]).toBe('traceroute to 172.17.2.2 (172.17.2.2), 30 hops max, 60 byte packets');
    expect(lines.slice(1).map((l) => l.replace(/( {2}[\d.]+ ms){3}$/, ''))).toEqual([
      ' 1  172.17.1.1 (172.17.1.1)',
      ' 2  172.17.2.0 (172.17.2.0)',
      ' 3  172.17.2.2 (172.17.2.2)',
    ]);
    expect(terminal('pod1a').run('traceroute -n -q 1 172.17.2.2').split('\n')[1]).toMatch(
      /^ 1 {2}172\.17\.1\.1 {2}[\d.]+ ms$/,
    );
    expect(terminal('vpc').run('traceroute 8.8.8.8').split('\n')[1]).toBe(
      'connect: Network is unreachable',
    );
    expect(
      terminal('pod1a', example('seed', { datapath: 'direct', srcCheck: true }))
        .run('traceroute 172.17.2.2')
        .split('\n')[2],
    ).toBe(' 2  * * *');
  });

  it('curl and nc reach a Service; with no endpoints they are refused', () => {
    const t = terminal('pod1a');
    expect(t.run('curl http://10.96.0.10/')).toContain('<title>Directory listing for /</title>');
    expect(t.run('nc -zv 10.96.0.10 80')).toBe(
      'Connection to 10.96.0.10 80 port [tcp/*] succeeded!',
    );
    const s = example('seed');
    const empty = terminal('pod1a', {
      ...s,
      services: s.services.map((x) => ({ ...x, selector: { app: 'none' } })),
    });
    expect(empty.run('curl http://10.96.0.10/')).toBe(
      "curl: (7) Failed to connect to 10.96.0.10 port 80 after 0 ms: Couldn't connect to server",
    );
    expect(empty.run('nc -zv 10.96.0.10 80')).toBe(
      'nc: connect to 10.96.0.10 port 80 (tcp) failed: Connection refused',
    );
  });

  it('iptables -t nat -S and conntrack -L on a node show kube-proxy’s rules and this terminal’s connections', () => {
    const t = terminal('node1');
    expect(t.run('iptables -t nat -S').split('\n')).toContain(
      '-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL',
    );
    t.run('curl http://10.96.0.10/');
    const ct = t.run('conntrack -L').split('\n');
    expect(ct[0]).toMatch(
      /^tcp {6}6 119 TIME_WAIT src=10\.100\.0\.2 dst=10\.96\.0\.10 sport=\d+ dport=80 src=172\.17\.\d\.\d dst=\S+ sport=8080 dport=\d+ \[ASSURED\] mark=0 use=1$/,
    );
    expect(ct.at(-1)).toBe('conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.');
  });

  it('hostname, resolv.conf, an unknown command', () => {
    const t = terminal('pod2a');
    expect(t.run('hostname')).toBe('pod2a');
    expect(t.run('cat /etc/resolv.conf')).toBe(
      'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5',
    );
    expect(t.run('ifconfig')).toBe('bash: ifconfig: command not found');
  });

  it('completes commands and addresses with Tab', () => {
    const { ctx } = terminal('pod1a');
    expect(shellCompletions(ctx, 'tra')).toEqual(['traceroute']);
    expect(shellCompletions(ctx, 'ip route | gr')).toEqual(['grep']);
    expect(shellCompletions(ctx, 'ping 172.17.2')).toEqual([
      '172.17.2.0',
      '172.17.2.1',
      '172.17.2.2',
    ]);
  });
});

describe('inside a pod: one network namespace for every container', () => {
  it('containers talk over lo: nginx answers on 127.0.0.1:80 without the packet leaving the pod', () => {
    const t = terminal('pod1a');
    expect(t.run('nc -zv 127.0.0.1 80')).toBe('Connection to 127.0.0.1 80 port [tcp/*] succeeded!');
    expect(t.run('curl http://127.0.0.1/')).toContain('Welcome to nginx!');
  });

  it('two containers on one port: the second fails to bind, the pod is CrashLoopBackOff with READY 1/2', () => {
    const s0 = example('seed');
    const s = applyEdit(s0, {
      kind: 'updatePod',
      name: 'pod1a',
      patch: {
        containers: [
          { name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }] },
          { name: 'web', image: 'httpd:2.4', ports: [{ containerPort: 80, protocol: 'TCP' }] },
        ],
      },
    });
    const b = buildNetwork(s);
    if (!b.ok) throw new Error('invalid');
    const st = b.network.podStatus.get('pod1a' as never);
    expect(st).toMatchObject({
      phase: 'Running',
      ready: false,
      containers: [
        { name: 'nginx', ready: true },
        {
          name: 'web',
          ready: false,
          message:
            '(98)Address already in use: AH00072: make_sock: could not bind to address 0.0.0.0:80',
        },
      ],
    });
    const row = runShell(
      { net: b.network, session: newShellSession('node1') },
      'kubectl get pods -o wide',
    )
      .output.split('\n')
      .find((l) => l.startsWith('pod1a'));
    expect(row).toMatch(/^pod1a {3}1\/2 {5}CrashLoopBackOff {3}/);
  });
});

describe('conntrack -L shows each node’s table, in conntrack’s states', () => {
  it('a node’s terminal sees the connection a pod’s terminal made through it', () => {
    const b = buildNetwork(example('seed'));
    if (!b.ok) throw new Error('invalid');
    const shared: Parameters<typeof newShellSession>[1] = [];
    const pod = { net: b.network, session: newShellSession('pod1a', shared) };
    const node = { net: b.network, session: newShellSession('node1', shared) };
    runShell(pod, 'curl http://10.96.0.10/');
    expect(runShell(node, 'conntrack -L').output).toMatch(
      /^tcp {6}6 119 TIME_WAIT src=172\.17\.1\.2 dst=10\.96\.0\.10 sport=\d+ dport=80 src=172\.17\.\d\.\d dst=172\.17\.1\.2 sport=8080 dport=\d+ \[ASSURED\] mark=0 use=1\nconntrack v1\.4\.7 \(conntrack-tools\): 1 flow entries have been shown\.$/,
    );
  });

  it('a refused connection is CLOSE; an unanswered one is SYN_SENT [UNREPLIED]', () => {
    const s = example('seed');
    const b = buildNetwork({ ...s, services: [] });
    if (!b.ok) throw new Error('invalid');
    const shared: Parameters<typeof newShellSession>[1] = [];
    const node2 = { net: b.network, session: newShellSession('node2', shared) };
    runShell(
      { net: b.network, session: newShellSession('pod1a', shared) },
      'nc -zv 172.17.2.2 9999',
    );
    expect(runShell(node2, 'conntrack -L').output.split('\n')[0]).toMatch(
      /^tcp {6}6 9 CLOSE src=172\.17\.1\.2 dst=172\.17\.2\.2 sport=\d+ dport=9999 src=172\.17\.2\.2 dst=172\.17\.1\.2 sport=9999 dport=\d+ mark=0 use=1$/,
    );
    const dsc = buildNetwork(example('seed', { datapath: 'direct', srcCheck: true }));
    if (!dsc.ok) throw new Error('invalid');
    const t = { net: dsc.network, session: newShellSession('pod1a', []) };
    runShell(t, 'nc -zv 172.17.2.2 8080');
    expect(
      runShell(
        { net: dsc.network, session: newShellSession('node1', t.session.conntrack) },
        'conntrack -L',
      ).output.split('\n')[0],
    ).toMatch(
      /^tcp {6}6 119 SYN_SENT src=172\.17\.1\.2 dst=172\.17\.2\.2 sport=\d+ dport=8080 \[UNREPLIED\] src=172\.17\.2\.2/,
    );
  });
});

describe('the command line is bash’s: pipes, lists and the tools learners pipe into', () => {
  it('pipes iptables into grep, wc, head and tail', () => {
    const t = terminal('node1');
    expect(t.run('iptables -t nat -S | grep -c KUBE-SEP-')).toBe('8');
    expect(t.run('iptables -t nat -S | grep DNAT | wc -l')).toBe('2');
    expect(t.run("iptables -t nat -S | grep -E 'SVC|SEP' | tail -n 1")).toBe(
      '-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 172.17.2.2:8080" -j KUBE-SEP-HZQLODDXP3666XIL',
    );
    expect(t.run('ip route | head -1')).toBe('default via 10.100.0.1 dev eth0 ');
    expect(t.run('ip route | wc')).toBe('      4      29     210');
  });

  it('&& and || follow the exit status: ping’s, grep’s, curl’s', () => {
    const t = terminal('pod1a');
    expect(t.run('ping -c1 172.17.2.2 > /dev/null && echo up')).toBe('up');
    expect(t.run('ping -c1 172.17.2.2 >/dev/null 2>&1; echo $?')).toBe('0');
    expect(t.run('ping -c1 172.17.1.99 || echo down').split('\n').at(-1)).toBe('down');
    expect(t.run('ip route | grep nothing || echo none')).toBe('none');
    expect(t.run('curl -s http://10.96.0.99/ -m 1 && echo ok')).toBe('');
    expect(t.run('hostname; hostname')).toBe('pod1a\npod1a');
  });

  it('a dangling operator is bash’s syntax error', () => {
    const t = terminal('pod1a');
    expect(t.run('ip route |')).toBe('bash: syntax error: unexpected end of file');
    expect(t.run('| grep x')).toBe("bash: syntax error near unexpected token `|'");
  });
});

describe('ip answers the arguments iproute2 takes', () => {
  it('abbreviations, one device, one family', () => {
    const t = terminal('pod1a');
    const eth0 = t.run('ip a s dev eth0').split('\n');
    expect(eth0[0]).toBe(
      '2: eth0@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP group default ',
    );
    expect(eth0).toHaveLength(6);
    expect(t.run('ip addr show eth0')).toBe(t.run('ip a s dev eth0'));
    expect(t.run('ip -4 addr')).not.toContain('inet6');
    expect(t.run('ip -br -4 a')).toBe(
      'lo               UNKNOWN        127.0.0.1/8 \neth0@if4         UP             172.17.1.2/24 ',
    );
    expect(t.run('ip addr show eth9')).toBe('Device "eth9" does not exist.');
  });

  it('ip link and ip -br link', () => {
    const t = terminal('pod1a');
    expect(t.run('ip link').split('\n')[0]).toBe(
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
    );
    expect(t.run('ip -br link').split('\n')[0]).toBe(
      'lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> ',
    );
  });

  it('ip route show table local leaves out the table it was asked for', () => {
    expect(terminal('pod1a').run('ip route show table local')).toBe(
      'local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1 \nlocal 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1 \nbroadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1 \nlocal 172.17.1.2 dev eth0 proto kernel scope host src 172.17.1.2 \nbroadcast 172.17.1.255 dev eth0 proto kernel scope link src 172.17.1.2 ',
    );
  });

  it('ip route get without or with a bad destination', () => {
    const t = terminal('pod1a');
    expect(t.run('ip route get')).toBe('need at least a destination address');
    expect(t.run('ip route get 300.1.1.1')).toBe(
      'Error: any valid prefix is expected rather than "300.1.1.1".',
    );
  });
});

describe('clients answer their options', () => {
  it('ping -w is a deadline; an interrupted ping prints ^C then its summary', () => {
    const t = terminal('pod1a');
    expect(t.run('ping -w 2 172.17.2.2')).toContain('2 packets transmitted, 2 received');
    const lines = t.run('ping 172.17.2.2').split('\n');
    expect(lines[lines.indexOf('^C') + 1]).toBe('--- 172.17.2.2 ping statistics ---');
  });

  it('curl -s -o /dev/null -w prints only what was asked; -s hides errors unless -S', () => {
    const t = terminal('pod1a');
    expect(t.run("curl -s -o /dev/null -w '%{http_code}\\n' http://10.96.0.10/")).toBe('200');
    expect(t.run('curl -o /dev/null http://10.96.0.10/').split('\n')[0]).toBe(
      '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current',
    );
    expect(t.run('curl -s -m 1 http://10.96.0.99/')).toBe('');
    expect(t.run('curl -sS -m 1 http://10.96.0.99/')).toBe(
      'curl: (28) Connection timed out after 1001 milliseconds',
    );
  });

  it('iptables in a pod is refused: containers run without CAP_NET_ADMIN', () => {
    expect(terminal('pod1a').run('iptables -t nat -S')).toBe(
      'iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)',
    );
  });

  it('kubectl get events shows what the scheduler recorded, in its words', () => {
    const s = example('seed');
    // a third pod on node1, not yet given an IP
    const { ip: _taken, ...pod1b } = s.pods[1]!;
    const full: Scenario = {
      ...s,
      cluster: { ...s.cluster, maxPods: 2 },
      pods: [...s.pods, { ...pod1b, name: 'pod1c' as PodName }],
    };
    const lines = terminal('node1', full).run('kubectl get events').split('\n');
    expect(lines[0]).toMatch(/^LAST SEEN {3}TYPE {6}REASON {13}OBJECT {6}MESSAGE$/);
    expect(lines[1]).toMatch(
      /^<unknown> {3}Warning {3}FailedScheduling {3}pod\/pod1c {3}0\/2 nodes are available: 1 Too many pods, 1 node\(s\) didn't match Pod's node affinity\/selector\./,
    );
    expect(terminal('node1').run('kubectl get events')).toBe(
      'No resources found in default namespace.',
    );
  });

  it('kubectl lists pods sorted by name', () => {
    const names = terminal('node1')
      .run('kubectl get pods')
      .split('\n')
      .slice(1)
      .map((l) => l.split(' ')[0]);
    expect(names).toEqual([...names].sort());
    expect(terminal('node1').run('kubectl get svc').split('\n')[1]).toMatch(/^kubernetes /);
  });
});
