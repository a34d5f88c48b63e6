// @ts-check
/**
 * `npm start`: runs the Node entry from its bundle (dist/node.mjs), first rebuilding the bundle
 * when any source is newer than it, so an edited checkout never runs stale code. `npm run dev`
 * runs the sources through tsx instead, with reloads.
 *
 * Plain JavaScript, and in this same process (no second Node start), because every part of the
 * start counts against the 3 s first-start goal (scripts/bundle.mjs says why there is a bundle).
 */
import { pathToFileURL } from 'node:url';
import { BUNDLE, bundleIfStale } from '../scripts/bundle.mjs';

if (await bundleIfStale()) process.stdout.write('Built dist/node.mjs from the sources.\n');
process.setSourceMapsEnabled(true);
await import(pathToFileURL(BUNDLE).href);
