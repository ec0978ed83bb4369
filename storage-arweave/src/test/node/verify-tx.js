// Reads a signed transaction JSON on stdin and prints "true" if arweave-js verifies it.
'use strict';
const Arweave = require('arweave');
const arweave = Arweave.init({});
let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', async () => {
  const tx = arweave.transactions.fromRaw(JSON.parse(input));
  console.log(String(await arweave.transactions.verify(tx)));
});
