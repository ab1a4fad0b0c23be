#!/usr/bin/env node
// The benchmark's second upstream: the same endpoints, bodies and behaviour as
// bench/java/MockUpstream.java, served by Node.js's own `http` module (Node 20, no npm
// dependencies), as an independent harness would write it. bench/README.md says where the two
// differ on the wire and why both are kept.
//
//   POST /v1/chat/completions  OpenAI chat.completion; "stream":true gets the role chunk, N content
//                              chunks, the finish_reason chunk and data: [DONE]
//   POST /v1/messages          Anthropic message; streaming: message_start, content_block_start,
//                              content_block_delta x N, content_block_stop, message_delta, message_stop
//   POST /v1/responses         OpenAI Responses; streaming: response.created ... response.completed
//   a streaming request whose body holds "trickle": one content event a second for --trickle-seconds
//   POST /v1/traces            an OTLP/HTTP collector that keeps nothing (200, empty), for a gateway
//                              traced with BENCH_CURRENT_JVM_OPTS; not counted as a request
//   GET /_stats                {"open_requests","connections","accepted","requests","trickling"}
//
// Unlike the Java mock, which hands the kernel a stream's first events in one write and its last
// events in one write, this one writes every SSE event with its own res.write() (one chunk each),
// as a provider flushing each event does, and Node adds Date, Connection and Keep-Alive headers.
//
// Usage: node bench/mock-node/mock.js [--port P] [--chunks N] [--trickle-seconds S]
'use strict';

const http = require('node:http');

const options = { port: 0, chunks: 8, trickleSeconds: 60 };
for (let i = 2; i + 1 < process.argv.length; i += 2) {
  const value = Number(process.argv[i + 1]);
  switch (process.argv[i]) {
    case '--port': options.port = value; break;
    case '--chunks': options.chunks = value; break;
    case '--trickle-seconds': options.trickleSeconds = value; break;
    default: throw new Error(`unknown option ${process.argv[i]}`);
  }
}

