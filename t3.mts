import { selectBackend, describeBackend } from './src/engine/backend';
import { tf } from './src/engine/tf';
const t0 = performance.now();
const info = await selectBackend({ force: process.argv[2] as any });
console.log(JSON.stringify(info), describeBackend(info), (performance.now()-t0).toFixed(0));
const a = tf.tensor([1,2,3]); console.log(await a.data());
