import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { AppStore } from '../store/createAppStore';
import type { AppState } from '../store/state';

const StoreContext = createContext<AppStore | null>(null);

export function StoreProvider({ store, children }: { store: AppStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useAppStore(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('podhop: components must sit inside <StoreProvider>');
  return store;
}

/** Reads one value from the store (a module-level selector keeps renders cheap). */
export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(useAppStore(), selector);
}

/** Reads an object or array of values, re-rendering only when one of them changes. */
export function useAppShallow<T extends object>(selector: (s: AppState) => T): T {
  return useStore(useAppStore(), useShallow(selector));
}
