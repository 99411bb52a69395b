// A sample's whole local try in one command: starts what its authentication method needs (the
// test identity provider or OpenID provider, then Portico on samples/<method>/portico.json), waits
// until each is ready, runs the sample's Node.js script (its steps and data are printed), and stops
// everything it started, also on Ctrl-C or a failure. The exit code is the script's.
//   samples/run.sh <method> [--json]       (or node samples/run.mjs …; from any directory)
//   methods: anonymous, ticket, header, jwt, session-api, saml, oidc; "all" runs each in turn
//   samples/run.sh <method> --page         the page instead of the script: also starts the samples'
//                                          back end, prints the Chromium command and the page's
//                                          address, and runs until Ctrl-C
//
// Portico is built first (dotnet build src/Portico) and keeps its data (development CA, QPS client
// certificate, SAML SP key) in samples/data, as the sample's config says. The npm packages the
// scripts and the test providers need are installed when missing (npm ci, as ./test.sh does).
//
// Settings (environment), for a machine where a default port is taken or for several runs at once:
//   PORTICO_RUN_HTTPS_PORT     Portico's HTTPS listener (publicHost proxy.test:<port>)    8443
//   PORTICO_RUN_QPS_PORT       Portico's QPS API                                           4243
//   PORTICO_RUN_ENGINE_PORT    the demo engine Portico starts                              4747
//   PORTICO_RUN_IDP_PORT       the SAML identity provider (samples/saml)                   7080
//   PORTICO_RUN_PROVIDER_PORT  the OpenID provider (samples/oidc)                          9443
//   PORTICO_RUN_SITES_PORT     the samples' back end, the pages' sites (--page)            5443
//   PORTICO_RUN_DATA           Portico's data directory                                    samples/data
//   PORTICO_RUN_DLL            a Portico.dll already built: no build
//   PORTICO_RUN_SAMPLES_DLL    a Portico.Samples.dll (the back end) already built: no build
// When one of these differs from the config, Portico runs on a copy of the config beside it with
// only those values changed (.portico-run-<pid>.json, deleted at the end). PORTICO_USER (and the
// other PORTICO_* settings a script reads, see shared/node/flow.mjs) go on to the script.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const samples = path.dirname(fileURLToPath(import.meta.url));
const repository = path.dirname(samples);
const clients = path.join(repository, 'tests', 'clients');
const env = process.env;
const readyTimeoutMs = 90_000;
const stopTimeoutMs = 10_000;
const scriptTimeoutMs = 120_000;

// What each method needs besides Portico, and what its script is told beyond the common settings.
const methods = {
  anonymous: {},
  ticket: {},
  header: { scriptEnv: () => ({ PORTICO_LOCAL_ADDRESS: '127.0.0.2' }) }, // the one address samples/header/portico.json trusts
  jwt: {},
  'session-api': {},
  saml: { identityProvider: true },
  oidc: { openIdProvider: true, scriptEnv: () => ({ PORTICO_OIDC_CA: path.join(samples, 'oidc', 'demo-provider-ca.pem') }) },
};

const port = (name, fallback) => {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535) usage(`${name} must be a port number (1-65535), not '${value}'`);
  return Number(value);
};
const ports = {
  https: port('PORTICO_RUN_HTTPS_PORT', 8443),
  qps: port('PORTICO_RUN_QPS_PORT', 4243),
  engine: port('PORTICO_RUN_ENGINE_PORT', 4747),
  idp: port('PORTICO_RUN_IDP_PORT', 7080),
  provider: port('PORTICO_RUN_PROVIDER_PORT', 9443),
  sites: port('PORTICO_RUN_SITES_PORT', 5443),
};
// The values every samples/*/portico.json holds, which the settings above replace.
const configPorts = { https: 8443, qps: 4243, engine: 4747, idp: 7080, provider: 9443, sites: 5443 };
const dataDirectory = env.PORTICO_RUN_DATA ? path.resolve(env.PORTICO_RUN_DATA) : path.join(samples, 'data');

