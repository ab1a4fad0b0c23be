#!/usr/bin/env node
// A provider stand-in written apart from bench/java/MockUpstream.java and bench/mock-node/mock.js,
// as a skeptical user would write one: Node's http module, OpenAI-style JSON with Content-Length,
// one res.write() per SSE event, keep-alive. bench/independent/README.md says why it exists.
//
//   node bench/independent/upstream.js PORT
'use strict';
const http = require('node:http');

const port = Number(process.argv[2] || 0);
const CHUNKS = 8;
const completion = JSON.stringify({
  id: 'chatcmpl-indep', object: 'chat.completion', created: 1767225600, model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from an independent upstream.', refusal: null },
    logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
});
const chunk = (delta, finish) => 'data: ' + JSON.stringify({
  id: 'chatcmpl-indep', object: 'chat.completion.chunk', created: 1767225600, model: 'gpt-4o-mini',
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
}) + '\n\n';
const usageChunk = 'data: ' + JSON.stringify({
  id: 'chatcmpl-indep', object: 'chat.completion.chunk', created: 1767225600, model: 'gpt-4o-mini',
  choices: [], usage: { prompt_tokens: 12, completion_tokens: CHUNKS, total_tokens: 12 + CHUNKS },
}) + '\n\n';
const event = (name, data) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

function openAiStream(res, includeUsage) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream' });
  res.write(chunk({ role: 'assistant', content: '' }, null));
  for (let i = 0; i < CHUNKS; i++) res.write(chunk({ content: `word${i} ` }, null));
  res.write(chunk({}, 'stop'));
  if (includeUsage) res.write(usageChunk);
  res.end('data: [DONE]\n\n');
}

function anthropicStream(res) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream' });
  res.write(event('message_start', { type: 'message_start', message: { id: 'msg_indep', type: 'message', role: 'assistant',
    model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null,
    usage: { input_tokens: 12, output_tokens: 1 } } }));
  res.write(event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }));
  for (let i = 0; i < CHUNKS; i++) {
    res.write(event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: `word${i} ` } }));
  }
  res.write(event('content_block_stop', { type: 'content_block_stop', index: 0 }));
  res.write(event('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: CHUNKS } }));
  res.end(event('message_stop', { type: 'message_stop' }));
}

const server = http.createServer((req, res) => {
  const parts = [];
  req.on('data', (part) => parts.push(part));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(parts).toString('utf8') || '{}');
    if (req.url.startsWith('/v1/messages')) {
      return anthropicStream(res);
    }
    if (body.stream) {
      return openAiStream(res, Boolean(body.stream_options && body.stream_options.include_usage));
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(completion) });
    res.end(completion);
  });
});
server.keepAliveTimeout = 120000;
server.listen(port, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