const CREATED = 1767225600;
const SSE_HEADERS = { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' };

const sse = (name, data) => `event: ${name}\ndata: ${data}\n\n`;

/** One API's canned replies: the JSON body, and a stream as its events (each one write). */
function openAi(chunks) {
  const plain = `{"id":"chatcmpl-mock","object":"chat.completion","created":${CREATED},"model":"gpt-4o-mini",`
    + '"choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the mock upstream.","refusal":null},'
    + '"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}}';
  const prefix = `{"id":"chatcmpl-mock","object":"chat.completion.chunk","created":${CREATED},`
    + '"model":"gpt-4o-mini","choices":[{"index":0,"delta":';
  const delta = (text) => `data: ${prefix}{"content":"${text}"},"logprobs":null,"finish_reason":null}]}\n\n`;
  return {
    plain,
    head: [`data: ${prefix}{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}\n\n`],
    deltas: Array.from({ length: chunks }, (_, i) => delta(`word${i} `)),
    trickle: delta('tick '),
    tail: [`data: ${prefix}{},"logprobs":null,"finish_reason":"stop"}]}\n\n`, 'data: [DONE]\n\n'],
    // Asked for stream_options.include_usage: OpenAI's usage chunk (no choices) before [DONE].
    usageTail: [`data: ${prefix}{},"logprobs":null,"finish_reason":"stop"}]}\n\n`,
      `data: {"id":"chatcmpl-mock","object":"chat.completion.chunk","created":${CREATED},"model":"gpt-4o-mini",`
        + `"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":${chunks},"total_tokens":${12 + chunks}}}\n\n`,
      'data: [DONE]\n\n'],
  };
}

function anthropic(chunks) {
  const plain = '{"id":"msg_mock","type":"message","role":"assistant","model":"claude-sonnet-4-5",'
    + '"content":[{"type":"text","text":"Hello from the mock upstream."}],"stop_reason":"end_turn","stop_sequence":null,'
    + '"usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":7}}';
  const delta = (text) => sse('content_block_delta',
    `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"${text}"}}`);
  return {
    plain,
    head: [
      sse('message_start', '{"type":"message_start","message":{"id":"msg_mock","type":"message","role":"assistant",'
        + '"model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,'
        + '"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}'),
      sse('content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}'),
    ],
    deltas: Array.from({ length: chunks }, (_, i) => delta(`word${i} `)),
    trickle: delta('tick '),
    tail: [
      sse('content_block_stop', '{"type":"content_block_stop","index":0}'),
      sse('message_delta', '{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},'
        + `"usage":{"output_tokens":${chunks + 1}}}`),
      sse('message_stop', '{"type":"message_stop"}'),
    ],
  };
}

function responses(chunks) {
  let full = '';
  for (let i = 0; i < chunks; i++) full += `word${i} `;
  const response = (status, output, usage) => `{"id":"resp_mock","object":"response","created_at":${CREATED},`
    + `"status":"${status}","error":null,"incomplete_details":null,"instructions":null,"max_output_tokens":null,`
    + `"model":"gpt-4o-mini","output":${output},"parallel_tool_calls":true,"previous_response_id":null,"store":false,`
    + '"temperature":1.0,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":1.0,'
    + `"truncation":"disabled","usage":${usage},"metadata":{}}`;
  const event = (type, sequence, fields) => sse(type, `{"type":"${type}","sequence_number":${sequence},${fields}}`);
  const item = '{"type":"message","id":"msg_mock","status":"completed","role":"assistant",'
    + `"content":[{"type":"output_text","text":"${full}","annotations":[]}]}`;
  const usage = `{"input_tokens":12,"input_tokens_details":{"cached_tokens":0},"output_tokens":${chunks},`
    + `"output_tokens_details":{"reasoning_tokens":0},"total_tokens":${12 + chunks}}`;
  const part = '"item_id":"msg_mock","output_index":0,"content_index":0';
  const seq = 4 + chunks;
  return {
    plain: response('completed', '[{"type":"message","id":"msg_mock","status":"completed","role":"assistant",'
      + '"content":[{"type":"output_text","text":"Hello from the mock upstream.","annotations":[]}]}]',
    '{"input_tokens":12,"input_tokens_details":{"cached_tokens":0},"output_tokens":7,'
      + '"output_tokens_details":{"reasoning_tokens":0},"total_tokens":19}'),
    head: [
      event('response.created', 0, `"response":${response('in_progress', '[]', 'null')}`),
      event('response.in_progress', 1, `"response":${response('in_progress', '[]', 'null')}`),
      event('response.output_item.added', 2, '"output_index":0,"item":{"type":"message","id":"msg_mock",'
        + '"status":"in_progress","role":"assistant","content":[]}'),
      event('response.content_part.added', 3, `${part},"part":{"type":"output_text","text":"","annotations":[]}`),
    ],
    deltas: Array.from({ length: chunks }, (_, i) => event('response.output_text.delta', 4 + i,
      `${part},"delta":"word${i} ","logprobs":[]`)),
    // A trickle repeats one delta, sequence number and all, as the Java mock does.
    trickle: event('response.output_text.delta', 4, `${part},"delta":"tick ","logprobs":[]`),
    tail: [
      event('response.output_text.done', seq, `${part},"text":"${full}","logprobs":[]`),
      event('response.content_part.done', seq + 1, `${part},"part":{"type":"output_text","text":"${full}","annotations":[]}`),
      event('response.output_item.done', seq + 2, `"output_index":0,"item":${item}`),
      event('response.completed', seq + 3, `"response":${response('completed', `[${item}]`, usage)}`),
    ],
  };
}

/** Strings to Buffers once, so that serving a request copies nothing. */
function prepare(replies) {
  return {
    plain: Buffer.from(replies.plain),
    head: replies.head.map((s) => Buffer.from(s)),
    deltas: replies.deltas.map((s) => Buffer.from(s)),
    trickle: Buffer.from(replies.trickle),
    tail: replies.tail.map((s) => Buffer.from(s)),
  };
}

const routes = {
  '/v1/chat/completions': prepare(openAi(options.chunks)),
  '/v1/messages': prepare(anthropic(options.chunks)),
  '/v1/responses': prepare(responses(options.chunks)),
};
const STREAM_TRUE = Buffer.from('"stream":true');
const STREAM_TRUE_SPACED = Buffer.from('"stream": true');
const INCLUDE_USAGE = Buffer.from('"include_usage":true');
const TRICKLE = Buffer.from('"trickle"');

const stats = { open_requests: 0, connections: 0, accepted: 0, requests: 0, trickling: 0 };

function writeAll(res, buffers) {
  for (const b of buffers) res.write(b);
}

function serve(req, res, replies, body) {
  stats.requests++;
  stats.open_requests++;
  // open_requests: the reply is not fully handed to the kernel yet and the connection is open.
  let open = true;
  let timer = null;
  const release = () => {
    if (open) {
      open = false;
      stats.open_requests--;
    }
    if (timer !== null) {
      clearInterval(timer);
      timer = null;
      stats.trickling--;
    }
  };
  res.on('finish', release);
  res.on('close', release);

  const stream = body.includes(STREAM_TRUE) || body.includes(STREAM_TRUE_SPACED);
  if (!stream) {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': replies.plain.length });
    res.end(replies.plain);
    return;
  }
  res.writeHead(200, SSE_HEADERS);
  writeAll(res, replies.head);
  const last = replies.tail.length - 1;
  if (body.includes(TRICKLE)) {
    let sent = 0;
    stats.trickling++;
    timer = setInterval(() => {
      if (sent < options.trickleSeconds) {
        res.write(replies.trickle);
        sent++;
        return;
      }
      clearInterval(timer);
      timer = null;
      stats.trickling--;
      writeAll(res, replies.tail.slice(0, last));
      res.end(replies.tail[last]);
    }, 1000);
    return;
  }
  writeAll(res, replies.deltas);
  const tail = replies.usageTail && body.includes(INCLUDE_USAGE) ? replies.usageTail : replies.tail;
  writeAll(res, tail.slice(0, tail.length - 1));
  // end() with the last event writes it and the final chunk together.
  res.end(tail[tail.length - 1]);
}

const server = http.createServer({ noDelay: true }, (req, res) => {
  if (req.method === 'GET' && req.url === '/_stats') {
    const json = JSON.stringify(stats);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json) });
    res.end(json);
    return;
  }
  if (req.method === 'POST' && req.url === '/v1/traces') {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/x-protobuf', 'Content-Length': 0 });
      res.end();
    });
    return;
  }
  const replies = req.method === 'POST' ? routes[req.url] : undefined;
  if (replies === undefined) {
    req.resume();
    res.writeHead(404, { 'Content-Length': 0 });
    res.end();
    return;
  }
  const parts = [];
  req.on('data', (part) => parts.push(part));
  req.on('end', () => serve(req, res, replies, parts.length === 1 ? parts[0] : Buffer.concat(parts)));
});
// Node closes idle keep-alive connections after 5 s by default; the gateways' pools keep theirs
// for 30 s, and a connection closed under a request they send would fail it (retries are off).
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;
server.requestTimeout = 0;
server.on('connection', (socket) => {
  stats.connections++;
  stats.accepted++;
  socket.on('close', () => stats.connections--);
});
server.listen({ port: options.port, host: '127.0.0.1', backlog: 4096 }, () => {
  console.log(`node mock upstream on 127.0.0.1:${server.address().port}, ${options.chunks} chunks per stream, `
    + `trickle ${options.trickleSeconds} s`);
});
