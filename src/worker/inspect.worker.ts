/** The adapter inspector's Worker: reading and analysing a large adapter never blocks the page. */
import * as Comlink from 'comlink';
import { InspectWorkerApi } from './inspectWorkerApi';

Comlink.expose(new InspectWorkerApi());
