// Drives a Qlik engine session with the unmodified enigma.js and ws packages, the way a mashup
// does, and prints exactly one JSON object describing what happened.
//
//   node enigma-session.mjs '{"url":"wss://127.0.0.1:1234/sales/app/engineData", ...}'
//
// Input (argv[2], JSON):
//   url          engine WebSocket URL (ws:// or wss://)                          required
//   steps        ["EngineVersion","GetDocList","GetAuthenticatedUser","OpenDoc",
//                 "GetActiveDoc","GetAppLayout","HyperCube"], run in order      default []
//   appId        document for OpenDoc / GetAppLayout / HyperCube                 default "Sales Demo.qvf"
//   hyperCube    {"dimensions":["Region"],"measures":["Sum(Sales)"],"rows":100}  optional
//   caFile       PEM file the TLS server certificate must chain to               optional
//   headers      extra upgrade request headers, e.g. {"Cookie":"..."}            optional
//   origin       Origin header of the upgrade request                            optional
//   holdOpenMs   keep the session open this long after the steps, then call
//                GetAuthenticatedUser again (result key "AfterHold")             default 0
//   timeoutMs    give up after this long                                         default 15000
//
// Output (stdout, one line): {"ok":true,"results":{...},"notifications":[...],...} or
// {"ok":false,"error":"...","errorCode":...,"failedStep":"...","httpStatus":403,
//  "closeCode":1008,"closeReason":"...","results":{...},"notifications":[...]}.
// The exit code is 0 whenever that object was printed; 2 means the input was unusable.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import enigma from 'enigma.js';
import WebSocket from 'ws';
import { readInput, usage as usageOf } from './script-input.mjs';

const require = createRequire(import.meta.url);
const schema = require('enigma.js/schemas/12.2027.0.json');

const STEPS = new Set(['EngineVersion', 'GetDocList', 'GetAuthenticatedUser', 'OpenDoc', 'GetActiveDoc', 'GetAppLayout', 'HyperCube']);
const MAX_HTTP_BODY = 8192;

const input = readInput('enigma-session', 'url');
const usage = (message) => usageOf('enigma-session', message);
const steps = input.steps ?? [];
if (!Array.isArray(steps) || steps.some((s) => !STEPS.has(s))) usage(`"steps" must be a list of ${[...STEPS].join(', ')}`);
const appId = input.appId ?? 'Sales Demo.qvf';
const holdOpenMs = Number(input.holdOpenMs ?? 0);
const timeoutMs = Number(input.timeoutMs ?? 15000);

const started = Date.now();
const output = { ok: false, results: {}, notifications: [] };
const socketState = {};
let currentStep = 'open';
let printed = false;

const delay = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });
let markClosed;
const socketClosed = new Promise((resolve) => { markClosed = resolve; });

function print() {
  if (printed) return;
  printed = true;
  Object.assign(output, socketState, { durationMs: Date.now() - started });
  process.stdout.write(`${JSON.stringify(output)}\n`, () => process.exit(0));
}

function describe(err) {
  // enigma rejects with Error objects, ws with ErrorEvent-like objects, enigma's open() with the raw event.
  if (!err) return 'Unknown error';
  if (typeof err === 'string') return err;
  return err.message || err.error?.message || err.type || String(err);
}

const wsOptions = {};
if (input.headers) wsOptions.headers = input.headers;
if (input.origin) wsOptions.origin = input.origin;
if (input.caFile) wsOptions.ca = readFileSync(input.caFile);

