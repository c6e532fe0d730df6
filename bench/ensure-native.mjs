// Installs native DuckDB for the benchmark's comparison figures when it is
// missing (see bench/native-duckdb.d.ts for why it is not a devDependency).
import { execSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
try {
  require.resolve('@duckdb/node-api');
} catch {
  console.log('bench: installing @duckdb/node-api (native DuckDB, for comparison figures)…');
  execSync('npm install --no-save --no-package-lock @duckdb/node-api@1.5.6-r.1', { stdio: 'inherit' });
}
