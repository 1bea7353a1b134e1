// The part of CEL (Common Expression Language) that Inngest expressions use: trigger `if`
// filters, `idempotency` and concurrency `key` expressions, and the `if` of cancelOn and
// waitForEvent (`event` is the run's triggering event, `async` the incoming one).
//
// Supported: null/bool/number/string literals, lists, member and index access, `! - * / %
// + - < <= > >= == != in && || ?:`, `size(x)`, `has(a.b)`, and the string methods
// `startsWith`, `endsWith`, `contains`. Anything else fails to parse, so a function using
// it is refused at sync instead of silently never matching.
//
// As in CEL, reading a missing field is an error, not null; `&&`/`||` absorb an error when
// the other side decides the result, and a condition that still errors does not match.

type Node =
  | { kind: 'literal'; value: unknown }
  | { kind: 'ident'; name: string }
  | { kind: 'list'; items: Node[] }
  | { kind: 'member'; target: Node; name: string }
  | { kind: 'index'; target: Node; index: Node }
  | { kind: 'unary'; op: '!' | '-'; operand: Node }
  | { kind: 'binary'; op: string; left: Node; right: Node }
  | { kind: 'ternary'; test: Node; then: Node; otherwise: Node }
  | { kind: 'call'; name: string; target: Node | null; args: Node[] };

export class ExpressionError extends Error {}

class EvaluationError extends Error {}

interface Token {
  type: 'number' | 'string' | 'ident' | 'op' | 'end';
  value: string;
  at: number;
}

const OPERATORS = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '+', '-', '*', '/', '%', '!', '?', ':', '.', ',', '(', ')', '[', ']'];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(char)) {
      const match = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(source.slice(i))!;
      tokens.push({ type: 'number', value: match[0], at: i });
      i += match[0].length;
      continue;
    }
    if (char === '"' || char === "'") {
      let value = '';
      let j = i + 1;
      while (j < source.length && source[j] !== char) {
        if (source[j] === '\\' && j + 1 < source.length) {
          const escaped = source[j + 1]!;
          value += ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[escaped] ?? escaped;
          j += 2;
        } else {
          value += source[j];
          j++;
        }
      }
      if (j >= source.length) throw new ExpressionError(`unterminated string at ${i} in \`${source}\``);
      tokens.push({ type: 'string', value, at: i });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))!;
      tokens.push({ type: 'ident', value: match[0], at: i });
      i += match[0].length;
      continue;
    }
    const op = OPERATORS.find((candidate) => source.startsWith(candidate, i));
    if (!op) throw new ExpressionError(`unexpected \`${char}\` at ${i} in \`${source}\``);
    tokens.push({ type: 'op', value: op, at: i });
    i += op.length;
  }
  tokens.push({ type: 'end', value: '', at: source.length });
  return tokens;
}

const BINARY_PRECEDENCE: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '<': 3,
  '<=': 3,
  '>': 3,
  '>=': 3,
  in: 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
};

const FUNCTIONS = new Set(['size', 'has']);
const METHODS = new Set(['startsWith', 'endsWith', 'contains', 'size']);

