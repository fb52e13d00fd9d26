/**
 * The router's table: the component that fills each section (loaded lazily so the explainer's
 * first paint stays small). The sections' titles and summaries live in sectionMeta.ts; pages read
 * their own through useSection(), never from here, so no page imports the router.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { type SectionRoute } from './sectionMeta';

type Page = LazyExoticComponent<ComponentType>;

const PAGES: Record<SectionRoute, Page> = {
  '': lazy(() => import('./sections/Home')),
  start: lazy(() => import('./sections/start/StartHere')),
  'learn/rank': lazy(() => import('./sections/learn/Rank')),
  'learn/svd': lazy(() => import('./sections/learn/Svd')),
  'learn/merge': lazy(() => import('./sections/learn/Merge')),
  'learn/init': lazy(() => import('./sections/learn/Init')),
  'learn/params': lazy(() => import('./sections/learn/Params')),
  'learn/adam': lazy(() => import('./sections/learn/Adam')),
  'learn/adapters': lazy(() => import('./sections/learn/AdaptersAtInference')),
  train: lazy(() => import('./sections/train/TrainPage')),
  'train/classifier': lazy(() => import('./sections/train/ClassifierLab')),
  paper: lazy(() => import('./sections/paper/PaperLabPage')),
  adapters: lazy(() => import('./sections/adapters/AdaptersPage')),
  inspect: lazy(() => import('./sections/inspect/InspectPage')),
};

/** The page component for a route, or undefined when there is no such section. */
export function pageFor(route: string): Page | undefined {
  return Object.hasOwn(PAGES, route) ? PAGES[route as SectionRoute] : undefined;
}
