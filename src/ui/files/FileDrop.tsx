import { useEffect, useState } from 'react';
import { importFile } from '../../store/files';
import type { AppStore } from '../../store/createAppStore';
import { useAppStore } from '../storeContext';
import '../styles/files.css';

/** A drag from outside the page that carries files (the palette's own drags carry none). */
const carriesFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;

async function importDropped(store: AppStore, files: FileList) {
  const file = files[0];
  if (!file) return;
  if (files.length > 1) {
    store.getState().notify({
      kind: 'error',
      text: `${files.length} files were dropped: drop one scenario or one cluster at a time`,
    });
    return;
  }
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    store.getState().notify({ kind: 'error', text: `${file.name}: ${(e as Error).message}` });
    return;
  }
  await importFile(store, text, file.name);
}

/**
 * A file dropped anywhere on the page is imported like a picked one; while a file is dragged
 * over the page, the whole of it shows as the drop target. Enter and leave come for every
 * element the drag crosses, so a depth count tells when it has left the page.
 */
export function FileDrop() {
  const store = useAppStore();
  const [over, setOver] = useState(false);
  useEffect(() => {
    let depth = 0;
    const onEnter = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      depth++;
      setOver(true);
    };
    const onLeave = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const onOver = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      // without this the browser would open the file in place of the page
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setOver(false);
      if (e.dataTransfer) void importDropped(store, e.dataTransfer.files);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
    };
  }, [store]);
  if (!over) return null;
  return (
    <div className="file-drop" data-testid="file-drop" role="status">
      <div className="file-drop-card">
        <span className="file-drop-icon" aria-hidden="true">
          ⤓
        </span>
        <strong className="file-drop-title">Drop the file to import it</strong>
        <span className="file-drop-hint">
          a podhop scenario (.json), or a cluster as kubectl prints it:
          <code> kubectl get … -o json</code> or <code>-o yaml</code>, or manifests (.yaml)
        </span>
      </div>
    </div>
  );
}
