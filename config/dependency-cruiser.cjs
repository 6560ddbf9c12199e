/** Import direction (CONVENTIONS §3): core imports neither connectors nor workers; none of them imports scripts/; no cycles. */
module.exports = {
  forbidden: [
    { name: 'core-is-independent', severity: 'error', comment: 'core/ must not import connectors/ or workers/',
      from: { path: '^core/' }, to: { path: '^(connectors|workers)/' } },
    { name: 'connectors-do-not-import-workers', severity: 'error', from: { path: '^connectors/' }, to: { path: '^workers/' } },
    { name: 'runtime-does-not-import-scripts', severity: 'error', comment: 'the CLI and tools in scripts/ use core; the running gateway never needs them (move shared code into core/)',
      from: { path: '^(core|connectors|workers)/' }, to: { path: '^scripts/' } },
    { name: 'workers-do-not-import-connectors', severity: 'error', from: { path: '^workers/' }, to: { path: '^connectors/' } },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.cjs'] },
  },
};
