import { useEffect, useRef, useState, type ChangeEvent, type ReactNode } from 'react';
import {
  clusterCni,
  cniSettings,
  CNIS,
  DATAPATHS,
  type CniName,
  example,
  EXAMPLE_NAMES,
  IPAM_MODES,
  isExampleName,
  scenarioToJson,
  type Datapath,
  type ExampleName,
  type IpamMode,
} from '../../engine/index';
import { importFile, scenarioYaml } from '../../store/files';
import { shareUrl } from '../../store/persistence';
import type { AppState } from '../../store/state';
import { downloadText } from '../files/download';
import { PasteDialog } from '../files/PasteDialog';
import { FindDialog, openFind } from '../find/FindDialog';
import { useAppShallow, useAppStore } from '../storeContext';
import '../styles/panels.css';

/** What each datapath is in the real world (SPEC §5). */
/** The datapath is the CNI's mode family: the CNI select says whose. */
const DATAPATH_LABEL: Record<Datapath, string> = {
  overlay: 'overlay — encapsulated',
  direct: 'direct — routed as is',
  crossSubnet: 'crossSubnet — encapsulated across subnets',
  gateway: 'gateway — cloud routes',
};

const IPAM_LABEL: Record<IpamMode, string> = {
  cluster: 'cluster — a podCIDR per node',
  naive: 'naive — one Docker /16',
};

const EXAMPLE_LABEL: Record<ExampleName, string> = {
  seed: 'seed: two nodes, one subnet',
  xsubnet: 'xsubnet: two subnets, a router',
  naive: 'naive: the seed with Docker’s IPAM',
  'seed-xsubnet': 'seed-xsubnet: the seed, node3 behind a router',
};

const pick = (s: AppState) => ({
  cni: clusterCni(s.scenario.cluster),
  datapath: s.scenario.cluster.datapath,
  ipam: s.scenario.cluster.ipam,
  canUndo: s.past.length > 0,
  canRedo: s.future.length > 0,
});

export function Toolbar() {
  const store = useAppStore();
  const { cni, datapath, ipam, canUndo, canRedo } = useAppShallow(pick);
  const st = store.getState;
  const [pasting, setPasting] = useState(false);

  return (
    <header className="toolbar">
      <h1 className="brand">
        pod<span>hop</span>
      </h1>
      <label className="tb-field">
        <span className="tb-label">CNI</span>
        <select
          className="tb-cni"
          data-testid="cni-select"
          value={cni}
          onChange={(e) =>
            st().apply({ kind: 'setCluster', patch: cniSettings(e.target.value as CniName) })
          }
        >
          {CNIS.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <label className="tb-field">
        <span className="tb-label">Datapath</span>
        <select
          data-testid="datapath-select"
          value={datapath}
          onChange={(e) =>
            st().apply({ kind: 'setCluster', patch: { datapath: e.target.value as Datapath } })
          }
        >
          {DATAPATHS.map((d) => (
            // the CNI beside it says whose mode it is: the name alone keeps the bar on one row
            <option key={d} value={d} title={DATAPATH_LABEL[d]}>
              {d}
            </option>
          ))}
        </select>
      </label>
      <label className="tb-field">
        <span className="tb-label">IPAM</span>
        <select
          className="tb-ipam"
          data-testid="ipam-select"
          value={ipam}
          onChange={(e) =>
            st().apply({ kind: 'setCluster', patch: { ipam: e.target.value as IpamMode } })
          }
        >
          {IPAM_MODES.map((m) => (
            <option key={m} value={m} title={IPAM_LABEL[m]}>
              {m}
            </option>
          ))}
        </select>
      </label>
      <div className="tb-group" role="group" aria-label="History">
        <button
          type="button"
          className="btn icon"
          data-testid="undo"
          aria-label="Undo"
          title="Undo (Ctrl+Z)"
          disabled={!canUndo}
          onClick={() => st().undo()}
        >
          ↶
        </button>
        <button
          type="button"
          className="btn icon"
          data-testid="redo"
          aria-label="Redo"
          title="Redo (Ctrl+Shift+Z)"
          disabled={!canRedo}
          onClick={() => st().redo()}
        >
          ↷
        </button>
        <button
          type="button"
          className="btn icon"
          data-testid="find-open"
          aria-label="Find"
          aria-haspopup="dialog"
          title="Find a pod, node, Service or address (/ or Ctrl+K)"
          onClick={openFind}
        >
          ⌕
        </button>
      </div>
      <div className="tb-spacer" />
      <MoreMenu>
        {(close) => (
          <>
            <label className="tb-field">
              <span className="sr-only">Open an example</span>
              <select
                className="tb-examples"
                data-testid="example-select"
                value=""
                onChange={(e) => {
                  const name = e.target.value;
                  if (isExampleName(name)) {
                    st().replace(example(name));
                    st().frameImported();
                  }
                  close();
                }}
              >
                <option value="" disabled>
                  Examples…
                </option>
                {EXAMPLE_NAMES.map((n) => (
                  <option key={n} value={n}>
                    {EXAMPLE_LABEL[n]}
                  </option>
                ))}
              </select>
            </label>
            <CopyLink />
            <div className="tb-group tb-pair" role="group" aria-label="Export">
              <button
                type="button"
                className="btn"
                data-testid="export-json"
                title="Save the scenario as a podhop JSON file"
                onClick={() => {
                  exportJson(st());
                  close();
                }}
              >
                Export JSON
              </button>
              <button
                type="button"
                className="btn"
                data-testid="export-yaml"
                aria-label="Export YAML"
                title="Save the cluster as Kubernetes manifests (kubectl apply -f), with podhop's settings in one PodhopCluster document"
                onClick={() => {
                  void exportYaml(st);
                  close();
                }}
              >
                YAML
              </button>
            </div>
            <div className="tb-group tb-pair" role="group" aria-label="Import">
              <ImportFile onDone={close} />
              <button
                type="button"
                className="btn"
                data-testid="import-paste"
                aria-haspopup="dialog"
                aria-label="Paste to import"
                title="Paste kubectl's output or a podhop scenario (Ctrl+V on the page imports the clipboard)"
                onClick={() => {
                  close();
                  setPasting(true);
                }}
              >
                Paste
              </button>
            </div>
          </>
        )}
      </MoreMenu>
      <PasteDialog open={pasting} onClose={() => setPasting(false)} />
      <FindDialog />
    </header>
  );
}

/**
 * Examples, the link, export and import: in the toolbar on a wide screen; on a
 * narrow one behind a "⋯" button (a popover that closes on a click outside or Esc).
 */
function MoreMenu({ children }: { children: (close: () => void) => ReactNode }) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      toggle.current?.focus();
    };
    document.addEventListener('pointerdown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <div className={open ? 'tb-more open' : 'tb-more'} ref={box}>
      <button
        type="button"
        ref={toggle}
        className="btn icon tb-more-toggle"
        aria-label="More: examples, copy link, export, import"
        title="Examples, copy link, export, import"
        aria-expanded={open}
        aria-controls="tb-more-items"
        onClick={() => setOpen((o) => !o)}
      >
        ⋯
      </button>
      <div className="tb-more-items" id="tb-more-items">
        {children(() => setOpen(false))}
      </div>
    </div>
  );
}

