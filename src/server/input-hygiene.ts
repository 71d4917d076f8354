import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, visit, type ArgumentNode, type DocumentNode, type ValueNode } from 'graphql';
import type { Context } from '../graphql/context.js';
import { badInput } from '../graphql/errors.js';

/** A NUL byte (Postgres text cannot hold it) or a UTF-16 surrogate without its pair (not Unicode text). */
// eslint-disable-next-line no-control-regex -- matching the NUL byte is the point
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Idempotency keys: 1–255 characters, none of them control or other unprintable characters, not blank. */
const IDEMPOTENCY_KEY = /^[^\p{C}]{1,255}$/u;

function checkString(field: string, value: string): void {
  if (UNSTORABLE.test(value)) throw badInput(field, 'contains a NUL character or a lone UTF-16 surrogate, which text cannot hold');
  if (/(^|\.)idempotencyKey$/.test(field) && (!IDEMPOTENCY_KEY.test(value) || value.trim() === '')) {
    throw badInput(
      field,
      `must be 1 to 255 printable characters, got ${value.length} character(s)${value.length && value.length <= 255 ? ' with unprintable ones or only blanks' : ''}`,
    );
  }
}

function checkValue(field: string, value: unknown): void {
  if (typeof value === 'string') checkString(field, value);
  else if (Array.isArray(value)) value.forEach((v, i) => checkValue(`${field}.${i}`, v));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) checkValue(`${field}.${k}`, v);
}

function checkAst(field: string, node: ValueNode, variables: Record<string, unknown>): void {
  switch (node.kind) {
    case Kind.STRING:
      return checkString(field, node.value);
    case Kind.LIST:
      return node.values.forEach((v, i) => checkAst(`${field}.${i}`, v, variables));
    case Kind.OBJECT:
      return node.fields.forEach((f) => checkAst(`${field}.${f.name.value}`, f.value, variables));
    case Kind.VARIABLE:
      return checkValue(field, variables[node.name.value]);
    default:
      return;
  }
}

/** A document's arguments, found once: Apollo keeps parsed documents, so a repeated operation is not walked again. */
const argumentsOf = new WeakMap<DocumentNode, ArgumentNode[]>();

/** Every string argument (literal or variable) before execution; the error names the argument's path. */
export function checkInputs(document: DocumentNode, variables: Record<string, unknown>): void {
  let args = argumentsOf.get(document);
  if (!args) {
    const found: ArgumentNode[] = [];
    visit(document, {
      Argument(node) {
        found.push(node);
      },
    });
    argumentsOf.set(document, (args = found));
  }
  for (const node of args) checkAst(node.name.value, node.value, variables);
}

/**
 * Input hygiene before anything reaches the database: strings with NUL or lone surrogates, and
 * idempotency keys outside 1–255 printable characters, are BAD_USER_INPUT naming the field.
 */
export function inputHygienePlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          checkInputs(document, request.variables ?? {});
        },
      };
    },
  };
}
