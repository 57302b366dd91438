#!/usr/bin/env node
// The `brickguard` command: the bundled CLI (`brickguard scan …`, `brickguard lsp --stdio`).
require('../dist/cli.js');
