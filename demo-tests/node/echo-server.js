'use strict';
// WebSocket echo server (ws 8.23.0) used as a demo target for the robustness tests.
//
// Two variants, selected by a flag, because they react very differently to a
// protocol violation (e.g. an unmasked client frame):
//   default               : every socket gets an 'error' listener. ws sends a close
//                           frame (e.g. 1002) and the error is only logged; the
//                           server keeps running.
//   --no-error-listener   : reproduces a common real-world bug. ws emits 'error' on a
//                           socket nobody listens to, Node treats it as an uncaught
//                           exception and the whole process dies (exit code 1),
//                           taking every other connection down with it.
//   --no-pong             : never answers a ping (ws's autoPong: false), yet echoes
//                           every message: it serves, but a ping-based liveness
//                           check cannot tell.
//   --deflate             : accepts permessage-deflate (RFC 7692) and compresses every
//                           echo, however small (threshold 0); off by default in ws.
//
// Usage: node echo-server.js [port] [--no-error-listener] [--no-pong] [--deflate]   (port falls back
// to $PORT; 0 binds any free port, reported in the readiness line)
// Readiness: prints exactly one stdout line "listening on 127.0.0.1:<port>".

const { WebSocketServer } = require('ws');

const HOST = '127.0.0.1';
const args = process.argv.slice(2);
const noErrorListener = args.includes('--no-error-listener');
const noPong = args.includes('--no-pong');
const deflate = args.includes('--deflate');
const portArg = args.find((a) => !a.startsWith('--'));
const port = Number(portArg !== undefined ? portArg : process.env.PORT);

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(
    'usage: node echo-server.js [port] [--no-error-listener] [--no-pong] [--deflate] (or set PORT)');
  process.exit(2);
}

const wss = new WebSocketServer({
  host: HOST,
  port,
  autoPong: !noPong,
  perMessageDeflate: deflate ? { threshold: 0 } : false,
});

wss.on('listening', () => {
  // The Java launcher waits for this exact line; use the actual port (supports port 0).
  console.log(`listening on ${HOST}:${wss.address().port}`);
});

wss.on('connection', (socket) => {
  if (!noErrorListener) {
    socket.on('error', (err) => console.error(`socket error: ${err.message}`));
  }
  // Echo back with the same frame type (text stays text, binary stays binary).
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
});
