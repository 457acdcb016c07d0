// Jest transform: TypeScript to CommonJS with esbuild (transpile only; `npm run typecheck` checks types).
// esbuild is already here for NodejsFunction bundling, so this needs no extra dependency.
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const { code } = transformSync(source, {
      loader: 'ts', format: 'cjs', target: 'node20', sourcemap: 'inline', sourcefile: filename,
      // jest runs CommonJS: turn import() into require() as well.
      supported: { 'dynamic-import': false },
    });
    return { code };
  },
};
