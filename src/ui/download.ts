/**
 * Saving files from the page: a Blob behind a temporary object URL and a clicked <a download>.
 * Nothing is uploaded anywhere; the browser writes the bytes to the user's downloads.
 */

const MIME: Record<string, string> = {
  zip: 'application/zip',
  json: 'application/json',
  md: 'text/markdown;charset=utf-8',
  safetensors: 'application/octet-stream',
};

/** The MIME type for a file name's extension (octet-stream when unknown). */
export function mimeFor(fileName: string): string {
  const ext = fileName.split('.').pop()?.toLowerCase() ?? '';
  return MIME[ext] ?? 'application/octet-stream';
}

/** Offers `content` as a download called `fileName`. */
export function downloadFile(fileName: string, content: Uint8Array | string): void {
  // Copy into a fresh ArrayBuffer: a view on a SharedArrayBuffer (or a larger buffer) is not a valid BlobPart.
  const part = typeof content === 'string' ? content : content.slice().buffer;
  const url = URL.createObjectURL(new Blob([part], { type: mimeFor(fileName) }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke later: revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
