// The Portico demo engine's QlikMain: the runtime @qlik/api looks for at {host}/qlik-embed/main.js
// when it runs in a browser. Written for the demo; it hands out @qlik/api's own modules, served by
// the engine from the installed package it was started with.
(() => {
  if (window.QlikMain) return;
  const config = /*CONFIG*/;
  // Everything is found relative to this script's own URL, which carries the virtual proxy's prefix.
  const here = new URL(document.currentScript.src);
  const moduleRoot = new URL('modules/', here);
  const root = new URL('../', here);

  // The package's modules import lodash-es, extend and enigma.js by bare name. The map is scoped to
  // this runtime's modules, so the page's own bare names are untouched.
  const imports = {};
  for (const [name, target] of Object.entries(config.imports)) imports[name] = new URL(target, moduleRoot).href;
  const importMap = document.createElement('script');
  importMap.type = 'importmap';
  importMap.textContent = JSON.stringify({ scopes: { [moduleRoot.href]: imports } });
  document.head.append(importMap);

  // @qlik/api's qix chunk reads process.env.NODE_ENV at the top level, a name bundlers replace
  // when they build an app; loaded unbundled, it needs the name to exist. Never replaces a page's own.
  if (typeof globalThis.process === 'undefined') globalThis.process = { env: { NODE_ENV: 'production' } };

  const loaded = new Map();
  window.QlikMain = {
    PRODUCT_INFO: config.productInfo,
    getRootUrl: () => root.href,
    // Requests to this server need its session cookie: it is behind the proxy's virtual proxy.
    resourceNeedsCredentials: (url) => {
      try {
        return new URL(url, window.location.href).href.startsWith(root.href);
      } catch {
        return false;
      }
    },
    // Module fetches inherit this script's credentials mode (crossorigin="use-credentials"), so
    // they carry the session cookie the same way main.js did.
    import(name) {
      const module = config.modules[name];
      if (!module) return Promise.reject(new Error(`The Portico demo engine has no runtime module "${name}"`));
      if (!loaded.has(name)) {
        loaded.set(name, import(new URL(module.path, moduleRoot).href).then((ns) => (module.export ? ns[module.export] : ns)));
      }
      return loaded.get(name);
    },
  };
})();
