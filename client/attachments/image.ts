// F23: a photo resized and re-encoded on the device (createImageBitmap + OffscreenCanvas or a
// canvas). Drawing the pixels into a fresh canvas and encoding them again writes no EXIF at all,
// so the location a phone stores in a photo never leaves the device; the orientation it stored is
// applied to the pixels first (`imageOrientation: 'from-image'`).

export interface ImageReencoder {
  /** Throws when the browser cannot decode the bytes (e.g. HEIC outside Safari). */
  reencode(bytes: Uint8Array, type: string, longSide: number, output: 'image/jpeg' | 'image/png'): Promise<Uint8Array>;
}

/** The size after scaling the long side down to `longSide` (never up), at least 1×1. */
export function scaledSize(width: number, height: number, longSide: number): { width: number; height: number } {
  const scale = Math.min(1, longSide / Math.max(width, height, 1));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

export const JPEG_QUALITY = 0.85;

export const browserImageReencoder: ImageReencoder = {
  async reencode(bytes, type, longSide, output) {
    const source = new Blob([bytes as Uint8Array<ArrayBuffer>], { type });
    const bitmap = await createImageBitmap(source, { imageOrientation: 'from-image' });
    try {
      const { width, height } = scaledSize(bitmap.width, bitmap.height, longSide);
      let blob: Blob;
      if (typeof OffscreenCanvas !== 'undefined') {
        const canvas = new OffscreenCanvas(width, height);
        const ctx = canvas.getContext('2d');
        if (ctx === null) throw new Error('no 2d context');
        draw(ctx, bitmap, width, height, output);
        blob = await canvas.convertToBlob({ type: output, quality: JPEG_QUALITY });
      } else {
        const canvas = document.createElement('canvas');
        canvas.width = width;
        canvas.height = height;
        const ctx = canvas.getContext('2d');
        if (ctx === null) throw new Error('no 2d context');
        draw(ctx, bitmap, width, height, output);
        blob = await new Promise<Blob>((resolve, reject) =>
          canvas.toBlob((b) => (b === null ? reject(new Error('encode failed')) : resolve(b)), output, JPEG_QUALITY),
        );
      }
      return new Uint8Array(await blob.arrayBuffer());
    } finally {
      bitmap.close();
    }
  },
};

function draw(
  ctx: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D,
  bitmap: ImageBitmap,
  width: number,
  height: number,
  output: string,
): void {
  // JPEG has no transparency: a transparent PNG turned JPEG would go black, so paint white first.
  if (output === 'image/jpeg') {
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
  }
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, width, height);
}
