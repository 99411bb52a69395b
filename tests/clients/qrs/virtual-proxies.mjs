// Lists, creates and updates a virtual proxy through Portico's admin API with the unmodified
// qlik-repo-api client, the way an admin's QRS script does, and prints one JSON object.
//
//   node qrs/virtual-proxies.mjs '{"host":"localhost","port":4242,"caFile":"...","certFile":"...","keyFile":"...", ...}'
//
// Input (argv[2], JSON):
//   host, port            the admin (QRS) listener                                  required
//   caFile                PEM file the server certificate must chain to             required
//   certFile, keyFile     the client certificate and key (mutual TLS)               required
//   prefix                prefix of the virtual proxy to create                     required
//   engineUrl             an engine URL Portico already balances over (its server node hostName)
//   description           description to set with update                          default "updated by qlik-repo-api"
//
// Output (stdout, one line): {"ok":true,"listed":[prefixes],"created":{...},"updated":{...},"filtered":[prefixes]}
// or {"ok":false,"error":"...","step":"..."}. Exit code 0 whenever that object was printed; 2 for unusable input.

import { readFileSync } from 'node:fs';
import https from 'node:https';
import { QlikRepoApi } from 'qlik-repo-api';
import { readInput, usage } from '../script-input.mjs';

const input = readInput('qrs/virtual-proxies', 'prefix');
for (const name of ['host', 'caFile', 'certFile', 'keyFile', 'engineUrl']) {
  if (typeof input[name] !== 'string') usage('qrs/virtual-proxies', `"${name}" is required`);
}

let step = 'connect';
const output = { ok: false };
try {
  const api = new QlikRepoApi.client({
    host: input.host,
    port: input.port,
    httpsAgent: new https.Agent({
      ca: readFileSync(input.caFile),
      cert: readFileSync(input.certFile),
      key: readFileSync(input.keyFile),
    }),
    authentication: { user_dir: 'INTERNAL', user_name: 'sa_repository' },
  });

  step = 'list';
  const all = await api.virtualProxies.getAll();
  output.listed = all.map((vp) => vp.details.prefix);

  step = 'create';
  const created = await api.virtualProxies.create({
    prefix: input.prefix,
    description: 'created by qlik-repo-api',
    sessionCookieHeaderName: `X-Qlik-Session-${input.prefix}`,
    anonymousAccessMode: 'always anonymous',
    authenticationMethod: 'ticket',
    loadBalancingServerNodes: [input.engineUrl],
    websocketCrossOriginWhiteList: ['https://mashup.example.com'],
  });
  output.created = created.details;

  step = 'update';
  const vp = await api.virtualProxies.get({ id: created.details.id });
  output.updated = await vp.update({ description: input.description ?? 'updated by qlik-repo-api' });

  step = 'filter';
  const filtered = await api.virtualProxies.getFilter({ filter: `prefix eq '${input.prefix}'` });
  output.filtered = filtered.map((v) => v.details.prefix);
  output.ok = true;
} catch (err) {
  output.error = err?.message ?? String(err);
  output.step = step;
}

process.stdout.write(`${JSON.stringify(output)}\n`, () => process.exit(0));
