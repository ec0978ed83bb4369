#!/usr/bin/env node
// Independent (Node.js, not Java) golden data for the telemetry tests, so that the Java canonical
// encoding and signatures are checked against another language's implementation:
//  - ecmascript-doubles.csv: IEEE-754 bits (hex) and String(x) for edge-case and seeded random
//    doubles; the canonical double form is ECMAScript's Number::toString.
//  - node-ed25519.json: for the test seed of wsn-sh-mote1, Node's public key and its Ed25519
//    signature over golden-reading.canonical.txt.
// Usage (from the repo root): node data/scripts/telemetry/make-golden.js
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const out = path.join(__dirname, '../../../ingest/src/test/resources/telemetry');

// xorshift64* with a fixed seed: the same file on every run.
let state = 0x9e3779b97f4a7c15n;
function next64() {
  state ^= state >> 12n;
  state ^= (state << 25n) & 0xffffffffffffffffn;
  state ^= state >> 27n;
  return (state * 0x2545f4914f6cdd1dn) & 0xffffffffffffffffn;
}
const buf = Buffer.alloc(8);
function fromBits(bits) {
  buf.writeBigUInt64BE(bits);
  return buf.readDoubleBE(0);
}
function bitsOf(x) {
  buf.writeDoubleBE(x);
  return buf.readBigUInt64BE(0).toString(16).padStart(16, '0');
}

const values = [
  0.1, 0.2, 0.1 + 0.2, 1, -1, 27, 45.93, -37.7983, 144.961, 123.8, 1e21, 1e-7, 1.5e21, 123e-20,
  1e-6, 0.000001234, 5e-324, -5e-324, 1.7976931348623157e308, 2.2250738585072014e-308,
  9007199254740992, 9007199254740993, 2 ** 63, 1 / 3, Math.PI, 2e23, 1e23, 8.41e21, 5e-7,
  4.35, 0.5, 100, 1234567890123456789, 2.82879384806159e17, 1.0e-5, 9.999999999999999e20,
];
for (let i = 0; i < 1000; i++) {
  const x = fromBits(next64());
  if (Number.isFinite(x)) values.push(x);
}
// sensor-like values: up to 4 decimals in a plausible range
for (let i = 0; i < 1000; i++) {
  const r = Number(next64() % 4000000n) - 2000000;
  values.push(r / [1, 10, 100, 1000, 10000][Number(next64() % 5n)]);
}
const lines = ['bits,ecmascript'];
for (const x of values) {
  if (x === 0) continue; // 0 and -0 are covered by the Java tests
  lines.push(bitsOf(x) + ',' + String(x));
}
fs.writeFileSync(path.join(out, 'ecmascript-doubles.csv'), lines.join('\n') + '\n');

const seed = crypto
  .createHash('sha256')
  .update('synthweave telemetry test key v1 wsn-sh-mote1', 'utf8')
  .digest();
const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
const privateKey = crypto.createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
const spki = crypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
const message = fs.readFileSync(path.join(out, 'golden-reading.canonical.txt'));
const golden = {
  note: 'Made by data/scripts/telemetry/make-golden.js with Node ' + process.version,
  device_id: 'wsn-sh-mote1',
  seed_base64: seed.toString('base64'),
  public_key_base64: spki.subarray(12).toString('base64'),
  canonical_sha256: crypto.createHash('sha256').update(message).digest('hex'),
  signature_base64: crypto.sign(null, message, privateKey).toString('base64'),
};
fs.writeFileSync(path.join(out, 'node-ed25519.json'), JSON.stringify(golden, null, 2) + '\n');
