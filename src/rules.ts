import { activeConnectors } from './connector.js';

/**
 * SQL rules one connector owns and other connectors' set-based statements reuse: insights derives
 * "open vacancy" exactly as the jobcentre serves it. The owner adds each rule's type here by
 * declaration merging (beside the rule) and its value in `defineConnector({ rules })`; a reader asks
 * by name, so it never imports the owner and the rule is written once.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface SqlRules {}

/** The rule `name` of whichever active connector declares it. */
export function sqlRule<K extends keyof SqlRules>(name: K): SqlRules[K] {
  for (const c of activeConnectors()) {
    const rule = c.rules?.[name];
    if (rule) return rule as SqlRules[K];
  }
  throw new Error(`no active connector declares the SQL rule "${String(name)}": import src/connectors.ts (the app composes the hub) first`);
}
