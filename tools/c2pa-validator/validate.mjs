// Validates one file with the official C2PA reader (@contentauth/c2pa-wasm) offline and prints its
// report as JSON on stdout: node validate.mjs FILE MEDIA_TYPE [TRUST_ANCHORS_PEM [TSA_TRUST_ANCHORS_PEM]]
// Without trust anchors the best state is "Valid"; with the signer's root it is "Trusted". TSA trust
// anchors (a trust list of kind "tsa", as the C2PA TSA trust list) make a time-stamp "timeStamp.trusted".
import fs from 'node:fs';
import { initSync, WasmReader } from '@contentauth/c2pa-wasm';

const [file, mediaType, anchors, tsaAnchors] = process.argv.slice(2);
if (!file || !mediaType) {
  console.error('usage: node validate.mjs FILE MEDIA_TYPE [TRUST_ANCHORS_PEM [TSA_TRUST_ANCHORS_PEM]]');
  process.exit(2);
}
initSync({ module: fs.readFileSync(new URL('./node_modules/@contentauth/c2pa-wasm/pkg/c2pa_bg.wasm', import.meta.url)) });
const settings = { verify: { remote_manifest_fetch: false } };
if (anchors) {
  settings.trust = { trust_anchors: fs.readFileSync(anchors, 'utf8') };
}
if (tsaAnchors) {
  settings.trust = settings.trust || {};
  settings.trust.anchors = [{ trust_anchors: fs.readFileSync(tsaAnchors, 'utf8'), trust_kind: 'tsa' }];
}
try {
  const reader = await WasmReader.fromBytes(mediaType, fs.readFileSync(file), JSON.stringify(settings));
  process.stdout.write(reader.json());
} catch (e) {
  // No manifest, or one the reader cannot parse: a report of its own, so the caller sees why.
  process.stdout.write(JSON.stringify({ error: String(e && e.message ? e.message : e) }));
}
