import { create, globals } from 'webgpu';
Object.assign(globalThis, globals);
const tryOnce = async (label: string, opts: string[] = []) => {
  const t0 = performance.now();
  try {
    const gpu = create(opts);
    const a = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    console.log(label, a ? JSON.stringify([a.info.vendor, a.info.architecture, a.info.device, a.info.description, (a.info as any).isFallbackAdapter]) : null, (performance.now() - t0).toFixed(0), 'ms');
  } catch (e) { console.log(label, 'threw', String(e)); }
};
console.log('env VK_ICD_FILENAMES=', process.env.VK_ICD_FILENAMES, 'XDG', process.env.XDG_RUNTIME_DIR);
await tryOnce('default');
if (process.argv[2]) {process.env.VK_ICD_FILENAMES = '/usr/lib/chromium/vk_swiftshader_icd.json';
await tryOnce('after setting env');}
process.exit(0);
