#!/usr/bin/env node
// `npm create twelve-django@latest my-site -- --database mysql` runs this bin with `my-site --database mysql`:
// it is generator-twelve-django's own bin, run in this process with the same arguments (no second implementation).
await import('generator-twelve-django/lib/shell/cli.js');
