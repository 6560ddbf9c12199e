#!/usr/bin/env node
// The `aduan` command. TypeScript sources run through tsx's loader, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
