// Computes the SQL between two Prisma datamodels with Prisma's schema engine compiled to
// WebAssembly (@prisma/schema-engine-wasm), since the native engine cannot be downloaded
// here. Only the datamodel-to-datamodel diff is used; the engine's database-backed commands
// are broken through adapter-pg upstream. It still insists on a connected adapter at start.
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import fs from 'node:fs';
import { createRequire } from 'node:module';

type Bindings = typeof import('@prisma/schema-engine-wasm');

let bindings: Promise<Bindings> | undefined;

// The package imports its .wasm file as an ES module, which Node cannot load yet; wire the
// generated JS glue to the compiled module by hand instead.
async function loadBindings(): Promise<Bindings> {
  const require = createRequire(import.meta.url);
  const glue = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as unknown as Bindings & {
    __wbg_set_wasm(exports: WebAssembly.Exports): void;
  };
  const wasmPath = require.resolve('@prisma/schema-engine-wasm').replace(/schema_engine\.js$/, 'schema_engine_bg.wasm');
  const compiled = await WebAssembly.compile(fs.readFileSync(wasmPath));
  const imports: WebAssembly.Imports = {};
  for (const entry of WebAssembly.Module.imports(compiled)) imports[entry.module] = glue as unknown as WebAssembly.ModuleImports;
  const instance = await WebAssembly.instantiate(compiled, imports);
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
  return glue;
}

/** SQL that turns a database shaped like `from` (null: empty) into one shaped like `to`. */
export async function diffDatamodels(from: string | null, to: string, databaseUrl: string): Promise<string> {
  bindings ??= loadBindings();
  const { SchemaEngine } = await bindings;
  const engine = await SchemaEngine.new({ datamodels: [['schema.prisma', to]] }, () => undefined, bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: databaseUrl })));
  try {
    const result = await engine.diff({
      from: from === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: from }] },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: to }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const sql = result.stdout ?? '';
    return sql.includes('This is an empty migration.') ? '' : sql;
  } finally {
    engine.free();
  }
}
