// Uploads a file with arweave-js to a gateway and prints {"ms":...,"id":...}.
// Usage: node bench-arweavejs.js <gatewayUrl> <file>
'use strict';
const fs = require('fs');
const Arweave = require('arweave');
(async () => {
  const url = new URL(process.argv[2]);
  const arweave = Arweave.init({ host: url.hostname, port: +url.port, protocol: url.protocol.replace(':', '') });
  const key = await arweave.wallets.generate();
  const addr = await arweave.wallets.jwkToAddress(key);
  await arweave.api.get(`mint/${addr}/100000000000000000000`);
  const start = Date.now();
  const data = fs.readFileSync(process.argv[3]);
  const tx = await arweave.createTransaction({ data }, key);
  await arweave.transactions.sign(tx, key);
  const uploader = await arweave.transactions.getUploader(tx);
  while (!uploader.isComplete) {
    await uploader.uploadChunk();
    if (uploader.lastResponseStatus >= 400) throw new Error(uploader.lastResponseError);
  }
  console.log(JSON.stringify({ ms: Date.now() - start, id: tx.id }));
})().catch((e) => { console.error(e); process.exit(1); });
