import { useEffect, useRef, type ReactNode } from 'react';
import {
  printAddrBrief,
  printFdb,
  printIptables,
  printLocalTable,
  printNeigh,
  printRoutes,
  type Consulted,
  type Hop,
  type Network,
} from '../../engine/index';
import { useScrollStop } from './scrollFocus';

/**
 * A kernel table as the kernel prints it: a titled monospace block, one line a
 * row. Lines whose trimmed text is in `matched` are the ones the current hop
 * consulted (iproute2 ends many lines with a space, so compare trimmed). Long
 * lines wrap with a hanging indent. A `collapsible` table folds away unless it
 * holds a matched line.
 */
export function TableView({
  title,
  text,
  testId,
  matched,
  note,
  collapsible,
}: {
  title: string;
  text: string;
  testId: string;
  matched?: ReadonlySet<string>;
  note?: ReactNode;
  collapsible?: boolean;
}) {
  const lines = text === '' ? [] : text.split('\n');
  const pre = useRef<HTMLPreElement>(null);
  const key = matched ? [...matched].join('\n') : '';
  const hits = lines.filter((l) => matched?.has(l.trim())).length;
  const scroll = useScrollStop(pre, title);
  // a long table (iptables) scrolls inside its block: bring the matched line into view
  useEffect(() => {
    const box = pre.current;
    const hit = box?.querySelector<HTMLElement>('.matched');
    if (!box || !hit) return;
    const top = hit.offsetTop; // the block is position: relative, the line's offsetParent
    if (top < box.scrollTop || top + hit.offsetHeight > box.scrollTop + box.clientHeight)
      box.scrollTop = Math.max(0, top - box.clientHeight / 3);
  }, [key, text]);
  const head = (
    <>
      <code>{title}</code>
      {note}
    </>
  );
  const body =
    lines.length === 0 ? (
      <p className="table-empty">(empty)</p>
    ) : (
      <pre className="table-lines" ref={pre} {...scroll}>
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
    );
  if (collapsible)
    return (
      <details
        className="table-view table-fold"
        data-testid={testId}
        aria-label={title}
        open={hits > 0}
      >
        <summary className="table-title">{head}</summary>
        {body}
      </details>
    );
  return (
    <section className="table-view" data-testid={testId} aria-label={title}>
      <h4 className="table-title">{head}</h4>
      {body}
    </section>
  );
}

/**
 * Splits kubectl's column output at the header's column starts (columns are
 * padded with at least two spaces; a header may hold one space: NOMINATED NODE).
 */
function kubectlColumns(text: string): { head: string[]; rows: string[][] } | undefined {
  const [header, ...rest] = text.split('\n');
  if (!header || rest.length === 0) return undefined;
  const starts: number[] = [];
  const re = /(^|\s{2,})(\S)/g;
  for (let m = re.exec(header); m; m = re.exec(header)) starts.push(m.index + m[1]!.length);
  if (starts.length < 2) return undefined;
  const cut = (line: string) =>
    starts.map((s, i) => line.slice(s, starts[i + 1] ?? line.length).trim());
  return { head: cut(header), rows: rest.filter((l) => l.trim() !== '').map(cut) };
}

/**
 * A kubectl table: its columns kept aligned, but with one character between
 * them instead of kubectl's three so the NODE column fits the inspector; a
 * wide table scrolls sideways inside its block.
 */
export function KubectlTable({
  title,
  text,
  testId,
}: {
  title: string;
  text: string;
  testId: string;
}) {
  const cols = kubectlColumns(text);
  const box = useRef<HTMLDivElement>(null);
  const scroll = useScrollStop(box, title);
  if (!cols) return <TableView title={title} text={text} testId={testId} />;
  return (
    <section className="table-view" data-testid={testId} aria-label={title}>
      <h4 className="table-title">
        <code>{title}</code>
      </h4>
      <div className="kube-scroll" ref={box} {...scroll}>
        <table className="kube-table">
          <thead>
            <tr>
              {cols.head.map((h, i) => (
                <th key={i} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {cols.rows.map((r, i) => (
              <tr key={i}>
                {r.map((c, j) => (
                  <td key={j}>{c}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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
    return (
      <p className="muted" data-testid="no-namespace">
        {net
          ? `No network namespace: ${name} was not created (its problems above say why); the rest of the cluster runs.`
          : 'No network namespace: the scenario has problems to fix first.'}
      </p>
    );
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
        title="ip route show table local"
        testId="table-local"
        text={printLocalTable(ns)}
        matched={matchedIn(hop, name, 'local')}
        note={note('local')}
        collapsible
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
