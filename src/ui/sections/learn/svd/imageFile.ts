/**
 * Turn an image file the user picked or dropped into a grayscale matrix with values in [0, 1],
 * downsampled on a canvas so the longer side is at most `maxSide` pixels. Every failure becomes a
 * message that names the file and says what to do.
 */
import { MiB, sizeAndLimit } from '../../../../engine/format/bytes';
import { UserFacingError } from '../../../../engine/types';
import type { Mat } from '../../../../engine/linalg/dense';

const MAX_BYTES = 40 * MiB;

export async function imageFileToMatrix(file: File, maxSide = 96): Promise<Mat> {
  if (file.type && !file.type.startsWith('image/')) {
    throw new UserFacingError(
      `“${file.name}” is not an image (its type is ${file.type}). Pick a PNG, JPEG, GIF, WebP or BMP file.`,
    );
  }
  if (file.size === 0) throw new UserFacingError(`“${file.name}” is empty.`);
  if (file.size > MAX_BYTES) {
    const said = sizeAndLimit(file.size, MAX_BYTES);
    throw new UserFacingError(`“${file.name}” is ${said.size}; pick an image under ${said.limit}.`);
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new UserFacingError(
      `“${file.name}” could not be read as an image: the file may be damaged, or in a format this browser cannot decode.`,
    );
  }
  try {
    const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
    const w = Math.max(1, Math.round(bitmap.width * scale));
    const h = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new UserFacingError('This browser gave no 2-D canvas to read the image with.');
    ctx.fillStyle = '#fff'; // transparent pixels read as white paper, not black
    ctx.fillRect(0, 0, w, h);
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, w, h);
    const { data } = ctx.getImageData(0, 0, w, h);
    const out: Mat = [];
    for (let i = 0; i < h; i++) {
      const row: number[] = [];
      for (let j = 0; j < w; j++) {
        const o = 4 * (i * w + j);
        // Rec. 709 luma weights: green carries most of the perceived brightness.
        row.push((0.2126 * data[o] + 0.7152 * data[o + 1] + 0.0722 * data[o + 2]) / 255);
      }
      out.push(row);
    }
    return out;
  } finally {
    bitmap.close();
  }
}
