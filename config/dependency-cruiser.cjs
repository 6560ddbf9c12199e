/** Import direction (CONVENTIONS §3): core imports neither connectors nor workers; no cycles. */
module.exports = {
  forbidden: [
    { name: 'core-is-independent', severity: 'error', comment: 'core/ must not import connectors/ or workers/',
      from: { path: '^core/' }, to: { path: '^(connectors|workers)/' } },
    { name: 'connectors-do-not-import-workers', severity: 'error', from: { path: '^connectors/' }, to: { path: '^workers/' } },
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
