import type { CourseKey, EnrolmentRecord, InstanceRecord, PlaceRecord, ProviderRecord, UpskillingKey } from './domain.js';

// What this connector's resolvers receive as the parent of each type (graphql-codegen mappers):
// codegen.ts finds every `<Type>Mapper` exported here, as the codegen server preset does.
export type CourseMapper = CourseKey;
export type CourseInstanceMapper = InstanceRecord;
export type CoursePlaceMapper = PlaceRecord;
export type ProviderMapper = ProviderRecord;
export type UpskillingMapper = UpskillingKey;
export type EnrolmentMapper = EnrolmentRecord;
