/** The training Worker: training never blocks the page. The page talks to it through comlink. */
import * as Comlink from 'comlink';
import { LmWorkerApi } from './lmWorkerApi';

Comlink.expose(new LmWorkerApi());
