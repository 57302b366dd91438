#!/usr/bin/env node
// The `brickguard` command: the bundled CLI (`brickguard scan …`, `brickguard lsp --stdio`).
const { main } = require('../dist/cli.js');
main(process.argv.slice(2)).then((code) => {
  if (code !== undefined) process.exitCode = code;
});
