#!/usr/bin/env node
// Stream load for bench/independent/check.sh: CONCURRENCY keep-alive connections, each posting
// BODY and reading the whole SSE answer before the next; prints "streams=N errors=E seconds=S".
//
//   node bench/independent/streams.js URL TOKEN BODY SECONDS CONCURRENCY
'use strict';
const http = require('node:http');

const [url, token, body, seconds, concurrency] = process.argv.slice(2);
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(concurrency) });
const end = Date.now() + Number(seconds) * 1000;
let streams = 0;
let errors = 0;

function one() {
  return new Promise((resolve) => {
    const req = http.request({ agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Content-Length': Buffer.byteLength(body) } },
    (res) => {
      let tail = '';
      res.on('data', (part) => { tail = (tail + part.toString('latin1')).slice(-64); });
      res.on('end', () => {
        if (res.statusCode === 200 && (tail.includes('[DONE]') || tail.includes('message_stop'))) streams++; else errors++;
        resolve();
      });
    });
    req.on('error', () => { errors++; resolve(); });
    req.end(body);
  });
}

async function loop() {
  while (Date.now() < end) await one();
}

const started = Date.now();
Promise.all(Array.from({ length: Number(concurrency) }, loop)).then(() => {
  console.log(`streams=${streams} errors=${errors} seconds=${(Date.now() - started) / 1000}`);
  agent.destroy();
});