const exportJson = (st: AppState) =>
  downloadText(scenarioToJson(st.scenario), 'podhop-scenario.json', 'application/json');

/** Kubernetes manifests; the writer loads on the first export (it is not in the first paint). */
async function exportYaml(st: () => AppState) {
  try {
    const yaml = await scenarioYaml(st().scenario);
    downloadText(yaml, 'podhop-cluster.yaml', 'application/yaml');
  } catch (e) {
    st().notify({ kind: 'error', text: `Export YAML: ${(e as Error).message}` });
  }
}

/**
 * Copies the link to what is on screen, built from the store (the address bar
 * may still hold the link that opened the page); without a clipboard, offers
 * the text selected.
 */
function CopyLink() {
  const store = useAppStore();
  const [state, setState] = useState<'idle' | 'copied' | 'manual'>('idle');
  const [href, setHref] = useState('');
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (state !== 'copied') return;
    const t = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(t);
  }, [state]);
  useEffect(() => {
    if (state === 'manual') field.current?.select();
  }, [state]);

  const copy = () => {
    const href = shareUrl(store.getState(), location);
    setHref(href);
    if (!navigator.clipboard?.writeText) {
      setState('manual');
      return;
    }
    navigator.clipboard.writeText(href).then(
      () => setState('copied'),
      () => setState('manual'),
    );
  };

  return (
    <div className="copy-link">
      <button type="button" className="btn" data-testid="copy-link" onClick={copy}>
        Copy link
      </button>
      <span className="copy-feedback" role="status">
        {state === 'copied' ? 'Link copied' : ''}
      </span>
      {state === 'manual' && (
        <div className="copy-manual">
          <label>
            <span className="tb-label">Press Ctrl+C to copy</span>
            <input
              ref={field}
              readOnly
              value={href}
              onFocus={(e) => e.target.select()}
              onBlur={() => setState('idle')}
              aria-label="Link to this scenario"
            />
          </label>
        </div>
      )}
    </div>
  );
}

/** A file picked → the import path (a scenario or kubectl's output); refusals in a notice. */
function ImportFile({ onDone }: { onDone?: () => void }) {
  const store = useAppStore();
  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.target;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    await importFile(store, await file.text(), file.name);
    onDone?.();
  };
  return (
    <label
      className="btn file-btn"
      title="a podhop scenario (JSON), or a cluster: kubectl get namespaces,nodes,pods,services,endpointslices,networkpolicies -A -o json (or -o yaml, or manifests); or drop the file on the page"
    >
      Import
      <input
        type="file"
        accept="application/json,.json,.yaml,.yml"
        className="sr-only"
        data-testid="import-json"
        onChange={(e) => void onFile(e)}
      />
    </label>
  );
}
