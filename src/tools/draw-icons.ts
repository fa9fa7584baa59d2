import { writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

/**
 * Draws the Teams app icons (manifest/color.png 192x192, manifest/outline.png 32x32) from signed
 * distance functions, because no image library is installed. Run once after a design change:
 * `tsc -b tsconfig.json && node dist/tools/draw-icons.js`; the PNGs are committed.
 */

type Point = readonly [number, number];
/** Signed distance in pixels: negative inside the shape. */
type Sdf = (x: number, y: number) => number;
type Rgb = readonly [number, number, number];

const CLICKSEND_BLUE: Rgb = [0x14, 0x6e, 0xf5];
const WHITE: Rgb = [255, 255, 255];

const roundRect = (x0: number, y0: number, x1: number, y1: number, r: number): Sdf => (x, y) => {
  const dx = Math.abs(x - (x0 + x1) / 2) - ((x1 - x0) / 2 - r);
  const dy = Math.abs(y - (y0 + y1) / 2) - ((y1 - y0) / 2 - r);
  return Math.hypot(Math.max(dx, 0), Math.max(dy, 0)) + Math.min(Math.max(dx, dy), 0) - r;
};

const circle = (cx: number, cy: number, r: number): Sdf => (x, y) => Math.hypot(x - cx, y - cy) - r;

// Distance to a polygon with an even-odd sign, after https://iquilezles.org/articles/distfunctions2d/
const polygon = (points: readonly Point[]): Sdf => (x, y) => {
  let best = Infinity;
  let inside = false;
  points.forEach(([ax, ay], i) => {
    const [bx, by] = points[(i + points.length - 1) % points.length] ?? [ax, ay];
    const [ex, ey, wx, wy] = [bx - ax, by - ay, x - ax, y - ay];
    const t = Math.min(Math.max((wx * ex + wy * ey) / (ex * ex + ey * ey), 0), 1);
    best = Math.min(best, Math.hypot(wx - ex * t, wy - ey * t));
    if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
  });
  return inside ? -best : best;
};

const union = (...shapes: Sdf[]): Sdf => (x, y) => Math.min(...shapes.map((s) => s(x, y)));

/** A speech bubble with a tail at its lower left, in a square of side `size`. */
const bubble = (size: number): Sdf => {
  const u = size / 32;
  return union(roundRect(4 * u, 5 * u, 28 * u, 22 * u, 5 * u), polygon([[8 * u, 19 * u], [15 * u, 19 * u], [7 * u, 28 * u]]));
};
const dots = (size: number, r: number): Sdf => {
  const u = size / 32;
  return union(circle(10.5 * u, 13.5 * u, r * u), circle(16 * u, 13.5 * u, r * u), circle(21.5 * u, 13.5 * u, r * u));
};

/** Fraction of a pixel's 4x4 sub-samples that `inside` accepts: cheap anti-aliasing. */
const coverage = (px: number, py: number, inside: (x: number, y: number) => boolean): number => {
  let hits = 0;
  for (let i = 0; i < 16; i++) if (inside(px + ((i % 4) + 0.5) / 4, py + (Math.floor(i / 4) + 0.5) / 4)) hits++;
  return hits / 16;
};

const render = (size: number, pixel: (x: number, y: number) => readonly [number, number, number, number]): Uint8Array => {
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) rgba.set(pixel(x, y).map(Math.round), (y * size + x) * 4);
  return rgba;
};

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [0, 1, 2].map((i) => a[i]! + (b[i]! - a[i]!) * t) as unknown as Rgb;

const drawColor = (size: number) => {
  const [shape, inner] = [bubble(size), dots(size, 2.2)];
  return render(size, (x, y) => {
    const white = coverage(x, y, (sx, sy) => shape(sx, sy) < 0);
    const dot = coverage(x, y, (sx, sy) => inner(sx, sy) < 0);
    return [...mix(mix(CLICKSEND_BLUE, WHITE, white), CLICKSEND_BLUE, dot), 255];
  });
};

const drawOutline = (size: number) => {
  const [shape, inner, half] = [bubble(size), dots(size, 1.6), size / 32];
  return render(size, (x, y) => {
    const alpha = coverage(x, y, (sx, sy) => Math.abs(shape(sx, sy) + half) < half || inner(sx, sy) < 0);
    return [255, 255, 255, alpha * 255];
  });
};

const chunk = (type: string, data: Buffer): Buffer => {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};

/** An 8-bit RGBA PNG, every row with filter 0 (none). */
const encodePng = (width: number, height: number, rgba: Uint8Array): Buffer => {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, no filter, no interlace
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rows.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
};

const dir = new URL('../../manifest/', import.meta.url);
writeFileSync(new URL('color.png', dir), encodePng(192, 192, drawColor(192)));
writeFileSync(new URL('outline.png', dir), encodePng(32, 32, drawOutline(32)));
process.stdout.write(`icons written to ${dir.pathname}\n`);