const args = process.argv.slice(2);
const json = args.includes('--json');
const page = args.includes('--page');
const [method, ...rest] = args.filter((a) => a !== '--json' && a !== '--page');
if (!method || rest.length > 0 || (method !== 'all' && !Object.hasOwn(methods, method)) || (page && (json || method === 'all'))) {
  usage(`usage: samples/run.sh <method> [--json | --page], method one of: ${Object.keys(methods).join(', ')}, all (not with --page)`);
}

function usage(message) {
  process.stderr.write(`samples/run.sh: ${message}\n`);
  process.exit(2);
}

let label = method;
const say = (text) => process.stderr.write(`[run ${label}] ${text}\n`);

// --- what this run started, stopped in reverse order (by PID, also on Ctrl-C) ---------------------

const started = [];
const temporaryFiles = [];
let stopping = null;
let interrupted = false;

function track(name, child) {
  // A Ctrl-C while this child was being started: it stops with the rest at once.
  if (interrupted) setImmediate(() => signal({ child }, 'SIGKILL'));
  const entry = { name, child, exited: new Promise((resolve) => child.once('exit', resolve).once('error', resolve)) };
  started.push(entry);
  return entry;
}

const running = ({ child }) => child.pid !== undefined && child.exitCode === null && child.signalCode === null;

// Each child leads a process group of its own (spawned detached), so that stopping it also stops
// what it started (a script starts itself again with the CA trusted), and a Ctrl-C reaches this
// runner, which stops everything in order. (Windows has no process groups: each child alone.)
const ownGroup = process.platform !== 'win32';

function signal({ child }, name) {
  try {
    if (!ownGroup) throw new Error('no process groups');
    process.kill(-child.pid, name);
  } catch {
    try {
      child.kill(name);
    } catch {
      // already gone
    }
  }
}

async function stopAll() {
  stopping ??= (async () => {
    const stopped = [];
    for (const entry of [...started].reverse()) {
      if (running(entry)) {
        signal(entry, 'SIGTERM');
        const ended = await Promise.race([entry.exited.then(() => true), delay(stopTimeoutMs).then(() => false)]);
        if (!ended) {
          signal(entry, 'SIGKILL');
          await Promise.race([entry.exited, delay(stopTimeoutMs)]);
        }
      }

      // The process group too: anything left in it is this run's.
      signal(entry, 'SIGKILL');
      stopped.push(`${entry.name} (pid ${entry.child.pid})`);
    }

    started.length = 0;
    for (const file of temporaryFiles.splice(0)) rmSync(file, { force: true });
    if (stopped.length > 0) say(`stopped ${stopped.join(', ')}`);
  })();
  return stopping;
}

// Bounded waits only; the timer never keeps the process alive.
function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

for (const [name, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(name, () => {
    interrupted = true;
    say(`${name}: stopping`);
    stopAll().finally(() => process.exit(code));
  });
}

// Should this runner end in any other way, nothing it started outlives it.
process.on('exit', () => {
  for (const entry of started) signal(entry, 'SIGKILL');
  for (const file of temporaryFiles) rmSync(file, { force: true });
});

// --- starting and waiting -----------------------------------------------------------------------

// Starts a long-running child whose output is kept (the last lines, shown if something fails) and
// resolves once one of its output lines passes `ready`, or rejects when it ends or after the bound.
function startServer(name, command, commandArgs, { cwd, ready, stdin = 'ignore', extraEnv = {}, portSettings }) {
  if (interrupted) return Promise.reject(new Error('interrupted'));
  const child = spawn(command, commandArgs, { cwd, detached: ownGroup, windowsHide: true, stdio: [stdin, 'pipe', 'pipe'], env: { ...env, DOTNET_NOLOGO: '1', ...extraEnv } });
  const entry = track(name, child);
  const lines = [];
  const output = () => lines.join('\n');
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const hint = portSettings ? `\n(a port in use? set ${portSettings} to free ones)` : '';
      if (error) reject(new Error(`${error}${lines.length > 0 ? `; its last output:\n${output()}` : ''}${hint}`));
      else resolve({ ...entry, value, output });
    };
    const timer = setTimeout(() => settle(`${name} was not ready within ${readyTimeoutMs / 1000} s`), readyTimeoutMs);
    child.once('error', (err) => settle(`${name} did not start: ${err.message}`));
    child.once('exit', (code, sig) => settle(`${name} ended (${sig ?? `exit code ${code}`}) before it was ready`));
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        const parts = (partial + chunk).split('\n');
        partial = parts.pop();
        for (const line of parts) {
          lines.push(line);
          if (lines.length > 60) lines.shift();
          if (!settled) {
            const value = ready(line);
            if (value) settle(null, value);
          }
        }
      });
    }
  });
}

