// Starts arlocal bound to 127.0.0.1 only. arlocal calls app.listen(port) with no host, which
// binds every interface; tests must not expose a gateway that mints free tokens to the network.
// Usage: node start-arlocal.js <port> [arlocal flags...]   (same arguments as `npx arlocal`)
'use strict';
const net = require('net');

const LOOPBACK = '127.0.0.1';
const originalListen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (args.length > 0 && args[0] !== null && typeof args[0] === 'object') {
    args[0] = Object.assign({}, args[0], { host: LOOPBACK });
  } else if (typeof args[1] === 'string') {
    args[1] = LOOPBACK;
  } else {
    args.splice(1, 0, LOOPBACK);
  }
  return originalListen.apply(this, args);
};

// SYNTHWEAVE_ARLOCAL_OFFSET_INDEX=1: a benchmark-only fix of arlocal 1.1.66's chunk store, so
// that a gateway's cost per chunk stops growing with the chunks it holds (docs/BENCHMARKS.md,
// "Why arlocal gets slower with size"). POST /chunk asks for the highest stored offset with
// `SELECT * FROM chunks ORDER BY offset DESC` (no LIMIT, no index: every stored chunk is read and
// sorted) and then finds that chunk with a second full scan. Here both become one indexed lookup;
// what they return is unchanged. The tests never set it: they run arlocal as published.
if (process.env.SYNTHWEAVE_ARLOCAL_OFFSET_INDEX === '1') {
  const { ChunkDB } = require('arlocal/bin/db/chunks.js');
  const indexed = new WeakSet();
  const ensureIndex = async (connection) => {
    if (!indexed.has(connection)) {
      await connection.raw('CREATE INDEX IF NOT EXISTS chunks_offset ON chunks (offset)');
      indexed.add(connection);
    }
  };
  ChunkDB.prototype.getLastChunkOffset = async function () {
    try {
      await ensureIndex(this.connection);
      const row = await this.connection('chunks').select('offset').orderBy('offset', 'desc').first();
      return row && row.offset ? row.offset : 0;
    } catch (error) {
      console.error({ error });
    }
  };
  ChunkDB.prototype.getByOffset = async function (offset) {
    try {
      await ensureIndex(this.connection);
      return await this.connection('chunks').where({ offset }).first();
    } catch (error) {
      console.error({ error });
    }
  };
  console.log('arlocal: chunk offsets indexed (SYNTHWEAVE_ARLOCAL_OFFSET_INDEX=1)');
}

require('arlocal/bin/index.js');
