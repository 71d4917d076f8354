import type { ContactRecord } from './domain.js';
import type { WriteResult } from './writes.js';

// What this connector's resolvers receive as the parent of each type (graphql-codegen mappers):
// codegen.ts finds every `<Type>Mapper` exported here, as the codegen server preset does.
export type ContactMapper = ContactRecord;
export type ContactPayloadMapper = WriteResult;
