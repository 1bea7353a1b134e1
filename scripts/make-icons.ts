// Makes the browser icons in public/ from the one drawing, public/icon.svg: apple-touch-icon.png
// (180×180), icon-192.png, icon-512.png and favicon.ico (16, 32 and 48 px PNGs in an ICO
// container, which every current browser reads). The outputs are committed; run this again
// after changing the SVG: `npx tsx scripts/make-icons.ts`. Uses sharp, which Next installs
// for image optimization.
import { readFile, writeFile } from 'node:fs/promises';
import sharp from 'sharp';

const publicDir = new URL('../public/', import.meta.url);

const png = (svg: Buffer, size: number) => sharp(svg, { density: 384 }).resize(size, size).png({ compressionLevel: 9 }).toBuffer();

/** An ICO file holding these PNG images (ICONDIR, one ICONDIRENTRY each, then the images). */
function ico(images: { size: number; data: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, data }, index) => {
    const entry = 6 + 16 * index;
    header.writeUInt8(size >= 256 ? 0 : size, entry); // width (0 means 256)
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1); // height
    header.writeUInt8(0, entry + 2); // no palette
    header.writeUInt8(0, entry + 3); // reserved
    header.writeUInt16LE(1, entry + 4); // colour planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(data.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.data)]);
}

const svg = await readFile(new URL('icon.svg', publicDir));
for (const [name, size] of [['apple-touch-icon.png', 180], ['icon-192.png', 192], ['icon-512.png', 512]] as const) {
  await writeFile(new URL(name, publicDir), await png(svg, size));
}
await writeFile(new URL('favicon.ico', publicDir), ico(await Promise.all([16, 32, 48].map(async (size) => ({ size, data: await png(svg, size) })))));
console.log('public/: favicon.ico, apple-touch-icon.png, icon-192.png, icon-512.png');
