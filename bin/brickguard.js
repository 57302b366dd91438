#!/usr/bin/env node
// The `brickguard` command: the bundled CLI (`brickguard scan …`, `brickguard lsp --stdio`).
const { main } = require('../dist/cli.js');
const code = main(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
