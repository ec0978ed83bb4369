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

require('arlocal/bin/index.js');
