import type { CompanyKey } from '../../src/graphql/keys.js';
import type { AccountRecord, AdvisorRecord, MeetingRecord, ProgrammeRecord, ReferralRecord, UnmatchedRecord } from './domain.js';

// What this connector's resolvers receive as the parent of each type (graphql-codegen mappers):
// codegen.ts finds every `<Type>Mapper` exported here, as the codegen server preset does.
export type GrowthMapper = CompanyKey;
export type GrowthAccountMapper = AccountRecord;
export type AdvisorMapper = AdvisorRecord;
export type GuidanceProgrammeMapper = ProgrammeRecord;
export type MeetingMapper = MeetingRecord;
export type ReferralMapper = ReferralRecord;
export type UnmatchedCrmRecordMapper = UnmatchedRecord;
