import { useCallback, useState } from 'react';

/** Where finished lessons are kept: this browser, across reloads (not in the share link). */
const KEY = 'podhop.lessons.finished';

function read(): ReadonlySet<string> {
  try {
    const v: unknown = JSON.parse(window.localStorage.getItem(KEY) ?? '[]');
    return new Set(Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    // storage refused (private mode) or a damaged value: nothing is marked
    return new Set();
  }
}

function write(ids: ReadonlySet<string>) {
  try {
    window.localStorage.setItem(KEY, JSON.stringify([...ids]));
  } catch {
    // storage refused: the mark lasts as long as the page
  }
}

/** The lessons this browser has finished, and a way to mark one. */
export function useFinishedLessons(): [ReadonlySet<string>, (id: string) => void] {
  const [done, setDone] = useState(read);
  const finish = useCallback((id: string) => {
    setDone((d) => {
      if (d.has(id)) return d;
      const next = new Set([...d, id]);
      write(next);
      return next;
    });
  }, []);
  return [done, finish];
}