function createSocket(url) {
  const socket = new WebSocket(url, wsOptions);
  socket.on('close', (code, reason) => {
    socketState.closeCode = code;
    socketState.closeReason = reason.toString();
    markClosed();
  });
  socket.on('error', (err) => {
    socketState.socketError ??= describe(err);
  });
  // With a listener here ws leaves the rejected handshake to us: keep status, headers and body
  // (a login redirect or an error page says more than a bare status), then abort.
  socket.on('unexpected-response', (req, res) => {
    socketState.httpStatus = res.statusCode;
    socketState.httpHeaders = res.headers;
    const chunks = [];
    let size = 0;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      socketState.httpBody = Buffer.concat(chunks).toString('utf8').slice(0, MAX_HTTP_BODY);
      socket.terminate();
    };
    res.on('data', (chunk) => {
      if (size < MAX_HTTP_BODY) chunks.push(chunk);
      size += chunk.length;
    });
    res.once('end', finish);
    res.once('error', finish);
    setTimeout(finish, 2000).unref();
  });
  return socket;
}

const session = enigma.create({ schema, url: input.url, createSocket });
session.on('notification:*', (method, params) => output.notifications.push({ method, params }));

const describeApi = (api) => ({ id: api.id, handle: api.handle, type: api.type });

async function runSteps(global) {
  let doc;
  const openDoc = async () => {
    doc ??= await global.openDoc(appId);
    return doc;
  };
  const handlers = {
    EngineVersion: () => global.engineVersion(),
    GetDocList: () => global.getDocList(),
    GetAuthenticatedUser: () => global.getAuthenticatedUser(),
    OpenDoc: async () => describeApi(await openDoc()),
    GetActiveDoc: async () => {
      doc = await global.getActiveDoc();
      return describeApi(doc);
    },
    GetAppLayout: async () => (await openDoc()).getAppLayout(),
    HyperCube: async () => {
      const app = await openDoc();
      const dimensions = input.hyperCube?.dimensions ?? ['Region'];
      const measures = input.hyperCube?.measures ?? ['Sum(Sales)'];
      const page = { qTop: 0, qLeft: 0, qWidth: dimensions.length + measures.length, qHeight: input.hyperCube?.rows ?? 100 };
      const object = await app.createSessionObject({
        qInfo: { qType: 'portico-table' },
        qHyperCubeDef: {
          qDimensions: dimensions.map((field) => ({ qDef: { qFieldDefs: [field] } })),
          qMeasures: measures.map((expression) => ({ qDef: { qDef: expression } })),
          qInitialDataFetch: [page],
        },
      });
      const layout = await object.getLayout();
      const pages = await object.getHyperCubeData('/qHyperCubeDef', [page]);
      return {
        id: object.id,
        qSize: layout.qHyperCube.qSize,
        dimensions: layout.qHyperCube.qDimensionInfo.map((d) => d.qFallbackTitle),
        measures: layout.qHyperCube.qMeasureInfo.map((m) => m.qFallbackTitle),
        qMatrix: pages[0].qMatrix,
      };
    },
  };

  for (const step of steps) {
    currentStep = step;
    output.results[step] = await handlers[step]();
  }

  if (holdOpenMs > 0) {
    currentStep = 'hold';
    // A socket that dies during the hold ends it early; the call below then reports the failure.
    await Promise.race([delay(holdOpenMs), socketClosed]);
    currentStep = 'AfterHold';
    output.results.AfterHold = await global.getAuthenticatedUser();
  }
}

setTimeout(() => {
  output.ok = false;
  output.error = `Timed out after ${timeoutMs} ms`;
  output.failedStep = currentStep;
  print();
}, timeoutMs).unref();

try {
  const global = await session.open();
  await runSteps(global);
  output.ok = true;
  currentStep = 'close';
  await Promise.race([session.close(), delay(2000)]);
} catch (err) {
  output.ok = false;
  // A refused upgrade is best described by its status, not by the abort that followed it.
  output.error = socketState.httpStatus ? `Unexpected server response: ${socketState.httpStatus}` : describe(err);
  if (err && typeof err.code !== 'undefined') output.errorCode = err.code;
  output.failedStep = currentStep;
  if (session.rpc?.socket?.readyState === WebSocket.OPEN) {
    await Promise.race([session.close(), delay(2000)]);
  } else {
    // The engine or proxy may still be closing: wait briefly so the close code is reported.
    await Promise.race([socketClosed, delay(1500)]);
  }
}
print();
