// Checks that every public export (of the tessera, tessera/node and tessera/nn entries) has TSDoc
// with an @example. Run: node scripts/check-docs.mjs
import ts from 'typescript';

const entries = ['src/index.ts', 'src/node.ts', 'src/nn/index.ts'];
const program = ts.createProgram(entries, {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  target: ts.ScriptTarget.ES2022,
  strict: true,
  skipLibCheck: true,
  types: ['node'],
});
const checker = program.getTypeChecker();
const missing = [];
let count = 0;
for (const entry of entries) {
  const sf = program.getSourceFile(entry);
  const mod = sf && checker.getSymbolAtLocation(sf);
  if (!mod) continue;
  for (const sym of checker.getExportsOfModule(mod)) {
    const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
    const decls = target.declarations ?? [];
    if (decls.length === 0) continue;
    count++;
    const hasExample = decls.some(
      (d) =>
        ts.getJSDocTags(d).some((t) => t.tagName.text === 'example') ||
        /@example/.test(
          ts
            .getJSDocCommentsAndTags(d)
            .map((n) => n.getText())
            .join('\n'),
        ),
    );
    if (!hasExample)
      missing.push(
        `${entry}: ${sym.name} (${decls[0].getSourceFile().fileName}:${decls[0].getSourceFile().getLineAndCharacterOfPosition(decls[0].getStart()).line + 1})`,
      );
  }
}
console.log(`${count} public exports, ${missing.length} without an @example`);
for (const m of missing) console.log(`  ${m}`);
process.exit(missing.length ? 1 : 0);
