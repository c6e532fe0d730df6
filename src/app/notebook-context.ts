/**
 * What every cell component needs from the open notebook, provided once by
 * the notebook page instead of threaded through every layout level.
 */
import { createContext, useContext, type Accessor } from 'solid-js';
import type { Session, SessionSnapshot } from '../client/session-types.ts';
import type { OutputWidthMeter } from './output-widths.ts';

export type ViewMode = 'app' | 'notebook';

export interface NotebookContextValue {
  session: Session;
  snapshot: Accessor<SessionSnapshot>;
  mode: Accessor<ViewMode>;
  /** True when the OS asks for a dark theme (editors follow it). */
  dark: Accessor<boolean>;
  /**
   * The person opened this (shared) notebook without network access: its
   * output must not make the page load remote resources either.
   */
  networkBlocked: boolean;
  /** Measures cells' output widths for the `width` built-in. */
  widths: OutputWidthMeter;
}

export const NotebookContext = createContext<NotebookContextValue>();

/** Sanitizer options for output of the open notebook (remote resources stripped when its network is blocked). */
export function useSanitizeOptions(): { blockRemote: boolean } {
  return { blockRemote: useContext(NotebookContext)?.networkBlocked ?? false };
}

/** The open notebook; throws when used outside a notebook page (a programming error). */
export function useNotebook(): NotebookContextValue {
  const value = useContext(NotebookContext);
  if (!value) throw new Error('useNotebook() outside <NotebookContext.Provider>');
  return value;
}
