import { defaultDport, outcomeOf, type Trace } from '../walk/probe';

/**
 * What common clients print when a TCP connection fails, in their own words
 * (curl 7.88/8.x, OpenBSD netcat, CPython). Success prints nothing here.
 */
export function clientErrors(
  t: Trace,
  timeoutMs = 2000,
  /** the host as the client was given it (`localhost`): curl names it so */
  host: string = t.probe.dst,
): { curl: string; nc: string; python: string } | undefined {
  const dst = t.probe.dst;
  const port = t.probe.dport ?? defaultDport('tcp');
  const nc = (why: string) => `nc: connect to ${dst} port ${port} (tcp) failed: ${why}`;
  switch (outcomeOf(t)) {
    case 'ok':
      return undefined;
    case 'refused':
      return {
        curl: `curl: (7) Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server`,
        nc: nc('Connection refused'),
        python: 'ConnectionRefusedError: [Errno 111] Connection refused',
      };
    case 'hostUnreachable':
      return {
        curl: `curl: (7) Failed to connect to ${host} port ${port} after 3070 ms: Couldn't connect to server`,
        nc: nc('No route to host'),
        python: 'OSError: [Errno 113] No route to host',
      };
    case 'netUnreachable':
      return {
        curl: `curl: (7) Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server`,
        nc: nc('Network is unreachable'),
        python: 'OSError: [Errno 101] Network is unreachable',
      };
    case 'msgSize':
    case 'ttlExceeded':
    case 'fragNeeded':
    case 'timeout':
      return {
        curl: `curl: (28) Connection timed out after ${timeoutMs} milliseconds`,
        nc: nc('Connection timed out'),
        python: 'TimeoutError: [Errno 110] Connection timed out',
      };
  }
}