function firstJsonLine(line) {
  if (!line.startsWith('{')) return null;
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}

// npm ci where the packages are missing or older than the lock file (./test.sh leaves the same mark).
function ensurePackages(directory) {
  const lock = path.join(directory, 'package-lock.json');
  const mark = path.join(directory, 'node_modules', '.portico-installed-lock');
  if (existsSync(mark) && readFileSync(mark).equals(readFileSync(lock))) return;
  say(`installing npm packages in ${path.relative(repository, directory)} (npm ci)`);
  // npm is a .cmd file on Windows, which Node.js starts only through the shell.
  const windows = process.platform === 'win32';
  const npm = spawnSync(windows ? 'npm.cmd' : 'npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: directory, shell: windows, stdio: ['ignore', 'inherit', 'inherit'] });
  if (npm.status !== 0) throw new Error(`npm ci failed in ${directory}`);
  copyFileSync(lock, mark);
}

// A program to run: the one the setting names, or its project built now (dotnet build).
function dotnetProgram(setting, project, assembly) {
  if (env[setting]) {
    if (!existsSync(env[setting])) throw new Error(`${setting} names no file: ${env[setting]}`);
    return path.resolve(env[setting]);
  }

  say(`building ${project} (dotnet build)`);
  const directory = path.join(repository, project);
  const build = spawnSync('dotnet', ['build', directory, '--nologo', '-v', 'q', '-clp:NoSummary'], { cwd: repository, encoding: 'utf8', env: { ...env, DOTNET_NOLOGO: '1' } });
  if (build.error) throw new Error(`dotnet did not start (${build.error.message}): install the .NET 10 SDK`);
  if (build.status !== 0) throw new Error(`dotnet build ${project} failed:\n${build.stdout}${build.stderr}`);
  const output = path.join(directory, 'bin', 'Debug');
  const framework = readdirSync(output).filter((d) => existsSync(path.join(output, d, assembly))).sort().pop();
  if (!framework) throw new Error(`dotnet build left no ${assembly} under ${output}`);
  return path.join(output, framework, assembly);
}

// The sample's config as it is, or a copy beside it (same relative paths) on this run's ports and data directory.
function porticoConfig(name) {
  const file = path.join(samples, name, 'portico.json');
  const original = readFileSync(file, 'utf8');
  let text = original;
  for (const [key, from] of Object.entries(configPorts)) {
    // "port": 8443 and host:8443 in URLs; a colon never occurs in the base64 of a certificate.
    if (ports[key] !== from) text = text.replace(new RegExp(`(:\\s*)${from}(?!\\d)`, 'g'), `$1${ports[key]}`);
  }
  if (env.PORTICO_RUN_DATA) text = text.replace(/("dataDirectory"\s*:\s*)"[^"]*"/, `$1${JSON.stringify(dataDirectory)}`);
  const setting = (field) => text.match(new RegExp(`"${field}"\\s*:\\s*"([^"]*)"`))?.[1];
  if (text === original) return { file, text, setting };
  const copy = path.join(samples, name, `.portico-run-${process.pid}.json`);
  temporaryFiles.push(copy);
  writeFileSync(copy, text);
  return { file: copy, text, setting };
}

// One HTTPS or HTTP request; `ca` is the only CA trusted for it.
function send(url, { method = 'GET', body, ca } = {}) {
  return new Promise((resolve, reject) => {
    const client = url.startsWith('https:') ? https : http;
    const req = client.request(url, { method, ca, timeout: 30_000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error(`${url} did not answer within 30 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

// --- one sample -----------------------------------------------------------------------------------

async function runSample(name, programs) {
  label = name;
  const needs = methods[name];
  const config = porticoConfig(name);
  const shown = path.relative(process.cwd(), path.join(samples, name, 'portico.json'));

  if (needs.identityProvider) {
    // samples/saml/portico.json holds this identity provider's metadata (its demo key, this port).
    const input = JSON.stringify({
      privateKeyPem: readFileSync(path.join(samples, 'saml', 'demo-idp-private-key.pem'), 'utf8'),
      certificatePem: readFileSync(path.join(samples, 'saml', 'demo-idp-certificate.pem'), 'utf8'),
      port: ports.idp,
    });
    // Its stdin stays open: it ends when this runner does, whatever way.
    const idp = await startServer('the SAML identity provider', process.execPath, ['saml/idp.mjs', input], { cwd: clients, ready: firstJsonLine, stdin: 'pipe', portSettings: 'PORTICO_RUN_IDP_PORT' });
    say(`started the SAML identity provider http://127.0.0.1:${idp.value.port} (pid ${idp.child.pid})`);
  }

  if (needs.openIdProvider) {
    // The client Portico's config names, with the redirect URI Portico sends (on its publicHost).
    const clientId = config.setting('oidcClientId');
    const clientSecret = config.setting('oidcClientSecret');
    const publicHost = config.setting('publicHost');
    if (!clientId || !clientSecret || !publicHost) throw new Error(`${shown} needs publicHost, oidcClientId and oidcClientSecret for the test provider`);
    const input = JSON.stringify({
      port: ports.provider,
      certPath: path.join(samples, 'oidc', 'demo-provider-certificate.pem'),
      keyPath: path.join(samples, 'oidc', 'demo-provider-private-key.pem'),
      clientId,
      clientSecret,
      redirectUris: [`https://${publicHost}/${name}/oidc/callback`],
      postLogoutRedirectUris: [`https://${publicHost}/${name}/`],
    });
    const provider = await startServer('the OpenID provider', process.execPath, ['oidc/provider.mjs', input], { cwd: clients, ready: firstJsonLine, stdin: 'pipe', portSettings: 'PORTICO_RUN_PROVIDER_PORT' });
    say(`started the OpenID provider ${provider.value.issuer} (pid ${provider.child.pid})`);
  }

  const dotnet = env.DOTNET_HOST_PATH && existsSync(env.DOTNET_HOST_PATH) ? env.DOTNET_HOST_PATH : 'dotnet';
  const portico = await startServer('Portico', dotnet, [programs.portico, '--config', config.file], {
    cwd: repository,
    ready: (line) => line.includes('Portico is running.'),
    portSettings: 'PORTICO_RUN_HTTPS_PORT, PORTICO_RUN_QPS_PORT and PORTICO_RUN_ENGINE_PORT',
  });
  say(`started Portico https://localhost:${ports.https} with ${shown}${config.file.endsWith('portico.json') ? '' : ` (on this run's ports and data directory)`} (pid ${portico.child.pid})`);

  const porticoCa = readFileSync(path.join(dataDirectory, 'portico-dev-ca.pem'));
  if (needs.identityProvider) {
    // As an admin uploads it: the SP metadata Portico serves for its SAML virtual proxy.
    const metadata = await send(`https://localhost:${ports.https}/${name}/saml/metadata`, { ca: porticoCa });
    if (metadata.status !== 200) throw new Error(`Portico's SP metadata: HTTP ${metadata.status}`);
    const registered = await send(`http://127.0.0.1:${ports.idp}/sp`, { method: 'POST', body: metadata.body });
    if (registered.status !== 204) throw new Error(`the identity provider refused Portico's SP metadata: HTTP ${registered.status} ${registered.body}`);
    say(`gave the identity provider Portico's SP metadata (/${name}/saml/metadata)`);
  }

  if (page) return showPage(name, config, programs.samples, dotnet);

  const scriptArgs = [path.join(samples, name, `${name}.mjs`), ...(json ? ['--json'] : [])];
  say(`node ${path.relative(process.cwd(), scriptArgs[0])}${json ? ' --json' : ''}`);
  const script = spawn(process.execPath, scriptArgs, {
    cwd: repository,
    detached: ownGroup,
    windowsHide: true,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...env,
      PORTICO_URL: `https://localhost:${ports.https}`,
      PORTICO_QPS_URL: `https://localhost:${ports.qps}`,
      PORTICO_DATA: dataDirectory,
      PORTICO_PREFIX: name,
      ...(needs.scriptEnv?.() ?? {}),
    },
  });
  const entry = track(`node ${name}.mjs`, script);
  const code = await Promise.race([
    entry.exited.then(() => script.exitCode ?? 1),
    delay(scriptTimeoutMs).then(() => {
      say(`${name}.mjs did not end within ${scriptTimeoutMs / 1000} s`);
      return 1;
    }),
  ]);
  if (code !== 0 && !interrupted) say(`${name}.mjs failed (exit code ${code}); Portico's last output:\n${portico.output()}`);
  return code;
}

// The samples' back end on this run's ports (it serves the page on the mashup sites); runs until
// Ctrl-C, or until something it started ends by itself.
async function showPage(name, config, samplesDll, dotnet) {
  const publicHost = config.setting('publicHost');
  const backEnd = await startServer("the samples' back end", dotnet, [samplesDll], {
    cwd: repository,
    portSettings: 'PORTICO_RUN_SITES_PORT',
    // The last line of the Chromium command it prints.
    ready: (line) => line.includes('--ignore-certificate-errors-spki-list'),
    extraEnv: {
      SAMPLES_Port: String(ports.sites),
      SAMPLES_PorticoUrl: `https://${publicHost}/`,
      SAMPLES_QpsApiUrl: `https://localhost:${ports.qps}/`,
      SAMPLES_PorticoDataDirectory: dataDirectory,
    },
  });
  say(`started the samples' back end https://127.0.0.1:${ports.sites} (pid ${backEnd.child.pid})`);
  const printed = backEnd.output().split('\n');
  console.log(printed.slice(printed.findLastIndex((l) => l.startsWith('Samples on '))).join('\n'));
  // The virtual proxy's first allowed origin is the page's site.
  const origin = /"websocketCrossOriginWhiteList"\s*:\s*\[\s*"([^"]+)"/.exec(config.text)?.[1];
  console.log(`The page: ${origin}/${name}/ (Ctrl-C stops everything)`);
  const ended = await Promise.race(started.map((entry) => entry.exited.then(() => entry.name)));
  if (!interrupted) say(`${ended} ended by itself`);
  return 1;
}

// --- main -----------------------------------------------------------------------------------------

let exitCode = 0;
try {
  const names = method === 'all' ? Object.keys(methods) : [method];
  ensurePackages(samples);
  if (names.some((n) => methods[n].identityProvider || methods[n].openIdProvider)) ensurePackages(clients);
  const programs = {
    portico: dotnetProgram('PORTICO_RUN_DLL', 'src/Portico', 'Portico.dll'),
    samples: page ? dotnetProgram('PORTICO_RUN_SAMPLES_DLL', 'samples/shared', 'Portico.Samples.dll') : null,
  };
  const failed = [];
  for (const name of names) {
    if (interrupted) break;
    try {
      if ((await runSample(name, programs)) !== 0) failed.push(name);
    } catch (err) {
      if (!interrupted) say(`failed: ${err.message}`);
      failed.push(name);
    } finally {
      await stopAll();
      stopping = null;
    }
  }

  label = method;
  if (names.length > 1) say(failed.length === 0 ? `all ${names.length} samples passed` : `failed: ${failed.join(', ')}`);
  exitCode = failed.length === 0 ? 0 : 1;
} catch (err) {
  say(`failed: ${err.message}`);
  exitCode = 1;
}

await stopAll();
process.exit(exitCode);
