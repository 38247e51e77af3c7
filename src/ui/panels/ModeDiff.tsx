import { clusterCni } from '../../engine/index';
import { DIFF_POD_LIMIT, selectModeDiff } from '../../store/derived';
import type { AppState } from '../../store/state';
import { useAppShallow, useAppStore } from '../storeContext';

const pick = (s: AppState) => ({
  diff: selectModeDiff(s),
  before: s.modeBase?.cluster,
  after: s.scenario.cluster,
  pods: s.scenario.pods.length,
});

/** What the last datapath or IPAM switch did to the routing tables: the lines added and removed. */
export function ModeDiff() {
  const store = useAppStore();
  const { diff, before, after, pods } = useAppShallow(pick);
  if (!diff || !before) return null;
  const titles: string[] = [];
  const [cniBefore, cniAfter] = [clusterCni(before), clusterCni(after)];
  const cniMoved = cniBefore !== cniAfter;
  if (before.datapath !== after.datapath)
    titles.push(
      `Datapath changed: ${before.datapath} → ${after.datapath}${cniMoved ? ` (CNI ${cniBefore} → ${cniAfter})` : ''}`,
    );
  else if (cniMoved) titles.push(`CNI changed: ${cniBefore} → ${cniAfter}`);
  if (before.ipam !== after.ipam) titles.push(`IPAM changed: ${before.ipam} → ${after.ipam}`);
  const changed = diff.filter(
    (d) => d.removed.length > 0 || d.lines.some((l) => l.change === 'added'),
  );
  return (
    <section className="mode-diff" data-testid="mode-diff" aria-labelledby="mode-diff-h">
      <header className="mode-diff-head">
        <h3 id="mode-diff-h">{titles.length ? titles.join('; ') : 'Routes changed'}</h3>
        <button
          type="button"
          className="btn icon ghost"
          aria-label="Close the route changes"
          onClick={() => store.getState().dismissModeDiff()}
        >
          ×
        </button>
      </header>
      {changed.length === 0 ? (
        <p className="muted">No routing table changed.</p>
      ) : (
        changed.map((d) => {
          const added = d.lines.filter((l) => l.change === 'added');
          const kept = d.lines.length - added.length;
          return (
            <div key={d.namespace} className="diff-ns">
              <h4 className="diff-ns-title">
                <code>{d.namespace}</code> <span className="muted">ip route</span>
                {kept > 0 && <span className="muted"> · {kept} unchanged</span>}
              </h4>
              <pre className="diff-lines">
                {d.removed.map((l, i) => (
                  <span key={`r${i}`} className="diff-line diff-removed" data-testid="diff-removed">
                    {`− ${l.trimEnd()}\n`}
                  </span>
                ))}
                {added.map((l, i) => (
                  <span key={`a${i}`} className="diff-line diff-added" data-testid="diff-added">
                    {`+ ${l.line.trimEnd()}\n`}
                  </span>
                ))}
              </pre>
            </div>
          );
        })
      )}
      {pods > DIFF_POD_LIMIT && (
        <p className="muted" data-testid="diff-pods-cut">
          Pods compared: the first {DIFF_POD_LIMIT} of {pods}.
        </p>
      )}
    </section>
  );
}
