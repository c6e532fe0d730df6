/**
 * Scope analysis of one parsed cell: which identifiers are *free* (read from
 * outside the cell) and which free names the cell assigns to.
 *
 * Same approach as observablehq/framework's `src/javascript/references.ts`:
 * a first walk records, for every scope node, the names declared in it; a
 * second walk visits each identifier in expression or binding position and
 * looks it up through its ancestors. acorn-walk never visits property keys,
 * non-computed member properties or labels as identifiers, so those are
 * never mistaken for references.
 */
import type * as acorn from 'acorn';
import { ancestor } from 'acorn-walk';

/** One free identifier occurrence in the analyzed code. */
export interface Reference {
  name: string;
  start: number;
  end: number;
  /** The occurrence writes the name (`x = 1`, `x++`, `[x] = a`, `for (x of a)`). */
  assigned: boolean;
}

type AnyNode = acorn.AnyNode;

function isFunction(node: AnyNode): boolean {
  return (
    node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression'
  );
}

/** Nodes that open a lexical (`let`/`const`/`class`) scope. */
function isBlockScope(node: AnyNode): boolean {
  return (
    node.type === 'BlockStatement' ||
    node.type === 'SwitchStatement' ||
    node.type === 'ForStatement' ||
    node.type === 'ForInStatement' ||
    node.type === 'ForOfStatement' ||
    node.type === 'StaticBlock' ||
    node.type === 'Program' ||
    isFunction(node)
  );
}

/** Nodes that receive hoisted `var` declarations. */
function isVarScope(node: AnyNode): boolean {
  return node.type === 'Program' || node.type === 'StaticBlock' || isFunction(node);
}

/** The identifiers a binding pattern declares, in source order. */
export function patternNames(pattern: acorn.Pattern): acorn.Identifier[] {
  const out: acorn.Identifier[] = [];
  const visit = (node: acorn.Pattern | null): void => {
    if (!node) return;
    switch (node.type) {
      case 'Identifier':
        out.push(node);
        break;
      case 'ObjectPattern':
        for (const prop of node.properties) visit(prop.type === 'Property' ? prop.value : prop);
        break;
      case 'ArrayPattern':
        for (const element of node.elements) visit(element);
        break;
      case 'RestElement':
        visit(node.argument);
        break;
      case 'AssignmentPattern':
        visit(node.left);
        break;
      default:
        break; // MemberExpression targets declare nothing
    }
  };
  visit(pattern);
  return out;
}

/**
 * Whether the identifier at the end of `ancestors` is written to. Walks up
 * through destructuring patterns to the assignment, update or for-in/of
 * that owns them.
 */
function isWrite(ancestors: readonly AnyNode[]): boolean {
  let child = ancestors[ancestors.length - 1];
  for (let i = ancestors.length - 2; i >= 0; i--) {
    const parent = ancestors[i];
    switch (parent.type) {
      case 'AssignmentExpression':
        return parent.left === child;
      case 'UpdateExpression':
        return true;
      case 'ForInStatement':
      case 'ForOfStatement':
        return parent.left === child;
      case 'ObjectPattern':
      case 'ArrayPattern':
      case 'RestElement':
        break;
      case 'AssignmentPattern':
        if (parent.left !== child) return false;
        break;
      case 'Property':
        // Inside an ObjectPattern only the value is a target (`{a: b} = o` writes b).
        if (parent.value !== child) return false;
        break;
      default:
        return false;
    }
    child = parent;
  }
  return false;
}

/**
 * Every free identifier occurrence in `program`, in source order. "Free"
 * means not declared in any enclosing scope of the cell, including the
 * cell's own top level.
 */
export function findFreeReferences(program: acorn.Program): Reference[] {
  const locals = new Map<object, Set<string>>();
  const declare = (scope: object, name: string): void => {
    let names = locals.get(scope);
    if (!names) locals.set(scope, (names = new Set()));
    names.add(name);
  };
  const nearest = (ancestors: readonly AnyNode[], test: (n: AnyNode) => boolean): AnyNode => {
    // The node itself is last in `ancestors`; its scope is a strict ancestor.
    for (let i = ancestors.length - 2; i >= 0; i--) if (test(ancestors[i])) return ancestors[i];
    return program;
  };
  const declareFunction = (node: acorn.Function): void => {
    for (const param of node.params) for (const id of patternNames(param)) declare(node, id.name);
    // A named function expression sees its own name; declarations bind theirs outside too.
    if (node.id && node.type === 'FunctionExpression') declare(node, node.id.name);
    if (node.type !== 'ArrowFunctionExpression') declare(node, 'arguments');
  };

  const declarations: Record<string, (node: never, state: unknown, ancestors: AnyNode[]) => void> = {
    VariableDeclaration(node: acorn.VariableDeclaration, _s: unknown, ancestors: AnyNode[]) {
      const scope = nearest(ancestors, node.kind === 'var' ? isVarScope : isBlockScope);
      for (const declarator of node.declarations) for (const id of patternNames(declarator.id)) declare(scope, id.name);
    },
    FunctionDeclaration(node: acorn.FunctionDeclaration, _s: unknown, ancestors: AnyNode[]) {
      if (node.id) declare(nearest(ancestors, isBlockScope), node.id.name);
      declareFunction(node);
    },
    FunctionExpression: declareFunction,
    ArrowFunctionExpression: declareFunction,
    ClassDeclaration(node: acorn.ClassDeclaration, _s: unknown, ancestors: AnyNode[]) {
      if (node.id) {
        declare(nearest(ancestors, isBlockScope), node.id.name);
        declare(node, node.id.name);
      }
    },
    ClassExpression(node: acorn.ClassExpression) {
      if (node.id) declare(node, node.id.name);
    },
    CatchClause(node: acorn.CatchClause) {
      if (node.param) for (const id of patternNames(node.param)) declare(node, id.name);
    },
    ImportDeclaration(node: acorn.ImportDeclaration) {
      for (const specifier of node.specifiers) declare(program, specifier.local.name);
    },
  };
  ancestor(program, declarations as never);

  const references: Reference[] = [];
  const seen = new Set<AnyNode>();
  const identifier = (node: acorn.Identifier, _s: unknown, ancestors: AnyNode[]): void => {
    if (seen.has(node)) return; // a pattern identifier can be reached twice
    seen.add(node);
    for (let i = ancestors.length - 2; i >= 0; i--) if (locals.get(ancestors[i])?.has(node.name)) return;
    references.push({ name: node.name, start: node.start, end: node.end, assigned: isWrite(ancestors) });
  };
  ancestor(program, { VariablePattern: identifier, Identifier: identifier } as never);
  return references.sort((a, b) => a.start - b.start);
}
