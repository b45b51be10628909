// Preloaded with `node --require` to play a Node without node:sqlite (older than 22.13): loading
// the module fails the way such a Node fails it.
const Module = require('node:module');
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'node:sqlite') {
    const error = new Error(`No such built-in module: ${request}`);
    error.code = 'ERR_UNKNOWN_BUILTIN_MODULE';
    throw error;
  }
  return load.call(this, request, ...rest);
};
