/**
 * The section the router is showing, handed to its page through context: a page reads its own
 * title and summary with useSection() instead of looking itself up in the route table.
 */
import { createContext, useContext } from 'react';
import type { SectionMeta } from './sectionMeta';

export const SectionContext = createContext<SectionMeta | null>(null);

/** The section this page is rendered for (App provides it around every page). */
export function useSection(): SectionMeta {
  const section = useContext(SectionContext);
  if (!section) throw new Error('useSection() outside a section: render the page through App');
  return section;
}
