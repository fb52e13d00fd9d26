/** The sentences that say what a Hub download fetches and from where, before it starts. */
import type { HubPlan } from '../../../engine/hub/client';
import { HUB_CONNECT_HOSTS } from '../../../engine/hub/hubUrls';
import { formatBytes } from '../../../engine/format/bytes';
import type { ShortListModel } from '../../../engine/hub/shortList';

const list = (items: string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

/** "Fetches config.json, tokenizer.json and 2 safetensors shards (538 MiB in all) from huggingface.co; …" */
export function planStatement(plan: HubPlan): string {
  const small = plan.files.filter((f) => f.role !== 'weights').map((f) => f.name);
  const weights =
    plan.weightFiles === 1
      ? `${plan.files[plan.files.length - 1].name} (${formatBytes(plan.weightBytes)})`
      : `${plan.weightFiles} safetensors shards (${formatBytes(plan.weightBytes)})`;
  return `Fetches ${list([...small, weights])} from huggingface.co, ${formatBytes(plan.totalBytes)} in all; nothing else leaves this device.`;
}

/** The same, from what is known of a short-list model before anything is fetched. */
export function shortListStatement(m: ShortListModel): string {
  return `Fetches config.json, tokenizer.json (and tokenizer_config.json, generation_config.json where the repo has them) and model.safetensors (${formatBytes(m.safetensorsBytes)}) from huggingface.co; nothing else leaves this device.`;
}

/** The hosts besides huggingface.co that a download may contact (where the Hub redirects large files). */
export const DOWNLOAD_HOSTS_TEXT = list(HUB_CONNECT_HOSTS.filter((h) => h !== 'huggingface.co'));

/** "124M", "1.10B", "348,096": a parameter count at a glance. */
export function shortCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${Math.round(n / 1e6)}M`;
  return n.toLocaleString('en-US');
}
