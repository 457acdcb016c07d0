#!/usr/bin/env node
// The `orch` command: runs bin/orch.ts through tsx (no build step).
require('tsx/cjs');
require('./orch.ts');
