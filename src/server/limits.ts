import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  Kind,
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  valueFromASTUntyped,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import type { Context } from '../graphql/context.js';
import { CallerRateLimits, headersFor, type RateState } from './rate-limit.js';

/**
 * Operation limits, checked before anything executes. Calibrated so every operation in the README
 * passes with room to spare, while the abusive shapes (a contacts → record → company path nested 16
 * deep, 1,000 aliases of the company view, 100 × 100 nested pages) are refused.
 */
export const LIMITS = {
  /** Field nesting (graphql-armor max-depth). */
  maxDepth: 12,
  /** Aliased fields per operation (graphql-armor max-aliases). */
  maxAliases: 30,
  /** Lexical tokens per document (graphql-js parser's maxTokens). */
  maxTokens: 3000,
  /** Directives per operation (graphql-armor max-directives). */
  maxDirectives: 30,
  /** Cost points per operation (see operationCost). */
  maxCost: 50_000,
} as const;

export type OperationLimits = typeof LIMITS;

/** graphql-armor's depth, alias, token and directive checks; cost is computed here with variables known. */
export function armor(limits: OperationLimits = LIMITS): { plugins: ApolloServerPlugin<Context>[]; validationRules: ValidationRule[] } {
  const p = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, exposeLimits: true },
    maxAliases: { n: limits.maxAliases, exposeLimits: true },
    // Tokens are counted by graphql-js's own parser (parseOptions.maxTokens): armor's token plugin throws outside Apollo's error handling.
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives, exposeLimits: true },
    costLimit: { enabled: false },
    // Suggestions are stripped per caller (admins keep them) in limitsPlugin.
    blockFieldSuggestion: { enabled: false },
  }).protect();
  return { plugins: p.plugins as ApolloServerPlugin<Context>[], validationRules: p.validationRules };
}

const ARMOR_MESSAGES: { re: RegExp; code: string }[] = [
  { re: /Query depth limit of (\d+) exceeded, found (\d+)/, code: 'QUERY_TOO_DEEP' },
  { re: /Aliases limit of (\d+) exceeded, found (\d+)/, code: 'TOO_MANY_ALIASES' },
  { re: /Directives limit of (\d+) exceeded, found (\d+)/, code: 'TOO_MANY_DIRECTIVES' },
  { re: /Document contains more th\w+ (\d+) tokens/, code: 'TOO_MANY_TOKENS' },
];

/** graphql-armor's refusals as clear codes, with the limit and (where armor counts it) the value found. */
export function limitError(formatted: GraphQLFormattedError): GraphQLFormattedError | undefined {
  for (const { re, code } of ARMOR_MESSAGES) {
    const m = re.exec(formatted.message);
    if (!m) continue;
    const limit = Number(m[1]);
    const value = m[2] === undefined ? undefined : Number(m[2]);
    return {
      message: formatted.message.replace(/^Syntax Error: /, ''),
      locations: formatted.locations,
      extensions: { code, limit, ...(value === undefined ? {} : { value }) },
    };
  }
  return undefined;
}

/** Connections without `first` fetch their default page; a plain list counts as this many items. */
const LIST_FACTOR = 5;

function unwrapList(type: GraphQLType): boolean {
  let t = type;
  if (isNonNullType(t)) t = t.ofType;
  return isListType(t);
}

/**
 * What an operation costs before it runs: every field 1 point, every object field 1 plus its
 * selection, multiplied by the page it asks for — `first`/`last` (literal or variable, else the
 * argument's default) on Relay connections, LIST_FACTOR for plain lists. Fragments count where they
 * are spread; introspection is free (it is refused in production to non-admins anyway).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> = {},
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    else if (d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName)) operation ??= d;
  }
  if (!operation) return 0;
  const root =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  if (!root) return 0;

  const selectionCost = (set: SelectionSetNode, parent: GraphQLNamedType, spreads: number): number => {
    let total = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (s.name.value.startsWith('__')) continue;
        const def = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[s.name.value] : undefined;
        if (!s.selectionSet || !def) {
          total += 1;
          continue;
        }
        let multiplier = 1;
        const pageArg = def.args.find((a) => a.name === 'first' || a.name === 'last');
        if (pageArg) {
          const given = s.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last');
          const v = given ? valueFromASTUntyped(given.value, variables) : pageArg.defaultValue;
          multiplier = typeof v === 'number' && v > 0 ? v : 1;
        } else if (unwrapList(def.type) && s.name.value !== 'edges' && s.name.value !== 'nodes') multiplier = LIST_FACTOR; // a page's edges are counted by its `first`
        total += multiplier * (1 + selectionCost(s.selectionSet, getNamedType(def.type), spreads));
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        const t = s.typeCondition ? (schema.getType(s.typeCondition.name.value) ?? parent) : parent;
        total += selectionCost(s.selectionSet, t, spreads);
      } else {
        const f = fragments.get(s.name.value);
        if (!f || spreads > 100) continue;
        total += selectionCost(f.selectionSet, schema.getType(f.typeCondition.name.value) ?? parent, spreads + 1);
      }
    }
    return total;
  };
  return Math.ceil(selectionCost(operation.selectionSet, root, 0));
}

/** The cost of the request's operation, kept for the answer's extensions and the rate limit. */
const costs = new WeakMap<object, number>();
export const costOf = (ctx: object): number | undefined => costs.get(ctx);

export interface LimitsPluginOptions {
  production: boolean;
  limits?: OperationLimits;
  /** Cost points per minute for callers without their own limit (0: no default limit); false: no rate limits at all (a subgraph behind its gateway, which counts). */
  rateLimit?: { defaultPoints: number } | false;
}

/**
 * Refuses an operation that costs more than `maxCost` (QUERY_TOO_COSTLY with the limit and the cost),
 * spends its cost from the caller's rate limit (RATE_LIMITED, HTTP 429 with Retry-After), puts `extensions.cost` on every answer, and in production strips "Did you mean …?" suggestions from
 * errors for callers without `admin`.
 */
export function limitsPlugin(opts: LimitsPluginOptions): ApolloServerPlugin<Context> {
  const limits = opts.limits ?? LIMITS;
  const rates = opts.rateLimit === false ? undefined : new CallerRateLimits(opts.rateLimit?.defaultPoints);
  return {
    async requestDidStart() {
      let rate: RateState | undefined;
      return {
        async didResolveOperation({ contextValue, schema, document, operationName, request }) {
          const cost = operationCost(schema, document, operationName, request.variables ?? {});
          costs.set(contextValue, cost);
          if (cost > limits.maxCost) {
            throw new GraphQLError(
              `the operation costs ${cost} points, more than the limit of ${limits.maxCost}: ask for smaller pages (first) or fewer nested lists`,
              {
                extensions: { code: 'QUERY_TOO_COSTLY', limit: limits.maxCost, value: cost, http: { status: 400 } },
              },
            );
          }
          rate = await rates?.spend(contextValue.principal, cost);
        },
        async willSendResponse({ contextValue, response }) {
          if (rate) for (const [k, v] of Object.entries(headersFor(rate))) response.http.headers.set(k, v);
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const cost = costs.get(contextValue);
          if (cost !== undefined) result.extensions = { ...result.extensions, cost: { requested: cost, limit: limits.maxCost } };
          if (opts.production && !contextValue.principal?.scopes?.includes('admin') && result.errors) {
            result.errors = result.errors.map((e) =>
              /Did you mean/.test(e.message) ? { ...e, message: e.message.replace(/ ?Did you mean .*\?/, '') } : e,
            );
          }
        },
      };
    },
  };
}
