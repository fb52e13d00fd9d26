/** The Hub's hosts, in a file that imports nothing, so that the build's CSP can import it too. */

/**
 * Every host a download may touch: the Hub itself and the storage/CDN hosts its resolve URLs
 * redirect to. Source: the Hub's documentation, "Downloading behind a proxy or firewall"
 * (huggingface/hub-docs, docs/hub/models-downloading.md, commit 242f4a1e of 2026-08-22):
 * CDN edges us.aws.cdn.hf.co and us.gcp.cdn.hf.co (e.g. `resolve/main/model.safetensors` →
 * `302 Location: https://us.aws.cdn.hf.co/xet-bridge-us/…`), LFS CDNs cdn-lfs-us-1.hf.co and
 * cdn-lfs-eu-1.hf.co. The Xet protocol hosts (cas-server.xethub*.hf.co, transfer.xethub*.hf.co)
 * are left out on purpose: only the Xet client protocol talks to them, and this app downloads
 * through plain resolve URLs. The CSP's connect-src lists exactly these (scripts/vitePlugins.ts).
 */
export const HUB_CONNECT_HOSTS = [
  'huggingface.co',
  'us.aws.cdn.hf.co',
  'us.gcp.cdn.hf.co',
  'cdn-lfs-us-1.hf.co',
  'cdn-lfs-eu-1.hf.co',
] as const;