class Parser {
  private position = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  parse(): Node {
    const node = this.expression();
    if (this.peek().type !== 'end') this.fail(`unexpected \`${this.peek().value}\``);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.position]!;
  }

  private next(): Token {
    return this.tokens[this.position++]!;
  }

  private isOp(value: string): boolean {
    const token = this.peek();
    return token.type === 'op' && token.value === value;
  }

  private expect(value: string): void {
    if (!this.isOp(value)) this.fail(`expected \`${value}\``);
    this.position++;
  }

  private fail(message: string): never {
    throw new ExpressionError(`${message} at ${this.peek().at} in \`${this.source}\``);
  }

  private expression(): Node {
    const test = this.binary(1);
    if (!this.isOp('?')) return test;
    this.position++;
    const then = this.expression();
    this.expect(':');
    const otherwise = this.expression();
    return { kind: 'ternary', test, then, otherwise };
  }

  private binary(minPrecedence: number): Node {
    let left = this.unary();
    for (;;) {
      const token = this.peek();
      const op = token.type === 'op' || (token.type === 'ident' && token.value === 'in') ? token.value : '';
      const precedence = BINARY_PRECEDENCE[op];
      if (!precedence || precedence < minPrecedence) return left;
      this.position++;
      const right = this.binary(precedence + 1);
      left = { kind: 'binary', op, left, right };
    }
  }

  private unary(): Node {
    if (this.isOp('!') || this.isOp('-')) {
      const op = this.next().value as '!' | '-';
      return { kind: 'unary', op, operand: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private postfix(node: Node): Node {
    for (;;) {
      if (this.isOp('.')) {
        this.position++;
        if (this.peek().type !== 'ident') this.fail('expected a field name');
        const name = this.next();
        if (this.isOp('(')) {
          if (!METHODS.has(name.value)) this.fail(`unsupported method \`${name.value}\``);
          node = { kind: 'call', name: name.value, target: node, args: this.arguments() };
        } else {
          node = { kind: 'member', target: node, name: name.value };
        }
      } else if (this.isOp('[')) {
        this.position++;
        const index = this.expression();
        this.expect(']');
        node = { kind: 'index', target: node, index };
      } else {
        return node;
      }
    }
  }

  private arguments(): Node[] {
    this.expect('(');
    const args: Node[] = [];
    if (!this.isOp(')')) {
      args.push(this.expression());
      while (this.isOp(',')) {
        this.position++;
        args.push(this.expression());
      }
    }
    this.expect(')');
    return args;
  }

  private primary(): Node {
    const token = this.next();
    if (token.type === 'number') return { kind: 'literal', value: Number(token.value) };
    if (token.type === 'string') return { kind: 'literal', value: token.value };
    if (token.type === 'ident') {
      if (token.value === 'true' || token.value === 'false') return { kind: 'literal', value: token.value === 'true' };
      if (token.value === 'null') return { kind: 'literal', value: null };
      if (this.isOp('(')) {
        if (!FUNCTIONS.has(token.value)) this.fail(`unsupported function \`${token.value}\``);
        return { kind: 'call', name: token.value, target: null, args: this.arguments() };
      }
      return { kind: 'ident', name: token.value };
    }
    if (token.type === 'op' && token.value === '(') {
      const inner = this.expression();
      this.expect(')');
      return inner;
    }
    if (token.type === 'op' && token.value === '[') {
      const items: Node[] = [];
      if (!this.isOp(']')) {
        items.push(this.expression());
        while (this.isOp(',')) {
          this.position++;
          items.push(this.expression());
        }
      }
      this.expect(']');
      return { kind: 'list', items };
    }
    this.position--;
    this.fail(token.type === 'end' ? 'unexpected end' : `unexpected \`${token.value}\``);
  }
}

export interface Expression {
  source: string;
  /** Whether the expression holds for these variables; an evaluation error is `false`. */
  matches(variables: Record<string, unknown>): boolean;
  /** The expression's value; throws ExpressionError when it cannot be computed. */
  value(variables: Record<string, unknown>): unknown;
}

const cache = new Map<string, Expression>();

/** Parses (and caches) an expression; throws ExpressionError for anything unsupported. */
export function compileExpression(source: string): Expression {
  const cached = cache.get(source);
  if (cached) return cached;
  const ast = new Parser(tokenize(source), source).parse();
  const compiled: Expression = {
    source,
    matches: (variables) => {
      try {
        return evaluate(ast, variables) === true;
      } catch (error) {
        if (error instanceof EvaluationError) return false;
        throw error;
      }
    },
    value: (variables) => {
      try {
        return evaluate(ast, variables);
      } catch (error) {
        if (error instanceof EvaluationError) throw new ExpressionError(`\`${source}\`: ${error.message}`);
        throw error;
      }
    },
  };
  if (cache.size > 1000) cache.clear();
  cache.set(source, compiled);
  return compiled;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(target: unknown, name: string): unknown {
  if (isRecord(target) && Object.hasOwn(target, name)) return target[name];
  throw new EvaluationError(`no such key \`${name}\``);
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => equal(item, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && equal(a[key], b[key]));
  }
  return false;
}

function compare(op: string, a: unknown, b: unknown): boolean {
  const comparable = (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
  if (!comparable) throw new EvaluationError(`cannot compare ${typeof a} with ${typeof b}`);
  const left = a as number | string;
  const right = b as number | string;
  if (op === '<') return left < right;
  if (op === '<=') return left <= right;
  if (op === '>') return left > right;
  return left >= right;
}

function arithmetic(op: string, a: unknown, b: unknown): unknown {
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  if (op === '+' && Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (typeof a !== 'number' || typeof b !== 'number') throw new EvaluationError(`cannot apply \`${op}\` to ${typeof a} and ${typeof b}`);
  if (op === '+') return a + b;
  if (op === '-') return a - b;
  if (op === '*') return a * b;
  if (b === 0) throw new EvaluationError('division by zero');
  return op === '/' ? a / b : a % b;
}

function truth(value: unknown): boolean {
  if (typeof value !== 'boolean') throw new EvaluationError(`expected a boolean, got ${typeof value}`);
  return value;
}

function evaluate(node: Node, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'ident':
      if (!Object.hasOwn(variables, node.name)) throw new EvaluationError(`undeclared reference \`${node.name}\``);
      return variables[node.name];
    case 'list':
      return node.items.map((item) => evaluate(item, variables));
    case 'member':
      return field(evaluate(node.target, variables), node.name);
    case 'index': {
      const target = evaluate(node.target, variables);
      const index = evaluate(node.index, variables);
      if (Array.isArray(target) && typeof index === 'number') {
        if (index < 0 || index >= target.length) throw new EvaluationError(`index ${index} out of range`);
        return target[index];
      }
      if (typeof index === 'string') return field(target, index);
      throw new EvaluationError('invalid index');
    }
    case 'unary': {
      const operand = evaluate(node.operand, variables);
      if (node.op === '!') return !truth(operand);
      if (typeof operand !== 'number') throw new EvaluationError('cannot negate a non-number');
      return -operand;
    }
    case 'ternary':
      return truth(evaluate(node.test, variables)) ? evaluate(node.then, variables) : evaluate(node.otherwise, variables);
    case 'call':
      return call(node, variables);
    case 'binary':
      return binary(node.op, node.left, node.right, variables);
  }
}

function binary(op: string, leftNode: Node, rightNode: Node, variables: Record<string, unknown>): unknown {
  if (op === '&&' || op === '||') {
    // CEL's commutative logic: a side that decides the result wins over an error on the other.
    const decisive = op === '||';
    let failure: unknown = null;
    for (const side of [leftNode, rightNode]) {
      try {
        if (truth(evaluate(side, variables)) === decisive) return decisive;
      } catch (error) {
        if (!(error instanceof EvaluationError)) throw error;
        failure = error;
      }
    }
    if (failure) throw failure;
    return !decisive;
  }
  const left = evaluate(leftNode, variables);
  const right = evaluate(rightNode, variables);
  switch (op) {
    case '==':
      return equal(left, right);
    case '!=':
      return !equal(left, right);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(op, left, right);
    case 'in':
      if (Array.isArray(right)) return right.some((item) => equal(item, left));
      if (isRecord(right) && typeof left === 'string') return Object.hasOwn(right, left);
      throw new EvaluationError('`in` needs a list or a map');
    default:
      return arithmetic(op, left, right);
  }
}

function call(node: Extract<Node, { kind: 'call' }>, variables: Record<string, unknown>): unknown {
  if (node.name === 'has' && !node.target) {
    const [arg] = node.args;
    if (node.args.length !== 1 || arg?.kind !== 'member') throw new EvaluationError('has() takes one field selection');
    const target = evaluate(arg.target, variables);
    return isRecord(target) && Object.hasOwn(target, arg.name);
  }
  const subject = node.target ? evaluate(node.target, variables) : evaluate(node.args[0] ?? { kind: 'literal', value: undefined }, variables);
  const args = (node.target ? node.args : node.args.slice(1)).map((arg) => evaluate(arg, variables));
  if (node.name === 'size') {
    if (typeof subject === 'string' || Array.isArray(subject)) return subject.length;
    if (isRecord(subject)) return Object.keys(subject).length;
    throw new EvaluationError('size() needs a string, list or map');
  }
  const [argument] = args;
  if (typeof subject !== 'string' || typeof argument !== 'string' || args.length !== 1) throw new EvaluationError(`${node.name}() needs a string and one string argument`);
  if (node.name === 'startsWith') return subject.startsWith(argument);
  if (node.name === 'endsWith') return subject.endsWith(argument);
  return subject.includes(argument);
}
