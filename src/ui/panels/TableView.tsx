import { useEffect, useRef, type ReactNode } from 'react';
import {
  printAddrBrief,
  printFdb,
  printIptables,
  printNeigh,
  printRoutes,
  type Consulted,
  type Hop,
  type Network,
} from '../../engine/index';

/**
 * A kernel table as the kernel prints it: a titled monospace block, one line a
 * row. Lines whose trimmed text is in `matched` are the ones the current hop
 * consulted (iproute2 ends many lines with a space, so compare trimmed).
 */
export function TableView({
  title,
  text,
  testId,
  matched,
  note,
}: {
  title: string;
  text: string;
  testId: string;
  matched?: ReadonlySet<string>;
  note?: ReactNode;
}) {
  const lines = text === '' ? [] : text.split('\n');
  const pre = useRef<HTMLPreElement>(null);
  const key = matched ? [...matched].join('\n') : '';
  // a long table (iptables) scrolls inside its block: bring the matched line into view
  useEffect(() => {
    const box = pre.current;
    const hit = box?.querySelector<HTMLElement>('.matched');
    if (!box || !hit) return;
    const top = hit.offsetTop; // the block is position: relative, the line's offsetParent
    if (top < box.scrollTop || top + hit.offsetHeight > box.scrollTop + box.clientHeight)
      box.scrollTop = Math.max(0, top - box.clientHeight / 3);
  }, [key, text]);
  return (
    <section className="table-view" data-testid={testId} aria-label={title}>
      <h4 className="table-title">
        <code>{title}</code>
        {note}
      </h4>
      {lines.length === 0 ? (
        <p className="table-empty">(empty)</p>
      ) : (
        <pre className="table-lines" ref={pre}>
          {lines.map((line, i) => {
            const hit = matched?.has(line.trim()) ?? false;
            return (
              <span
                key={i}
                className={hit ? 'table-line matched' : 'table-line'}
                {...(hit ? { 'data-matched': 'true' } : {})}
              >
                {line}
                {'\n'}
              </span>
            );
          })}
        </pre>
      )}
    </section>
  );
}

const matchedIn = (hop: Hop | undefined, ns: string, table: Consulted['table']) =>
  new Set(
    hop?.namespace === ns
      ? hop.consulted.filter((c) => c.table === table).map((c) => c.line.trim())
      : [],
  );

/** A namespace's tables as the kernel prints them; the lines the current hop matched are highlighted. */
export function NamespaceTables({
  net,
  name,
  hop,
}: {
  net: Network | undefined;
  name: string;
  hop?: Hop;
}) {
  const ns = net?.namespace(name);
  if (!ns)
    return <p className="muted">No network namespace: the scenario has problems to fix first.</p>;
  const note = (t: Consulted['table']) =>
    hop?.namespace === name && hop.consulted.some((c) => c.table === t) ? (
      <span className="table-note">matched by the current hop</span>
    ) : undefined;
  return (
    <div className="tables">
      <TableView title="ip -br addr" testId="table-addr" text={printAddrBrief(ns)} />
      <TableView
        title="ip route"
        testId="table-route"
        text={printRoutes(ns)}
        matched={matchedIn(hop, name, 'route')}
        note={note('route')}
      />
      <TableView
        title="ip neigh"
        testId="table-neigh"
        text={printNeigh(ns)}
        matched={matchedIn(hop, name, 'neigh')}
        note={note('neigh')}
      />
      <TableView
        title="bridge fdb"
        testId="table-fdb"
        text={printFdb(ns)}
        matched={matchedIn(hop, name, 'fdb')}
        note={note('fdb')}
      />
      {ns.iptables && (
        <>
          <TableView
            title="iptables -t nat -S"
            testId="table-nat"
            text={printIptables(ns.iptables.nat)}
            matched={matchedIn(hop, name, 'nat')}
            note={note('nat')}
          />
          <TableView
            title="iptables -S"
            testId="table-filter"
            text={printIptables(ns.iptables.filter)}
            matched={matchedIn(hop, name, 'filter')}
            note={note('filter')}
          />
        </>
      )}
    </div>
  );
}
