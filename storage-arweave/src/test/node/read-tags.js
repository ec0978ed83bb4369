// What arweave-js reads from a gateway about published transactions, as one JSON line:
// for each id given, its decoded tags, its owner's address and whether its signature verifies,
// and under "graphql" the ids a tag query (App-Name = synthweave, Type = dataset) finds.
// Usage: node read-tags.js GATEWAY_URL ID...
'use strict';
const Arweave = require('arweave');

const url = new URL(process.argv[2]);
const arweave = Arweave.init({
  host: url.hostname,
  port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
  protocol: url.protocol.replace(':', ''),
});

(async () => {
  const out = { transactions: {} };
  for (const id of process.argv.slice(3)) {
    const tx = await arweave.transactions.get(id);
    out.transactions[id] = {
      tags: tx.tags.map((t) => ({
        name: t.get('name', { decode: true, string: true }),
        value: t.get('value', { decode: true, string: true }),
      })),
      owner: await arweave.wallets.ownerToAddress(tx.owner),
      verified: await arweave.transactions.verify(tx),
    };
  }
  const query = `{ transactions(first: 100, tags: [
      { name: "App-Name", values: ["synthweave"] }, { name: "Type", values: ["dataset"] }]) {
      edges { node { id } } } }`;
  const r = await arweave.api.post('graphql', { query });
  out.graphql = r.data.data.transactions.edges.map((e) => e.node.id);
  console.log(JSON.stringify(out));
})().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
