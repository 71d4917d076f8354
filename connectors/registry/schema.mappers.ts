import type { CompanyKey } from './domain.js';

// What this connector's resolvers receive as the parent of each type (graphql-codegen mappers):
// codegen.ts finds every `<Type>Mapper` exported here, as the codegen server preset does.
export type CompanyMapper = CompanyKey;
