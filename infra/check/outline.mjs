// Reads Bicep files with the tree-sitter grammar for Bicep (no Bicep compiler runs on the build machines) and
// prints, as JSON, what the build checks: each file's syntax errors (line and column) and each resource
// declaration's type, api-version and body, literal property names kept and expressions reduced to null.
// Usage: node outline.mjs FILE.bicep...
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Language, Parser } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
await Parser.init();
const bicep = await Language.load(require.resolve('tree-sitter-bicep/tree-sitter-bicep.wasm'));
const parser = new Parser();
parser.setLanguage(bicep);

/** The literal text of a string without interpolation, else null. */
function literal(node) {
  if (node.type === 'identifier') {
    return node.text;
  }
  if (node.type !== 'string' || node.namedChildren.some(child => child.type !== 'string_content'
      && child.type !== 'escape_sequence')) {
    return null;
  }
  return node.namedChildren.map(child => child.text).join('');
}

/** A value as JSON: objects and arrays kept, literals kept, every expression null. */
function skeleton(node) {
  switch (node.type) {
    case 'object': {
      const object = {};
      for (const property of node.namedChildren.filter(child => child.type === 'object_property')) {
        const [key, value] = property.namedChildren.filter(child => child.type !== 'decorators');
        const name = key ? literal(key) : null;
        if (name !== null && value) {
          object[name] = skeleton(value);
        }
      }
      return object;
    }
    case 'array':
      return node.namedChildren.map(skeleton);
    case 'string':
      return literal(node) ?? null;
    case 'number':
      return Number(node.text);
    case 'boolean':
      return node.text === 'true';
    case 'parenthesized_expression':
      return node.namedChildren.length === 1 ? skeleton(node.namedChildren[0]) : null;
    default:
      return null;
  }
}

/** The object a resource declares, through `if (...)` and `[for ...]`. */
function bodyOf(node) {
  if (!node) {
    return null;
  }
  if (node.type === 'object') {
    return node;
  }
  if (node.type === 'if_statement' || node.type === 'for_statement') {
    return bodyOf(node.namedChildren.find(child => child.type === 'object' || child.type === 'if_statement'));
  }
  return null;
}

function errors(node, found) {
  if (node.isError || node.isMissing) {
    found.push({ line: node.startPosition.row + 1, column: node.startPosition.column + 1,
      text: node.isMissing ? `missing ${node.type}` : node.text.split('\n')[0].slice(0, 80) });
    return found;
  }
  for (const child of node.children) {
    errors(child, found);
  }
  return found;
}

/** The keys of the object a variable holds, or of each object its `cond ? {...} : {...}` may hold. */
function objectKeys(node) {
  if (!node) {
    return [];
  }
  if (node.type === 'object') {
    return Object.keys(skeleton(node));
  }
  if (node.type === 'ternary_expression' || node.type === 'parenthesized_expression') {
    return node.namedChildren.flatMap(objectKeys);
  }
  return [];
}

const files = [];
for (const file of process.argv.slice(2)) {
  const tree = parser.parse(fs.readFileSync(file, 'utf8'));
  const resources = [];
  for (const declaration of tree.rootNode.namedChildren.filter(child => child.type === 'resource_declaration')) {
    const [symbol, typeNode] = declaration.namedChildren;
    const typeText = typeNode ? literal(typeNode) : null;
    const at = typeText ? typeText.lastIndexOf('@') : -1;
    const body = bodyOf(declaration.namedChildren.slice(2).find(child => child.type === 'object'
        || child.type === 'if_statement' || child.type === 'for_statement'));
    resources.push({
      symbol: symbol ? symbol.text : null,
      type: at > 0 ? typeText.slice(0, at) : typeText,
      apiVersion: at > 0 ? typeText.slice(at + 1) : null,
      existing: declaration.children.some(child => child.type === 'existing'),
      line: declaration.startPosition.row + 1,
      body: body ? skeleton(body) : null,
      // The text of each top-level property's value: what an expression refers to (app settings' variables).
      text: body ? Object.fromEntries(body.namedChildren.filter(child => child.type === 'object_property')
          .map(property => property.namedChildren).filter(([key, value]) => key && value && literal(key) !== null)
          .map(([key, value]) => [literal(key), value.text])) : {},
    });
  }
  const variables = {};
  for (const declaration of tree.rootNode.namedChildren.filter(child => child.type === 'variable_declaration')) {
    const [name, value] = declaration.namedChildren;
    variables[name.text] = { keys: objectKeys(value), text: value ? value.text : '' };
  }
  files.push({ file, errors: errors(tree.rootNode, []), resources, variables });
}
process.stdout.write(JSON.stringify(files));
