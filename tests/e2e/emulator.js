#!/usr/bin/env node
// Starts the telegram-test-api Bot API emulator for the FibroBot e2e tests.
//
// Usage: node tests/e2e/emulator.js <port>
//
// Listens on 127.0.0.1:<port> only. The same HTTP server carries
//   * the Bot API side:   POST /bot<token>/<method>        (what the bot calls)
//   * the client side:    POST /sendMessage, /sendCommand, /sendCallback,
//                         /getUpdates, /getUpdatesHistory (what the tests call)
// Prints one JSON line {"ready": true, "url": ...} on stdout once it listens,
// and stops cleanly on SIGTERM / SIGINT or when stdin closes (parent died).
'use strict';

// lib/index.js does `module.exports = TelegramServer` (default export, not named).
const TelegramServer = require('telegram-test-api');

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write('usage: node emulator.js <port>\n');
  process.exit(2);
}

const server = new TelegramServer({
  port,
  host: '127.0.0.1',
  // Keep messages for the whole test module (default is 60 s, then the
  // emulator silently forgets them).
  storeTimeout: 3600,
});

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  try {
    await server.stop();
  } finally {
    process.exit(0);
  }
}

process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();

server.start().then(
  () => {
    process.stdout.write(`${JSON.stringify({ ready: true, url: server.config.apiURL })}\n`);
  },
  (err) => {
    process.stderr.write(`emulator failed to start: ${err}\n`);
    process.exit(1);
  },
);
