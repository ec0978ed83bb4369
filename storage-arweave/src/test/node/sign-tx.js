// Creates a fresh key with arweave-js, signs a tx carrying argv[2] as data plus two tags, and
// prints the transaction JSON (arweave-js under Node signs with salt length 478).
'use strict';
const Arweave = require('arweave');
const arweave = Arweave.init({});
(async () => {
  const key = await arweave.wallets.generate();
  const tx = await arweave.createTransaction(
    { data: process.argv[2] || 'hello', last_tx: '', reward: '12345' },
    key
  );
  tx.addTag('Content-Type', 'text/plain');
  tx.addTag('App-Name', 'interop');
  await arweave.transactions.sign(tx, key);
  console.log(JSON.stringify(tx.toJSON()));
})();
